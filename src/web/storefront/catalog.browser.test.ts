import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/chromium.ts';
import { createTestApp } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoCatalog } from '../../demo/seed-catalog.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { createSession } from '../../domains/auth/session.service.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';

/**
 * The catalog pages in Chromium at phone (390) and desktop (1280) widths: screenshots into .tmp/
 * for review, no horizontal overflow, and no serious or critical axe-core violation.
 */

const SHOP = 'kaoru-haircare';
let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let token: string;
let productCode: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  await seedDemoCatalog(database);
  ({ app } = await createTestApp(database));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const tenant = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').where('slug', '=', SHOP).executeTakeFirstOrThrow());
  const accountId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  token = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: 'corporation',
        company_name: '株式会社ヘアサロン青葉',
        salon_name: 'Hair Salon AOBA',
        representative_name: '青葉 彩',
        postal_code: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        address_line1: '神宮前1-1-1',
        phone: '03-1234-5678',
        verification_status: 'verified',
      })
      .execute();
    await tx.insertInto('salon_users').values({ id: userId, account_id: accountId, email: 'aoba@salon.example', display_name: 'ヘアサロン青葉', role: 'owner' }).execute();
    return (await createSession(tx, { audience: 'salon', userId, accountId })).token;
  });
  productCode = await withTenant(database, tenant.id, async (tx) => {
    const rank = await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', 'silver').executeTakeFirstOrThrow();
    await tx
      .insertInto('memberships')
      .values({ tenant_id: tenant.id, account_id: accountId, status: 'approved', rank_id: rank.id, consent_at: new Date(), consent_version: 'test', decided_at: new Date() })
      .execute();
    const p = await tx
      .selectFrom('products as p')
      .innerJoin('volume_tiers as t', (j) => j.onTrue())
      .innerJoin('product_variants as v', (j) => j.onRef('v.id', '=', 't.variant_id').onRef('v.product_id', '=', 'p.id'))
      .select('p.code')
      .where('p.status', '=', 'active')
      .orderBy('p.code')
      .limit(1)
      .executeTakeFirstOrThrow();
    // Two favourites so よく買う商品 is not empty on the screenshot.
    const favs = await tx.selectFrom('products').select('id').where('status', '=', 'active').orderBy('code').limit(4).execute();
    await tx.insertInto('favourites').values(favs.map((f) => ({ tenant_id: tenant.id, user_id: userId, product_id: f.id }))).execute();
    return p.code;
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const axeSource = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

async function visit(path: string, width: number, shot: string) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true, deviceScaleFactor: 1 });
  await context.addCookies([{ name: 'oroshi_session', value: token, url: origin }]);
  const page = await context.newPage();
  const res = await page.goto(`${origin}/s/${SHOP}${path}`);
  expect(res?.status()).toBe(200);
  await page.screenshot({ path: `.tmp/storefront-${shot}-${width}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  await context.close();
  return { overflow, violations: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`) };
}

describe('storefront pages in Chromium', () => {
  const pages = () => [
    ['home', '/'],
    ['listing', '/c/shampoo'],
    ['product', `/p/${productCode}`],
    ['search', `/search?q=${encodeURIComponent('しゃんぷー')}`],
  ];

  for (const width of [390, 1280]) {
    it(`render at ${width}px without overflow or serious axe violations`, async () => {
      for (const [name, path] of pages()) {
        const { overflow, violations } = await visit(path!, width, name!);
        expect(violations, `${name} at ${width}`).toEqual([]);
        expect(overflow, `${name} at ${width}`).toBeLessThanOrEqual(0);
      }
    }, 60_000);
  }
});
