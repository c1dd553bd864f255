// パスキー（WebAuthn）の登録と確認。サーバーの JSON と DOM API だけを使う（innerHTML・eval なし、Trusted Types 'none' 下で動く）。
(() => {
  'use strict';

  const fromB64url = (s) => {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  };

  const toB64url = (buf) => {
    const bytes = new Uint8Array(buf);
    let bin = '';
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  const csrfToken = () => {
    const input = document.querySelector('input[name="_csrf"]');
    return input ? input.value : '';
  };

  const post = async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data && data.error && data.error.message) || 'サーバーで確認できませんでした。');
    return data;
  };

  const creationOptions = (o) => ({
    ...o,
    challenge: fromB64url(o.challenge),
    user: { ...o.user, id: fromB64url(o.user.id) },
    excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) })),
  });

  const requestOptions = (o) => ({
    ...o,
    challenge: fromB64url(o.challenge),
    allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: fromB64url(c.id) })),
  });

  const registrationJson = (cred) => ({
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    clientExtensionResults: cred.getClientExtensionResults(),
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
    response: {
      clientDataJSON: toB64url(cred.response.clientDataJSON),
      attestationObject: toB64url(cred.response.attestationObject),
      transports: typeof cred.response.getTransports === 'function' ? cred.response.getTransports() : [],
    },
  });

  const authenticationJson = (cred) => ({
    id: cred.id,
    rawId: toB64url(cred.rawId),
    type: cred.type,
    clientExtensionResults: cred.getClientExtensionResults(),
    authenticatorAttachment: cred.authenticatorAttachment || undefined,
    response: {
      clientDataJSON: toB64url(cred.response.clientDataJSON),
      authenticatorData: toB64url(cred.response.authenticatorData),
      signature: toB64url(cred.response.signature),
      userHandle: cred.response.userHandle ? toB64url(cred.response.userHandle) : undefined,
    },
  });

  const run = async (button) => {
    const status = button.parentElement && button.parentElement.querySelector('[data-passkey-status]');
    const say = (text) => {
      if (status) status.textContent = text;
    };
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say('このブラウザはパスキーに対応していません。認証アプリをご利用ください。');
      return;
    }
    button.disabled = true;
    say('');
    try {
      const mode = button.dataset.passkey;
      const extra = { purpose: button.dataset.purpose || 'mfa', next: button.dataset.next || '' };
      const options = await post(button.dataset.optionsUrl, extra);
      let response;
      if (mode === 'register') {
        const cred = await navigator.credentials.create({ publicKey: creationOptions(options) });
        response = registrationJson(cred);
      } else {
        const cred = await navigator.credentials.get({ publicKey: requestOptions(options) });
        response = authenticationJson(cred);
      }
      const result = await post(button.dataset.verifyUrl, { ...extra, response, name: navigator.platform || '' });
      if (result.redirect && result.redirect.charAt(0) === '/' && result.redirect.charAt(1) !== '/') window.location.assign(result.redirect);
    } catch (err) {
      say(err && err.name === 'NotAllowedError' ? 'パスキーの操作がキャンセルされました。' : String((err && err.message) || err));
    } finally {
      button.disabled = false;
    }
  };

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-passkey]') : null;
    if (button) run(button);
  });
})();
