import { describe, expect, it } from 'vitest';
import { cardLikeReasons } from './card-input.detect.ts';
import { diffSnapshots } from './snapshot-diff.ts';
import { type InputRecord, normaliseUrl, type PageSnapshot, type WalkSnapshot } from './walk-snapshot.ts';

const CSP = "default-src 'none'; script-src 'sha384-AAA'; form-action 'self'; report-uri /s/mall/hooks/csp-report?page=checkout";

function input(name: string, extra: Partial<InputRecord> = {}): InputRecord {
  return { tag: 'input', name, type: 'text', autocomplete: '', inputmode: '', pattern: '', maxlength: '', ...extra };
}

function page(step: PageSnapshot['step'], extra: Partial<PageSnapshot> = {}): PageSnapshot {
  return {
    step,
    url: `/s/mall/${step}`,
    origin: 'http://127.0.0.1:3000',
    status: 200,
    headers: { 'content-security-policy': CSP, 'x-frame-options': 'DENY' },
    metaCsp: [],
    scripts: [{ src: '/static/js/postal-fill.abc.js', sha384: 'sha384-AAA' }],
    stylesheets: [{ href: '/static/css/app.abc.css', sha384: 'sha384-SSS' }],
    forms: [{ action: '/s/mall/checkout', method: 'post', inputs: [input('_csrf', { type: 'hidden' }), input('postalCode', { autocomplete: 'postal-code', maxlength: '8' })] }],
    cardInputs: [],
    iframes: [],
    requestOrigins: ['self'],
    cspViolations: [],
    ...extra,
  };
}

function snapshot(pages: PageSnapshot[], paymentRedirectHost: string | null = null): WalkSnapshot {
  return { version: 1, profile: 'desktop', pages, paymentRedirectHost };
}

const base = snapshot([page('checkout'), page('checkout-confirm')]);
const kinds = (s: WalkSnapshot, b: WalkSnapshot | null = base) => diffSnapshots(b, s).deviations.map((d) => `${d.severity}:${d.kind}`).sort();

