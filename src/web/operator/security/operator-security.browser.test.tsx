import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/chromium.ts';
import { createTestStaff, staffSessionCookie } from '../../../../test/sign-in.ts';
import { createTestApp } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { seedDemoPlatform } from '../../../demo/seed-platform.ts';
import { engageCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import { raiseSecurityEvent } from '../../../domains/security/security-events.service.ts';
import type { Database } from '../../../platform/db/database.ts';

/** The security console in Chromium at phone and desktop width: screenshots, no overflow, axe. */

const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
let database: Database;
let app: FastifyInstance;
let browser: Browser;
let origin: string;
let token: string;
let eventId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  let platform: Awaited<ReturnType<typeof createTestApp>>['platform'];
  ({ app, platform } = await createTestApp(database));
  const mallId = (await database.ownerExec(`SELECT id FROM tenants WHERE slug = 'mall'`)).rows[0]!.id as string;
  const officer = await createTestStaff(platform, { tenantId: null, role: 'security_officer', displayName: '真田 剛' });
  token = (await staffSessionCookie(platform, officer)).split('=')[1]!;
  const settings = { engageCardKillSwitch, webhookUrl: null };
  const raised = await raiseSecurityEvent(
    database,
    {
      tenantId: mallId,
      layer: 'csp_report',
      severity: 'critical',
      kind: 'csp.script-src-elem',
      page: 'checkout',
      summary: '[重大] ページ「checkout」でブラウザが script-src-elem 違反を報告しました（ブロック対象: https://skimmer.evil.example）',
      fingerprint: 'csp:checkout:skim',
      evidence: [{ kind: 'csp-report', data: { blocked_uri: 'https://skimmer.evil.example/collect.js?very-long-query-string-that-must-wrap=1234567890abcdef', effective_directive: 'script-src-elem' } }],
    },
    settings,
  );
  eventId = raised.id;
  await raiseSecurityEvent(database, { tenantId: null, layer: 'dead_mans_switch', severity: 'warning', kind: 'verifier.never-reported', summary: 'ファイル検証プロセスが一度も報告していません', fingerprint: 'v' }, settings);
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function serious(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  await page.reload();
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('security console in Chromium', () => {
  it('dashboard and event pages fit phone and desktop and have no serious axe violations', async () => {
    for (const [path, name] of [
      ['/operator/security', 'security-dashboard'],
      [`/operator/security/events/${eventId}`, 'security-event'],
    ] as const) {
      for (const [label, width] of [
        ['phone', 390],
        ['desktop', 1280],
      ] as const) {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        await context.addCookies([{ name: 'oroshi_session', value: token, url: origin }]);
        const page = await context.newPage();
        const res = await page.goto(`${origin}${path}`);
        expect(res?.status()).toBe(200);
        fs.mkdirSync('.tmp', { recursive: true });
        await page.screenshot({ path: `.tmp/${name}-${label}.png`, fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} ${label} overflows`).toBeLessThanOrEqual(0);
        expect(await serious(page), `${name} ${label}`).toEqual([]);
        await context.close();
      }
    }
  }, 60_000);
});
