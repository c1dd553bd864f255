// 郵便番号→住所。Oroshi が配信するデータだけを読み、DOM は Trusted Types 下でも安全な API だけで組む。
(() => {
  'use strict';
  const BASE = '/assets/postal/';
  const chunks = new Map();
  const states = new WeakMap();
  let ids = 0;

  const load = (url) => {
    let p = chunks.get(url);
    if (!p) {
      p = fetch(url, { credentials: 'same-origin' }).then((r) => {
        if (r.status === 404) return {};
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      p.catch(() => chunks.delete(url));
      chunks.set(url, p);
    }
    return p;
  };

  const set = (input, name, value) => {
    const el = (input.closest('[data-postal-scope]') || input.form || document).querySelector(`[data-${name}]`);
    if (!el || value === undefined) return;
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };

  const fill = (input, [pref, city, town]) => {
    set(input, 'prefecture', pref);
    set(input, 'city', city);
    set(input, 'address-line1', town);
  };

  const state = (input) => {
    let s = states.get(input);
    if (s) return s;
    const msg = document.createElement('p');
    msg.id = `postal-fill-${++ids}`;
    msg.className = 'postal-fill-message';
    msg.setAttribute('role', 'status');
    msg.setAttribute('aria-live', 'polite');
    const select = document.createElement('select');
    select.className = 'postal-fill-choices';
    select.setAttribute('aria-label', '該当する住所');
    select.hidden = true;
    input.after(msg, select);
    input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${msg.id}`.trim());
    s = { msg, select, rows: [], code: '', seq: 0 };
    select.addEventListener('change', () => s.rows[select.value] && fill(input, s.rows[select.value]));
    states.set(input, s);
    return s;
  };

  const lookup = async (input) => {
    const s = state(input);
    const code = input.value.normalize('NFKC').replace(/\D/g, '');
    if (code.length !== 7) s.code = '';
    if (code.length !== 7 || code === s.code) return;
    s.code = code;
    const seq = ++s.seq;
    const say = (text) => seq === s.seq && (s.msg.textContent = text);
    s.select.hidden = true;
    let base = input.getAttribute('data-postal-base') || BASE;
    if (new URL(base, location.href).origin !== location.origin) base = BASE;
    let rows;
    try {
      const data = await load(`${base}${code.slice(0, 3)}.json`);
      rows = data[code] || data[code.slice(0, 5)] || [];
    } catch {
      s.code = '';
      return say('住所を取得できませんでした。手入力してください。');
    }
    if (seq !== s.seq) return;
    if (!rows.length) return say('該当する住所が見つかりません。郵便番号をご確認ください。');
    if (rows.length === 1) {
      fill(input, rows[0]);
      return say('住所を入力しました。');
    }
    const [pref, city] = rows[0];
    const shared = rows.every((r) => r[0] === pref && r[1] === city);
    if (shared) fill(input, [pref, city]);
    s.rows = rows;
    s.select.replaceChildren(
      new Option('住所を選んでください', ''),
      ...rows.map((r, i) => new Option(shared ? r[2] || city : r.join(''), i)),
    );
    s.select.hidden = false;
    say(`該当する住所が${rows.length}件あります。選んでください。`);
  };

  document.addEventListener('input', (e) => {
    const t = e.target;
    if (t instanceof HTMLInputElement && t.hasAttribute('data-postal-code')) lookup(t);
  });
})();
