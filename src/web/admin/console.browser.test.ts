import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.ts';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { seedPriceRanks, seedSalonMembership, seedStaffUser, staffSessionToken, tenantIdOf } from '../../domains/staff/console.test-support.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import { OPERATOR_NAV } from '../operator/operator-nav.ts';
import { ADMIN_NAV } from './admin-nav.ts';

/**
 * The consoles in real Chromium: every main screen at desktop and phone width (screenshots kept
 * in .tmp/ for review), no horizontal overflow of the page, and no serious or critical axe
 * violation.
 */

let database: Database;
let app: FastifyInstance;
let config: Config;
let browser: Browser;
let origin: string;
let shopToken: string;
let operatorToken: string;
let membershipId: string;
let batchId: string;

const SHOTS = '.tmp/console-screens';
const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, config } = await createTestApp(database));
  const shopA = await tenantIdOf(database, 'ayame-color');
  await seedPriceRanks(database, shopA);
  const admin = await seedStaffUser(database, { tenantId: shopA, role: 'shop_admin', name: '青木 管理' });
  await seedStaffUser(database, { tenantId: shopA, role: 'order_clerk', name: '受注 次郎' });
  shopToken = await staffSessionToken(database, admin);
  membershipId = (await seedSalonMembership(database, { tenantId: shopA, company: '株式会社ヘアサロン青山' })).membershipId;
  await seedSalonMembership(database, { tenantId: shopA, company: '美容室さくら', verification: 'pending' });
  await seedSalonMembership(database, { tenantId: shopA, company: '株式会社ビューティー渋谷', status: 'approved' });
  await seedSalonMembership(database, { tenantId: shopA, company: '確認待ちサロン', verification: 'pending' });
  const csv = '会社名,担当者名,メールアドレス,ランクコード,掛け払い,与信限度額\n株式会社ヘアサロン青山,青山 花子,hanako@aoyama.example,gold,有,500000\n美容室さくら,,not-mail,platinum,有,-5\n';
  batchId = (
    await database.ownerExec(
      `INSERT INTO customer_import_batches (tenant_id, file_name, source_encoding, csv_text, row_count, uploaded_by) VALUES ($1, '顧客一覧.csv', 'cp932', $2, 2, $3) RETURNING id`,
      [shopA, csv, admin.id],
    )
  ).rows[0]!.id as string;
  const operator = await seedStaffUser(database, { tenantId: null, role: 'platform_admin', name: '水瀬 運営' });
  operatorToken = await staffSessionToken(database, operator);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  origin = address.replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function contextWith(token: string, width: number, bypassCSP = false): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP, locale: 'ja-JP' });
  await context.addCookies([{ name: cookieName(config, 'session'), value: token, url: origin }]);
  return context;
}

// Every menu entry is crawled, so a screen added to a console's menu is covered here at once.
const SHOP_PAGES = ADMIN_NAV.map((item) => item.path);
const OPERATOR_PAGES = OPERATOR_NAV.map((item) => item.path);

function pagesOf(kind: 'shop' | 'operator'): string[] {
  return kind === 'shop'
    ? [...SHOP_PAGES.map((p) => `/admin/ayame-color${p}`), `/admin/ayame-color/memberships/${membershipId}`, `/admin/ayame-color/customers/import/${batchId}`]
    : OPERATOR_PAGES;
}

describe.each(['shop', 'operator'] as const)('%s console in Chromium', (kind) => {
  it.each([
    ['desktop', 1280],
    ['phone', 390],
  ] as const)('renders every main screen at %s width without page overflow', async (label, width) => {
    const context = await contextWith(kind === 'shop' ? shopToken : operatorToken, width);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      // Failed subresources are reported below with their URL.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) violations.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) violations.push(`${r.status()} ${r.url()}`);
    });
    for (const path of pagesOf(kind)) {
      const res = await page.goto(`${origin}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(await page.locator('h1').count(), path).toBe(1);
      const name = `${kind}${path.replace(/\/[0-9a-f-]{36}/, '/detail').replace(/\//g, '_') || '_home'}-${label}.png`;
      await page.screenshot({ path: `${SHOTS}/${name}`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} overflows by ${overflow}px at ${width}px`).toBeLessThanOrEqual(0);
    }
    // No CSP violation or script error on any console page.
    expect(violations).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violations (axe)', async () => {
    const context = await contextWith(kind === 'shop' ? shopToken : operatorToken, 1280, true);
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of pagesOf(kind)) {
      await page.goto(`${origin}${path}`);
      await page.evaluate(AXE);
      const result = await page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: axe is injected for the audit only
        const axe = (window as any).axe;
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      for (const v of result as { id: string; impact: string; targets: string[] }[]) {
        if (v.impact === 'serious' || v.impact === 'critical') problems.push(`${path}: ${v.id} (${v.impact}) ${v.targets.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
