// 保護ページの完全性チェック。ブラウザーが実際に受け取ったものを確かめる: このページの URL を HEAD で
// もう一度取得して CSP ヘッダーを読み、<meta> の CSP と文書内のスクリプトを数え、読み込んだスクリプトと
// スタイルシートの SHA-256 を署名済みビルドの値と比べる。おかしいときだけ
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

  // 署名済みビルドにあるスクリプトとスタイルシートの SHA-256（サーバーが検証済みのマニフェストから渡す）。
  const attestedMeta = document.querySelector('meta[name="oroshi-integrity-assets"]');
  const attested = new Map(((attestedMeta && attestedMeta.content) || '').split(' ').filter(Boolean).map((t) => t.split('=')));
  const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const changedAssets = async () => {
    if (attested.size === 0 || !(window.crypto && crypto.subtle)) return [];
    const links = [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => l.href);
    const changed = [];
    for (const src of [...document.scripts].map((s) => s.src).concat(links)) {
      if (!src) continue;
      const url = new URL(src, location.href);
      const expected = attested.get(url.pathname);
      if (url.origin !== location.origin || !expected) continue;
      try {
        const res = await fetch(url.href, { credentials: 'same-origin', cache: 'force-cache' });
        const actual = hex(await crypto.subtle.digest('SHA-256', await res.arrayBuffer()));
        if (actual !== expected) changed.push({ url: url.pathname, expected, actual });
      } catch {
        // 取得できないものは判定しない（監視とビルド検証が別に見る）。
      }
    }
    return changed;
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
    const assets = await changedAssets();
    if (metaCsp.length === 0 && !foreign && !headersWeak && assets.length === 0) return;
    await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: location.href, status, headerCsp, metaCsp, scripts: scripts.slice(0, 100), assets: assets.slice(0, 20) }),
    });
  };
  check().catch(() => undefined);
})();