describe('diffSnapshots', () => {
  it('finds nothing between equal snapshots', () => {
    expect(diffSnapshots(base, structuredClone(base)).deviations).toEqual([]);
  });

  it('calls an added, a changed or an inline script critical and a removed one a warning', () => {
    const added = snapshot([page('checkout', { scripts: [...page('checkout').scripts, { src: 'https://evil.example/s.js', sha384: 'sha384-BBB' }] }), page('checkout-confirm')]);
    expect(kinds(added)).toEqual(['critical:walk.script-added']);
    const changed = snapshot([page('checkout', { scripts: [{ src: '/static/js/postal-fill.abc.js', sha384: 'sha384-CCC' }] }), page('checkout-confirm')]);
    expect(kinds(changed)).toEqual(['critical:walk.script-changed']);
    const inline = snapshot([page('checkout', { scripts: [...page('checkout').scripts, { src: null, sha384: 'sha384-DDD' }] }), page('checkout-confirm')]);
    expect(kinds(inline)).toEqual(['critical:walk.script-added']);
    const removed = snapshot([page('checkout', { scripts: [] }), page('checkout-confirm')]);
    expect(kinds(removed)).toEqual(['warning:walk.script-removed']);
  });

  it('calls an added, a changed or an inline stylesheet critical and a removed one a warning', () => {
    const sheets = page('checkout').stylesheets!;
    const added = snapshot([page('checkout', { stylesheets: [...sheets, { href: 'https://cdn.evil.example/k.css', sha384: 'sha384-EEE' }] }), page('checkout-confirm')]);
    expect(kinds(added)).toEqual(['critical:walk.stylesheet-added']);
    const changed = snapshot([page('checkout', { stylesheets: [{ href: '/static/css/app.abc.css', sha384: 'sha384-TTT' }] }), page('checkout-confirm')]);
    expect(kinds(changed)).toEqual(['critical:walk.stylesheet-changed']);
    expect(diffSnapshots(base, changed).deviations[0]!.detail).toMatchObject({ href: '/static/css/app.abc.css', sha384: 'sha384-TTT', approved: ['sha384-SSS'] });
    const inline = snapshot([page('checkout', { stylesheets: [...sheets, { href: null, sha384: 'sha384-III' }] }), page('checkout-confirm')]);
    expect(kinds(inline)).toEqual(['critical:walk.stylesheet-added']);
    // A content-hashed file rebuilt with other bytes has a new name: added, and the old one removed.
    const renamed = snapshot([page('checkout', { stylesheets: [{ href: '/static/css/app.def.css', sha384: 'sha384-TTT' }] }), page('checkout-confirm')]);
    expect(kinds(renamed)).toEqual(['critical:walk.stylesheet-added', 'warning:walk.stylesheet-removed']);
    const removed = snapshot([page('checkout', { stylesheets: [] }), page('checkout-confirm')]);
    expect(kinds(removed)).toEqual(['warning:walk.stylesheet-removed']);
    // The provider's own page is not Oroshi's to judge.
    const providerBase = snapshot([page('payment-provider')]);
    expect(kinds(snapshot([page('payment-provider', { stylesheets: [{ href: 'https://psp.example/x.css', sha384: 'sha384-PPP' }] })]), providerBase)).toEqual([]);
  });

  it('judges no stylesheets against a baseline recorded before they were read', () => {
    const old = snapshot([page('checkout', { stylesheets: undefined }), page('checkout-confirm', { stylesheets: undefined })]);
    const now = snapshot([page('checkout', { stylesheets: [{ href: '/static/css/app.abc.css', sha384: 'sha384-TTT' }, { href: null, sha384: 'sha384-III' }] }), page('checkout-confirm')]);
    expect(diffSnapshots(old, now).deviations).toEqual([]);
    // Scripts are judged against that baseline as before.
    const script = snapshot([page('checkout', { scripts: [{ src: '/static/js/postal-fill.abc.js', sha384: 'sha384-CCC' }] }), page('checkout-confirm')]);
    expect(kinds(script, old)).toEqual(['critical:walk.script-changed']);
  });

  it('calls a changed form action or new inputs critical', () => {
    const moved = snapshot([page('checkout', { forms: [{ ...page('checkout').forms[0]!, action: 'https://look-alike.example/pay' }] }), page('checkout-confirm')]);
    expect(kinds(moved)).toEqual(['critical:walk.form-action-changed']);
    const hijack = diffSnapshots(base, moved).deviations[0]!;
    expect(hijack.detail).toMatchObject({ from: '/s/mall/checkout', to: 'https://look-alike.example/pay', crossOrigin: true });
    const another = snapshot([page('checkout', { forms: [...page('checkout').forms, { action: '/s/mall/other', method: 'post', inputs: [input('x')] }] }), page('checkout-confirm')]);
    expect(kinds(another)).toEqual(['critical:walk.form-added']);
    const extra = snapshot([page('checkout', { forms: [{ ...page('checkout').forms[0]!, inputs: [...page('checkout').forms[0]!.inputs, input('note2')] }] }), page('checkout-confirm')]);
    expect(kinds(extra)).toEqual(['critical:walk.form-inputs-changed']);
  });

  it('calls CSP weakening, removal and a <meta> CSP critical', () => {
    const unsafe = snapshot([page('checkout', { headers: { ...page('checkout').headers, 'content-security-policy': CSP.replace("'sha384-AAA'", "'sha384-AAA' 'unsafe-inline'") } }), page('checkout-confirm')]);
    expect(kinds(unsafe)).toEqual(['critical:walk.csp-weakened']);
    const missing = snapshot([page('checkout', { headers: { 'x-frame-options': 'DENY' }, metaCsp: ["script-src 'unsafe-inline'"] }), page('checkout-confirm')]);
    expect(kinds(missing)).toEqual(['critical:walk.csp-meta', 'critical:walk.csp-missing']);
    const other = snapshot([page('checkout', { headers: { ...page('checkout').headers, 'content-security-policy': CSP.replace('AAA', 'ZZZ') } }), page('checkout-confirm')]);
    expect(kinds(other)).toEqual(['critical:walk.csp-changed']);
  });

  it('warns on other headers, new origins, iframes and missing steps', () => {
    const s = snapshot([page('checkout', { headers: { 'content-security-policy': CSP }, requestOrigins: ['https://collect.example', 'self'], iframes: ['https://x.example/f'] })]);
    expect(kinds(s)).toEqual(['warning:walk.header-changed', 'warning:walk.iframe-added', 'warning:walk.request-origin-added', 'warning:walk.step-missing']);
  });

  it('flags card-like inputs as critical even without a baseline and never on the provider page', () => {
    const fake = page('checkout-confirm', { cardInputs: [{ formAction: '/s/mall/checkout/place', name: 'cardnumber', reasons: ['name=cardnumber'] }] });
    expect(kinds(snapshot([fake]), null)).toEqual(['critical:walk.card-input']);
    const provider = page('payment-provider', { cardInputs: [{ formAction: null, name: 'cardnumber', reasons: ['name=cardnumber'] }] });
    expect(kinds(snapshot([provider]), null)).toEqual([]);
  });

  it('calls a payment redirect to another host critical', () => {
    const b = snapshot([page('checkout')], 'psp.example');
    expect(kinds(snapshot([page('checkout')], 'psp.example'), b)).toEqual([]);
    expect(kinds(snapshot([page('checkout')], 'psp-example.evil'), b)).toEqual(['critical:walk.redirect-host']);
    // The shop's settings naming the new host do not excuse it (a taken-over admin changes settings).
    expect(diffSnapshots(b, snapshot([page('checkout')], 'psp-example.evil'), { providerHosts: ['psp-example.evil'] }).deviations.map((d) => d.kind)).toEqual(['walk.redirect-host']);
    // Without a baseline host, the configured provider is the reference.
    const none = snapshot([page('checkout')]);
    expect(diffSnapshots(none, snapshot([page('checkout')], 'psp.example'), { providerHosts: ['psp.example'] }).deviations).toEqual([]);
    expect(diffSnapshots(none, snapshot([page('checkout')], 'psp-example.evil'), { providerHosts: ['psp.example'] }).deviations.map((d) => d.kind)).toEqual(['walk.redirect-host']);
  });
});

