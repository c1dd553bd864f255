import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Audience, audienceOf, concreteUrl, methodsOf, routeCollector } from '../../test/fault/route-table.ts';
import { changedTables, rowCountQuery, rowCounts } from '../../test/fault/row-counts.ts';
import { createTestSalon, createTestStaff, salonSessionCookie, staffSessionCookie, TEST_PASSWORD } from '../../test/sign-in.ts';
import { createTestApp } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { addMember, addVariant, type CommerceShop, commerceShop, memberSession, type TestMember } from '../domains/checkout/checkout-fixtures.testing.ts';
import type { Database } from '../platform/db/database.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Platform } from '../platform/http/platform.ts';
import { ROUTES } from './routes.ts';

/**
 * Bad input everywhere (issue 9, item 6). Every form and JSON endpoint of the real route table —
 * collected with an onRoute hook, so routes added later are fuzzed without touching this file —
 * gets property-based bodies (fast-check) with a valid session of the route's audience (approved
 * salon member in the shop, salon account user, shop admin with MFA, operator with MFA) and a
 * valid CSRF token, so each request reaches the validator. Every answer must be below 500; a 4xx
 * (or a form re-rendered with errors) must carry a message and leave every business table's row
 * count unchanged. Then the classic attacks: oversized bodies, invalid UTF-8, deep JSON, prototype
 * keys, path tricks in uploaded file names, CR/LF in values that reach headers.
 *
 * Heavy (hundreds of requests per route family): it runs in the PostgreSQL run of CI only.
 */

const HEAVY = process.env.OROSHI_HEAVY_SUITES === '1';
const RUNS = Number(process.env.OROSHI_FUZZ_RUNS ?? 6);
const CSRF_SECRET = 'badinputbadinputbadinputbadinput';

// Routes whose only effect needs no input (nothing to validate) and would end the test's own
// sessions: they are exercised by their own suites.
const NO_INPUT = [/sign-out/, /revoke-all$/, /revoke-shop$/];
// The shop by host (/h/:host) serves the same handlers as /s/:shop; fuzzing one is enough.
const SAME_AS_PATH_SHOP = /^\/h\/:host/;

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let shop: CommerceShop;
let member: TestMember;
let countQuery: string;
const routes: RouteOptions[] = [];
const fieldNames = new Set<string>(['email', 'password', 'name', 'code', 'quantity', 'variantId', 'next', 'q', 'reason', 'role', 'status', 'notes', 'sku', 'price', 'lines', 'token', 'id']);
const ids: Record<string, string> = {};
const cookies: Record<Audience, string> = { member: '', salon: '', staff: '', operator: '', anonymous: '' };

async function freshCookies(): Promise<void> {
  cookies.member = `oroshi_session=${await memberSession(database, shop, member)}`;
  cookies.salon = await salonSessionCookie(platform, { userId: member.userIds[0]!, accountId: member.accountId });
  cookies.staff = await staffSessionCookie(platform, { userId: ids.staff!, tenantId: shop.tenantId });
  cookies.operator = await staffSessionCookie(platform, { userId: ids.operator!, tenantId: null });
}

function paramValue(route: string, param: string): string | undefined {
  if (param === 'shop') return route.startsWith('/admin') || route.startsWith('/s/') ? shop.slug : ids.tenantId;
  if (param === 'host') return `${shop.slug}.localhost`;
  if (param === 'code') return ids.productCode;
  if (param === 'vid' || param === 'variantId') return ids.variantId;
  if (param === 'tenantId') return shop.tenantId;
  if (param !== 'id') return undefined;
  if (route.includes('/catalog/products/')) return ids.productId;
  if (route.includes('/memberships/')) return ids.membershipId;
  if (route.startsWith('/admin/:shop/staff/')) return ids.otherStaff;
  if (route.startsWith('/operator/staff/')) return ids.otherOperator;
  if (route.startsWith('/operator/shops/')) return shop.tenantId;
  if (route.startsWith('/operator/verifications/')) return member.accountId;
  if (route.startsWith('/account/locations/')) return member.locationId;
  if (route.startsWith('/account/users/')) return ids.secondUser;
  return undefined;
}

function headersOf(audience: Audience, contentType: string): Record<string, string> {
  return {
    cookie: [cookies[audience], `oroshi_csrf=${CSRF_SECRET}`].filter(Boolean).join('; '),
    'content-type': contentType,
    accept: 'text/html',
    'x-csrf-token': platform.csrf.tokenFor(CSRF_SECRET),
  };
}

// Each route's failure is kept and the run goes on, so one run lists every broken route.
let failures: string[] = [];
async function collect(route: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    failures.push(`${route}: ${String((err as Error).message).split('\n').slice(0, 6).join(' | ')}`);
  }
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

