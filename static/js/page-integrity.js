// 保護ページの完全性チェック。ブラウザーが実際に受け取ったものを確かめる: このページの URL を HEAD で
// もう一度取得して CSP ヘッダーを読み、<meta> の CSP と文書内のスクリプトを数える。おかしいときだけ
// 同じオリジンの /hooks/page-integrity に報告する（判定はサーバーが改めて行う）。DOM には書き込まない。
(() => {
  'use strict';
  const meta = document.querySelector('meta[name="oroshi-integrity-report"]');
  const endpoint = meta && meta.content;
  if (!endpoint) return;

  // Oroshi のページはスクリプトをハッシュでのみ許可し、違反は report-uri で報告させ、Trusted Types を要求する。
  const HASH_OR_NONE = /^'(sha(256|384|512)-[A-Za-z0-9+/=_-]+|none)'$/;
  const weak = (csp) => {
    if (!csp) return true;
    const d = new Map();
    for (const part of csp.split(';')) {
      const [name, ...values] = part.trim().split(/\s+/);
      if (name && !d.has(name.toLowerCase())) d.set(name.toLowerCase(), values);
    }
    const scriptSrc = d.get('script-src') || d.get('default-src');
    return !scriptSrc || scriptSrc.some((t) => !HASH_OR_NONE.test(t)) || !d.has('report-uri') || !d.has('require-trusted-types-for');
  };

  const check = async () => {
    const metaCsp = [...document.querySelectorAll('meta[http-equiv]')]
      .filter((m) => m.httpEquiv.toLowerCase().startsWith('content-security-policy'))
      .map((m) => m.content);
    const scripts = [...document.scripts].map((s) => s.src || 'inline');
    let status = 0;
    let headerCsp = null;
    try {
      const res = await fetch(location.href, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store', redirect: 'manual' });
      status = res.status;
      headerCsp = res.headers.get('content-security-policy');
    } catch {
      status = 0;
    }
    const foreign = scripts.some((s) => s === 'inline' || new URL(s, location.href).origin !== location.origin);
    const headersWeak = status >= 200 && status < 300 && weak(headerCsp);
    if (metaCsp.length === 0 && !foreign && !headersWeak) return;
    await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: location.href, status, headerCsp, metaCsp, scripts: scripts.slice(0, 100) }),
    });
  };
  check().catch(() => undefined);
})();
