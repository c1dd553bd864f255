import os from 'node:os';
import type { Logger } from 'pino';
import type { Browser } from 'playwright-core';
import type { MonitorProfile } from '../domains/monitor/monitor.tables.ts';
import { claimWalkTurn, WALK_TURN_STALE_SECONDS } from '../domains/monitor/monitor-walks.service.ts';
import { judgeWalk, type RaiseSecurityEvent, recordFailedWalk, type WalkJudgement } from '../domains/monitor/walk-judgement.service.ts';
import type { Config } from '../platform/config/config.ts';
import type { Database } from '../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { shopHomeUrl } from '../platform/http/shop-urls.ts';
import { launchMonitorBrowser } from './monitor-browser.ts';
import { type MonitorCredentials, type SessionCache, walkShop } from './shop-walk.ts';

/**
 * One scheduled unit of monitor work: walk one shop in one profile, record it, judge it. The
 * browser is launched for the walk and closed after it (~0.5 s): a crashed or poisoned browser
 * never carries over to the next shop.
 */

export interface MonitorRunSettings {
  database: Database;
  log: Logger;
  config: Pick<Config, 'BASE_DOMAIN' | 'pathTenants' | 'baseOrigin' | 'CHROMIUM_PATH' | 'APP_ENV'>;
  /** Where the walker reaches the platform (default config.baseOrigin; tests pass their listening address). */
  platformUrl?: string;
  credentials: MonitorCredentials;
  sessions: SessionCache;
  /** Hosts the payment step may end on where the baseline has none (default: the shop's configured hosted-page host). */
  providerHosts?: readonly string[];
  /** Development: the first baseline of a shop is approved by the system (see monitor-baselines.service.ts). */
  autoApproveFirstBaseline?: boolean;
  launch?: () => Promise<Browser>;
  raise?: RaiseSecurityEvent;
}

export const MONITOR_INSTANCE = `${os.hostname()}:${process.pid}`;

export interface MonitorRunResult {
  walkId: string;
  durationMs: number;
  judgement: WalkJudgement | null;
  error: string | null;
  notes: string[];
}

/** The host of the shop's provider page as its payment settings name it (none: no provider set up). */
async function configuredProviderHosts(tx: Tx): Promise<string[]> {
  const account = await tx.selectFrom('provider_accounts').select('hosted_page_origin').executeTakeFirst();
  if (!account) return [];
  try {
    return [new URL(account.hosted_page_origin).host];
  } catch {
    return [];
  }
}

const WALK_TURN_POLL_MS = 500;

/** Waits for the shop's turn (one walk of a shop at a time, see claimWalkTurn), then opens the walk's record. */
async function takeWalkTurn(
  database: Database,
  walk: { tenantId: string; profile: MonitorProfile; reason: string; instance: string },
  configuredHosts: readonly string[] | undefined,
): Promise<{ walkId: string; providerHosts: readonly string[] }> {
  const giveUpAt = Date.now() + WALK_TURN_STALE_SECONDS * 1000;
  for (;;) {
    const claimed = await withTenant(database, walk.tenantId, async (tx) => {
      const walkId = await claimWalkTurn(tx, walk);
      return walkId ? { walkId, providerHosts: configuredHosts ?? (await configuredProviderHosts(tx)) } : null;
    });
    if (claimed) return claimed;
    // A turn never comes only if the other walk's process died mid-walk; by then its row is stale.
    if (Date.now() > giveUpAt) throw new Error('monitor walk: the shop stayed busy with another walk');
    await new Promise((r) => setTimeout(r, WALK_TURN_POLL_MS));
  }
}

export async function runMonitorWalk(settings: MonitorRunSettings, job: { tenantId: string; profile: MonitorProfile; reason: string }): Promise<MonitorRunResult> {
  const { database, config } = settings;
  const shop = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug', 'custom_host']).where('id', '=', job.tenantId).executeTakeFirstOrThrow());
  const platformUrl = settings.platformUrl ?? config.baseOrigin;
  const shopUrl = new URL(shopHomeUrl(config, shop), platformUrl).href;
  const { walkId, providerHosts } = await takeWalkTurn(database, { tenantId: shop.id, profile: job.profile, reason: job.reason, instance: MONITOR_INSTANCE }, settings.providerHosts);
  const started = performance.now();
  let browser: Browser | null = null;
  try {
    browser = await (settings.launch ?? (() => launchMonitorBrowser(config.CHROMIUM_PATH)))();
    const walked = await walkShop({ browser, platformUrl, shopUrl, shopSlug: shop.slug, profile: job.profile, credentials: settings.credentials, sessions: settings.sessions });
    const judgement = await judgeWalk(
      database,
      {
        tenantId: shop.id,
        profile: job.profile,
        walkId,
        snapshot: walked.snapshot,
        durationMs: walked.durationMs,
        autoApproveFirstBaseline: settings.autoApproveFirstBaseline ?? config.APP_ENV === 'development',
        providerHosts,
        incomplete: walked.incomplete,
      },
      settings.raise,
    );
    settings.log.info({ shop: shop.slug, profile: job.profile, outcome: judgement.outcome, deviations: judgement.diff.deviations.length, ms: walked.durationMs, notes: walked.notes }, 'monitor walk');
    return { walkId, durationMs: walked.durationMs, judgement, error: walked.incomplete, notes: walked.notes };
  } catch (err) {
    const error = String((err as Error)?.message ?? err).slice(0, 2000);
    const durationMs = Math.round(performance.now() - started);
    await recordFailedWalk(database, { tenantId: shop.id, walkId, durationMs, error });
    settings.log.warn({ shop: shop.slug, profile: job.profile, err }, 'monitor walk failed');
    return { walkId, durationMs, judgement: null, error, notes: [] };
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
