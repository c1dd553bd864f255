import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Balancer, startBalancer } from '../../test/fault/balancer.ts';
import { BrowserSession } from '../../test/fault/browser-session.ts';
import { freePort, type OroshiProcess, startOroshi } from '../../test/fault/oroshi-process.ts';
import { withDatabase } from '../../test/test-database.ts';
import { DEMO_PASSWORD } from '../demo/demo-credentials.ts';
import { CARD_STOPPED_NOTICE, engageCardKillSwitch } from '../domains/payments/card-kill-switch.service.ts';
import { appRoleUrl, type Database, openPostgres } from '../platform/db/database.ts';

/**
 * Scale-out (issue 9, item 3): two real Oroshi processes (`node --import tsx src/main.ts`, as
 * `npm start` runs them) booted at the same moment on one EMPTY PostgreSQL database (so migrations
 * and the demo seed race), behind a loopback round-robin balancer. Sessions, carts, rate limits,
 * jobs and the card kill switch must behave as on one process. The processes share SECRETS_KEY
 * and DATA_DIR, as README's production section requires.
 *
 * Monitor walks: the browser monitor (src/monitor) is not scheduled by the web process yet
 * (src/background/jobs.ts starts no walk job), so there is nothing per-process to check; when it
 * is, its walks run through pg-boss like every other job here.
 */

const HEAVY = process.env.OROSHI_HEAVY_SUITES === '1' && Boolean(process.env.DATABASE_URL);
const SHOP = 'ayame-color';
const MEMBER = 'owner@lumiere-salon.example';

let ownerUrl: string;
let dbName: string;
let database: Database;
let dataDir: string;
let a: OroshiProcess;
let b: OroshiProcess;
let balancer: Balancer;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const pathOf = (location: string) => {
  const u = new URL(location, 'http://x');
  return `${u.pathname}${u.search}`;
};

