import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestStaff } from '../../../../test/sign-in.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Platform } from '../../../platform/http/platform.ts';

let database: Database;
let app: FastifyInstance;
let platform: Platform;
let browser: Browser;
let origin: string;
const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  ({ app, platform } = await createTestApp(database));
  origin = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function audit(page: Page): Promise<{ id: string; impact: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  await page.reload();
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact }));
}

async function shoot(path: string, name: string, before?: (page: Page) => Promise<void>) {
  const violations: string[] = [];
  for (const [label, width] of [
    ['phone', 390],
    ['desktop', 1280],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Trusted Type|integrity/i.test(m.text())) cspErrors.push(m.text());
    });
    if (before) await before(page);
    const res = await page.goto(`${origin}${path}`);
    expect(res?.status()).toBe(200);
    await page.screenshot({ path: `.tmp/${name}-${label}.png`, fullPage: true });
    expect(cspErrors).toEqual([]);
    if (label === 'desktop') violations.push(...(await audit(page)).map((v) => `${v.id} (${v.impact})`));
    await context.close();
  }
  return violations;
}

describe('sign-in screens', () => {
  it('salon sign-in renders on phone and desktop without serious accessibility problems', async () => {
    expect(await shoot('/account/sign-in?shop=minase-beauty', 'account-sign-in')).toEqual([]);
  }, 30_000);

  it('staff sign-in and MFA enrolment (with the inventoried passkey script) render cleanly', async () => {
    expect(await shoot('/admin/sign-in', 'staff-sign-in')).toEqual([]);
    const staff = await createTestStaff(platform, { tenantId: null, totp: false });
    const signIn = async (page: Page) => {
      await page.goto(`${origin}/admin/sign-in`);
      await page.fill('#f-email', staff.email);
      await page.fill('#f-password', staff.password);
      const [posted] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button.auth-form__submit')]);
      expect(posted.status()).toBe(303);
      await page.waitForURL(/\/admin\/mfa/);
    };
    expect(await shoot('/admin/mfa', 'staff-mfa-enrol', signIn)).toEqual([]);
  }, 60_000);
});