interface Outcome {
  status: number;
  label: string;
}

/** One request; asserts the invariants and returns the status for the caller's tally. */
async function send(method: string, url: string, audience: Audience, payload: string | Buffer, contentType: string, label: string): Promise<Outcome> {
  const before = await rowCounts(database, countQuery);
  const res = await app.inject({ method: method as 'POST', url, headers: headersOf(audience, contentType), payload });
  const what = `${label}: ${method} ${url} → ${res.statusCode}`;
  expect(res.statusCode, `${what}\n${res.body.slice(0, 300)}`).toBeLessThan(500);
  for (const [name, value] of Object.entries(res.headers)) expect(String(value), `${what}: header ${name}`).not.toMatch(/[\r\n]/);
  const rerendered = res.statusCode === 200 && /field__error|alert--error/.test(res.body);
  if (res.statusCode >= 400 || rerendered) {
    // Machine endpoints (/hooks: the PSP's webhooks, browser reports) answer machines, not people.
    if (!url.includes('/hooks/')) {
      const message = String(res.headers['content-type'] ?? '').includes('json') ? String(JSON.parse(res.body).error?.message ?? '') : res.body;
      expect(message, `${what} has no message`).toMatch(JAPANESE);
    }
    const after = await rowCounts(database, countQuery);
    expect(changedTables(before, after), `${what} changed rows`).toEqual([]);
  }
  return { status: res.statusCode, label: what };
}

const nasty = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999999',
  '1.5',
  'true',
  'null',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '"; DROP TABLE orders; --',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\r\nSet-Cookie: evil=1',
  '𠮷野家　ﾊﾝｶｸ',
  '\u202e\u200b',
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  'javascript:alert(1)',
  '//evil.example/',
);
const value = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(String), fc.uuid());

function formBody(): fc.Arbitrary<[string, string][]> {
  const names = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fieldNames) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) });
  return fc.array(fc.tuple(names, value), { maxLength: 12 });
}

function toForm(pairs: [string, string][]): string {
  const body = new URLSearchParams();
  for (const [k, v] of pairs) if (k !== '_csrf') body.append(k, v);
  body.append('_csrf', platform.csrf.tokenFor(CSRF_SECRET));
  return body.toString();
}

function toJson(pairs: [string, string][]): string {
  const object: Record<string, unknown> = {};
  for (const [k, v] of pairs) object[k] = k.length % 3 === 0 ? { nested: [v, Number(v) || v] } : v;
  return JSON.stringify({ ...object, _csrf: platform.csrf.tokenFor(CSRF_SECRET) });
}