describe.skipIf(!HEAVY)('two Oroshi processes behind a balancer — runs only in the heavy PostgreSQL run (OROSHI_HEAVY_SUITES=1)', () => {
  const browser = new BrowserSession();

  beforeAll(async () => {
    dbName = `oroshi_t_${inject('runId')}_scale_${Math.random().toString(16).slice(2, 8)}`;
    await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
    ownerUrl = withDatabase(process.env.DATABASE_URL!, dbName);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-scale-'));
    const ports = [await freePort(), await freePort()];
    balancer = await startBalancer(ports.map((p) => `http://127.0.0.1:${p}`));
    const env = {
      DATABASE_URL: ownerUrl,
      SEED_DEMO: 'true',
      DATA_DIR: dataDir,
      SECRETS_KEY: '5a'.repeat(32),
      BASE_URL: balancer.url.replace('127.0.0.1', 'localhost'),
      DATABASE_POOL_SIZE: '5',
    };
    const started = await Promise.all(ports.map((port) => startOroshi({ ...env, PORT: String(port) }, { readyTimeoutMs: 120_000 })));
    a = started[0]!;
    b = started[1]!;
    database = await openPostgres({ ownerUrl, runtimeUrl: appRoleUrl(ownerUrl), poolSize: 2 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await balancer?.close();
    await database?.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('both booted on the same empty database at once: migrations and the demo seed ran exactly once', async () => {
    const tenants = await database.ownerExec('SELECT count(*)::int AS n FROM tenants');
    expect(tenants.rows[0]!.n).toBe(6);
    const migrations = await database.ownerExec('SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name HAVING count(*) > 1');
    expect(migrations.rows).toEqual([]);
    const users = await database.ownerExec('SELECT email, count(*)::int AS n FROM salon_users GROUP BY email HAVING count(*) > 1');
    expect(users.rows).toEqual([]);
  });

  it('a session signed in through one process is valid on the other; the cart filled through one is seen by the other', async () => {
    const page = await browser.request(a.url, `/account/sign-in?shop=${SHOP}`);
    expect(page.status, page.location).toBe(200);
    const signIn = await browser.request(b.url, '/account/sign-in', { form: { _csrf: BrowserSession.csrfToken(page.body), email: MEMBER, password: DEMO_PASSWORD, shop: SHOP } });
    expect(signIn.status, a.output().slice(-500)).toBe(303);
    const handoff = await browser.request(a.url, pathOf(signIn.location));
    expect(handoff.status).toBe(303);
    const cartOnB = await browser.request(b.url, `/s/${SHOP}/cart`);
    expect(cartOnB.status).toBe(200);

    const variant = (
      await database.ownerExec(
        `SELECT v.id, v.sku, p.code FROM product_variants v JOIN tenants t ON t.id = v.tenant_id JOIN products p ON p.id = v.product_id
         WHERE t.slug = $1 AND p.status = 'active' AND p.restriction = 'none' AND v.stock_on_hand > 10 ORDER BY v.sku LIMIT 1`,
        [SHOP],
      )
    ).rows[0] as { id: string; sku: string; code: string };
    const productOnB = await browser.request(b.url, `/s/${SHOP}/p/${encodeURIComponent(variant.code)}`);
    expect(productOnB.status).toBe(200);
    const add = await browser.request(a.url, `/s/${SHOP}/cart/items`, { form: { _csrf: BrowserSession.csrfToken(productOnB.body), variantId: variant.id, quantity: '2' } });
    expect(add.status).toBe(303);
    const cartAgain = await browser.request(b.url, `/s/${SHOP}/cart`);
    expect(cartAgain.body).toContain(variant.sku);
  });

  it('the card kill switch engaged through one process is seen by both at once', async () => {
    const before = await browser.request(a.url, `/s/${SHOP}/checkout`);
    expect(before.status).toBe(200);
    expect(before.body).not.toContain(CARD_STOPPED_NOTICE);
    await engageCardKillSwitch(database, { tenantId: (await database.ownerExec('SELECT id FROM tenants WHERE slug = $1', [SHOP])).rows[0]!.id as string, reason: 'scale-out test', automatic: true });
    const [onA, onB] = await Promise.all([browser.request(a.url, `/s/${SHOP}/checkout`), browser.request(b.url, `/s/${SHOP}/checkout`)]);
    expect(onA.body).toContain(CARD_STOPPED_NOTICE);
    expect(onB.body).toContain(CARD_STOPPED_NOTICE);
  });

  it('a rate limit counts hits across both processes: 120 CSP reports a minute per address, spread over two, the 121st is refused', async () => {
    // A fixed window: start with enough of it left that all hits fall in one window.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 25_000) await new Promise((r) => setTimeout(r, left + 200));
    const report = JSON.stringify({ 'csp-report': { 'document-uri': `${balancer.url}/`, 'blocked-uri': 'inline', 'violated-directive': 'img-src', 'effective-directive': 'img-src', disposition: 'report' } });
    // Eight at a time, so that all 121 land well inside the window even on a loaded machine.
    const send = async () => {
      const res = await fetch(`${balancer.url}/hooks/csp-report`, { method: 'POST', headers: { 'content-type': 'application/csp-report' }, body: report });
      await res.arrayBuffer();
      return res.status;
    };
    const statuses: number[] = [];
    for (let sent = 0; sent < 121; sent += 8) statuses.push(...(await Promise.all(Array.from({ length: Math.min(8, 121 - sent) }, send))));
    expect(new Set(balancer.served.slice(-121))).toEqual(new Set([0, 1]));
    // Exactly the one hit beyond 120 is refused, whichever process it reached.
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 429).every((s) => s < 300)).toBe(true);
  }, 120_000);

  it('a job queued through one process is delivered exactly once although both run workers', async () => {
    const page = await browser.request(b.url, '/account/password/forgot');
    const res = await browser.request(a.url, '/account/password/forgot', { form: { _csrf: BrowserSession.csrfToken(page.body), email: 'buyer@lumiere-salon.example' } });
    expect(res.status).toBeLessThan(400);
    await until('the reset mail', async () => (await database.ownerExec(`SELECT 1 FROM mail_messages WHERE to_address = 'buyer@lumiere-salon.example'`)).rows.length > 0);
    await new Promise((r) => setTimeout(r, 3000));
    const mails = await database.ownerExec(`SELECT outbox_id FROM mail_messages WHERE to_address = 'buyer@lumiere-salon.example'`);
    expect(mails.rows).toHaveLength(1);
    const outbox = await database.ownerExec('SELECT delivered_at, attempts FROM outbox WHERE id = $1', [mails.rows[0]!.outbox_id]);
    expect(outbox.rows[0]!.delivered_at).not.toBeNull();
  }, 60_000);
});