describe('cardLikeReasons', () => {
  it('recognises card fields by name, autocomplete, pattern and length', () => {
    expect(cardLikeReasons(input('cardnumber'))).not.toEqual([]);
    expect(cardLikeReasons(input('x', { autocomplete: 'cc-number' }))).not.toEqual([]);
    expect(cardLikeReasons(input('cvc', { maxlength: '4' }))).not.toEqual([]);
    expect(cardLikeReasons(input('field1', { maxlength: '16', inputmode: 'numeric' }))).not.toEqual([]);
    expect(cardLikeReasons(input('field2', { pattern: '\\d{13,19}' }))).not.toEqual([]);
    expect(cardLikeReasons(input('exp_month'))).not.toEqual([]);
  });

  it('leaves the checkout fields Oroshi really has alone', () => {
    for (const i of [
      input('postalCode', { autocomplete: 'postal-code', maxlength: '8', inputmode: 'numeric' }),
      input('phone', { type: 'tel', autocomplete: 'tel', maxlength: '20' }),
      input('email', { type: 'email', maxlength: '254' }),
      input('password', { type: 'password', maxlength: '128' }),
      input('poNumber', { maxlength: '50' }),
      input('paymentMethod', { type: 'radio' }),
      input('idempotencyKey', { type: 'hidden' }),
      input('recipientCompany', { autocomplete: 'organization', maxlength: '100' }),
      input('locationId', { tag: 'select', type: '' }),
      { ...input('quantity', { type: 'number', inputmode: 'numeric' }), id: 'qty-a88aded0-d359-411b-9e4d-4cc9678699c4' },
    ]) {
      expect(cardLikeReasons(i), i.name).toEqual([]);
    }
  });
});

describe('normaliseUrl', () => {
  it('drops what varies between walks and keeps what identifies the resource', () => {
    const origin = 'http://127.0.0.1:3000';
    expect(normaliseUrl('http://127.0.0.1:3000/s/mall/payment/0b8f4a52-3c1e-4f7a-9d2b-1a2b3c4d5e6f?cancelled=1', origin)).toBe('/s/mall/payment/:uuid?cancelled=*');
    expect(normaliseUrl('/s/mall/checkout/complete/MALL-250101-0042', origin)).toBe('/s/mall/checkout/complete/:id');
    expect(normaliseUrl('https://psp.example/pay/cs_test_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7#x', origin)).toBe('https://psp.example/pay/:token');
    expect(normaliseUrl('/static/js/postal-fill.3f2a9c1d.js', origin)).toBe('/static/js/postal-fill.3f2a9c1d.js');
  });
});