function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; body: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----oroshi${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`), file.body, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function fuzzedRoutes(method: 'POST' | 'GET'): RouteOptions[] {
  return routes.filter((r) => methodsOf(r).includes(method) && !SAME_AS_PATH_SHOP.test(r.url) && !NO_INPUT.some((p) => p.test(r.url)));
}

describe.skipIf(!HEAVY)('bad input everywhere — runs only in the heavy PostgreSQL run (OROSHI_HEAVY_SUITES=1)', () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    shop = await commerceShop(database);
    ids.variantId = await addVariant(database, shop, { sku: 'FUZZ-1', stock: 1000 });
    const product = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('products').select(['id', 'code']).where('code', '=', 'P-FUZZ-1').executeTakeFirstOrThrow());
    ids.productId = product.id;
    ids.productCode = product.code;
    member = await addMember(database, shop, { users: 2 });
    ids.membershipId = member.membershipId;
    ids.secondUser = member.userIds[1]!;
    ids.tenantId = shop.tenantId;
    ({ app, platform } = await createTestApp(database, { routes: [routeCollector(routes), ...ROUTES] }));
    ids.staff = (await createTestStaff(platform, { tenantId: shop.tenantId, role: 'shop_admin' })).userId;
    ids.otherStaff = (await createTestStaff(platform, { tenantId: shop.tenantId, role: 'order_clerk' })).userId;
    ids.operator = (await createTestStaff(platform, { tenantId: null, role: 'platform_admin' })).userId;
    ids.otherOperator = (await createTestStaff(platform, { tenantId: null, role: 'security_officer' })).userId;
    await freshCookies();
    countQuery = await rowCountQuery(database);
    // Field names come from the real forms: every GET page, as its audience, is crawled once.
    for (const route of fuzzedRoutes('GET')) {
      const res = await app.inject({ method: 'GET', url: concreteUrl(route.url, paramValue), headers: headersOf(audienceOf(route.url), 'text/plain') });
      for (const m of res.body.matchAll(/name="([^"]{1,60})"/g)) if (m[1] !== '_csrf') fieldNames.add(m[1]!);
    }
  }, 180_000);

  beforeEach(() => {
    failures = [];
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('found the route table and the forms (the crawl is not empty)', () => {
    expect(fuzzedRoutes('POST').length).toBeGreaterThan(30);
    expect(fieldNames.size).toBeGreaterThan(40);
  });

  it(`every form endpoint: ${RUNS} generated form bodies and ${RUNS} JSON bodies each, never a 500, a refusal changes no row`, async () => {
    const tally: Record<string, number> = {};
    for (const route of fuzzedRoutes('POST')) {
      if (route.config && (route.config as { csrf?: string }).csrf === 'manual') continue;
      await freshCookies();
      const audience = audienceOf(route.url);
      const url = concreteUrl(route.url, paramValue);
      await collect(route.url, () => fc.assert(
        fc.asyncProperty(formBody(), fc.boolean(), async (pairs, asJson) => {
          const { status } = asJson
            ? await send('POST', url, audience, toJson(pairs), 'application/json', 'json')
            : await send('POST', url, audience, toForm(pairs), 'application/x-www-form-urlencoded', 'form');
          tally[String(status)[0]!] = (tally[String(status)[0]!] ?? 0) + 1;
        }),
        { numRuns: RUNS * 2, endOnFailure: true },
      ));
    }
    expect(failures).toEqual([]);
    // Most bodies are refused by a validator (4xx / re-render), not by a guard redirect (3xx).
    expect(tally['4'] ?? 0).toBeGreaterThan(tally['3'] ?? 0);
  }, 600_000);

  it('every GET page with generated query strings: never a 500, no header carries CR/LF', async () => {
    const query = fc.array(fc.tuple(fc.constantFrom('q', 'page', 'next', 'sort', 'status', 'category', 'from', 'to', 'shop', 'token', 'id', 'brand'), value), { maxLength: 6 });
    for (const route of fuzzedRoutes('GET')) {
      await freshCookies();
      const audience = audienceOf(route.url);
      const base = concreteUrl(route.url, paramValue);
      await collect(route.url, () => fc.assert(
        fc.asyncProperty(query, async (pairs) => {
          const res = await app.inject({ method: 'GET', url: `${base}?${new URLSearchParams(pairs).toString()}`, headers: headersOf(audience, 'text/plain') });
          expect(res.statusCode, `GET ${base}?${new URLSearchParams(pairs)} → ${res.statusCode}`).toBeLessThan(500);
          for (const v of Object.values(res.headers)) expect(String(v)).not.toMatch(/[\r\n]/);
        }),
        { numRuns: Math.max(3, Math.floor(RUNS / 2)), endOnFailure: true },
      ));
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('path parameters with traversal, encoded slashes, NUL and overlong values: never a 500, never a file outside the data directory', async () => {
    const tricks = ['..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '....//....//etc/passwd', '%00', 'a%0d%0aSet-Cookie:%20x=1', '%c0%ae%c0%ae%2f', 'x'.repeat(199), 'x'.repeat(400)];
    for (const route of routes.filter((r) => /:[A-Za-z]/.test(r.url) && !SAME_AS_PATH_SHOP.test(r.url))) {
      const audience = audienceOf(route.url);
      for (const method of methodsOf(route).filter((m) => m === 'GET' || m === 'POST')) {
        if (NO_INPUT.some((p) => p.test(route.url))) continue;
        for (const trick of tricks) {
          const url = route.url.replace(/:([A-Za-z_]+)/g, (_, name: string) => (name === 'shop' ? shop.slug : trick));
          await collect(route.url, async () => {
            const res = await app.inject({ method: method as 'GET', url, headers: headersOf(audience, 'application/x-www-form-urlencoded'), ...(method === 'POST' ? { payload: toForm([]) } : {}) });
            expect(res.statusCode, `${method} ${url} → ${res.statusCode}`).toBeLessThan(500);
            expect(res.body, `${method} ${url} leaked a system file`).not.toMatch(/root:x:0:0/);
          });
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('oversized bodies are refused with 413, invalid UTF-8, deep JSON and prototype keys with a 4xx — on every form endpoint', async () => {
    const token = platform.csrf.tokenFor(CSRF_SECRET);
    for (const route of fuzzedRoutes('POST')) {
      if ((route.config as { csrf?: string } | undefined)?.csrf === 'manual') continue;
      await freshCookies();
      const audience = audienceOf(route.url);
      const url = concreteUrl(route.url, paramValue);
      await collect(route.url, async () => {
      // The PSP webhook reads its raw body to check the signature and refuses an unsigned one first.
      const tooLarge = url.startsWith('/hooks/psp/') ? [400, 413] : [413];
      const big = await send('POST', url, audience, `_csrf=${token}&notes=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded', 'oversized form');
      expect(tooLarge, big.label).toContain(big.status);
      const bigJson = await send('POST', url, audience, JSON.stringify({ _csrf: token, notes: 'a'.repeat(300 * 1024) }), 'application/json', 'oversized json');
      expect(tooLarge, bigJson.label).toContain(bigJson.status);
      const badUtf8 = Buffer.concat([Buffer.from(`_csrf=${token}&name=`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('&email=%ff%fe%C3%28')]);
      await send('POST', url, audience, badUtf8, 'application/x-www-form-urlencoded', 'invalid utf-8');
      const deep = `{"_csrf":"${token}","lines":${'['.repeat(60_000)}${']'.repeat(60_000)}}`;
      await send('POST', url, audience, deep, 'application/json', 'deep json');
      await send('POST', url, audience, `{"_csrf":"${token}","__proto__":{"isAdmin":true},"constructor":{"prototype":{"role":"platform_admin"}}}`, 'application/json', 'prototype keys');
      await send('POST', url, audience, `{"_csrf":"${token}",`, 'application/json', 'truncated json');
      const odd = await send('POST', url, audience, `_csrf=${token}`, 'text/xml', 'unsupported content type');
      expect(odd.status, odd.label).toBeGreaterThanOrEqual(400);
      });
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 600_000);

  it('uploads: file names with path tricks, CR/LF and NUL are stored safely, and downloads carry clean headers', async () => {
    const names = ['../../../../tmp/oroshi-escape.pdf', '..\\..\\escape.pdf', 'evil\r\nX-Injected: 1.pdf', 'nul\u0000.pdf', `"quoted"; filename*=UTF-8''x.pdf`, `${'長'.repeat(300)}.pdf`, '.pdf', 'a/b/c.pdf'];
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const before = fs.existsSync('/tmp/oroshi-escape.pdf');
    for (const route of fuzzedRoutes('POST').filter((r) => (r.config as { csrf?: string } | undefined)?.csrf === 'manual')) {
      await freshCookies();
      const audience = audienceOf(route.url);
      const url = concreteUrl(route.url, paramValue);
      for (const name of names) {
        for (const field of ['file', 'certificate', 'image', 'csv']) {
          const { body, contentType } = multipart({ _csrf: platform.csrf.tokenFor(CSRF_SECRET), kind: 'business_license' }, { field, name, type: 'application/pdf', body: pdf });
          await send('POST', url, audience, body, contentType, `upload "${JSON.stringify(name)}" as ${field}`);
        }
      }
    }
    expect(fs.existsSync('/tmp/oroshi-escape.pdf')).toBe(before);
    expect(fs.existsSync(path.resolve('.tmp/escape.pdf'))).toBe(false);
    // Whatever was stored is downloaded with a Content-Disposition free of CR/LF.
    const certs = await database.ownerExec('SELECT id FROM salon_certificates WHERE account_id = $1', [member.accountId]);
    await freshCookies();
    for (const row of certs.rows) {
      const res = await app.inject({ method: 'GET', url: `/account/certificates/${row.id}`, headers: headersOf('salon', 'text/plain') });
      expect(res.statusCode).toBeLessThan(500);
      const disposition = String(res.headers['content-disposition'] ?? '');
      expect(disposition).not.toMatch(/[\r\n]/);
      expect(disposition.includes(String.fromCharCode(0))).toBe(false);
    }
  }, 300_000);

  it('redirect targets: a `next` with CR/LF, another host or a scheme never leaves the origin or splits a header', async () => {
    const salon = await createTestSalon(platform, { password: TEST_PASSWORD });
    const nexts = ['/%0d%0aSet-Cookie:%20evil=1', '/\r\nSet-Cookie: evil=1', '//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/%2f%2fevil.example', '\t//evil.example'];
    for (const next of nexts) {
      const page = await app.inject({ method: 'GET', url: `/account/sign-in?next=${encodeURIComponent(next)}` });
      expect(page.statusCode).toBeLessThan(500);
      const res = await app.inject({
        method: 'POST',
        url: '/account/sign-in',
        headers: headersOf('anonymous', 'application/x-www-form-urlencoded'),
        payload: new URLSearchParams({ _csrf: platform.csrf.tokenFor(CSRF_SECRET), email: salon.email, password: salon.password, next }).toString(),
      });
      expect(res.statusCode, `next=${JSON.stringify(next)}`).toBeLessThan(500);
      const location = String(res.headers.location ?? '');
      expect(location, `next=${JSON.stringify(next)}`).not.toMatch(/[\r\n]/);
      expect(location, `next=${JSON.stringify(next)}`).toMatch(/^\/(?![/\\])/);
      expect(String(res.headers['set-cookie'] ?? '')).not.toContain('evil=1');
    }
  }, 120_000);
});
