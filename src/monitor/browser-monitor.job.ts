import type { Logger } from 'pino';
import { DEMO_PASSWORD } from '../demo/demo-credentials.ts';
import { MONITOR_PROFILES, type MonitorProfile } from '../domains/monitor/monitor.tables.ts';
import { checkMonitorDeadMansSwitch } from '../domains/monitor/monitor-dead-mans-switch.ts';
import type { Config } from '../platform/config/config.ts';
import type { Database } from '../platform/db/database.ts';
import { withPlatform } from '../platform/db/tenant-scope.ts';
import type { JobQueue } from '../platform/jobs/job-queue.ts';
import { monitorChromiumAvailable } from './monitor-browser.ts';
import { runMonitorWalk } from './monitor-walk.run.ts';
import type { MonitorCredentials, SessionCache } from './shop-walk.ts';

/**
 * The browser monitor as jobs. Every MONITOR_INTERVAL_MINUTES one process (pg-boss hands each
 * cron tick to one) queues a walk per shop and profile and checks the dead-man's switch; walks
 * are spread over every process that runs jobs (one at a time per process: Chromium is heavy).
 * A deploy (boot) and a setting change queue walks at once through requestMonitorWalk.
 */

export const MONITOR_WALK_QUEUE = 'monitor.walk';
export const MONITOR_TICK_QUEUE = 'monitor.tick';
/** The tick and walk workers poll every second: the queue's hops add to the time to detection. */
export const MONITOR_POLL_SECONDS = 1;

interface WalkJob {
  tenantId: string;
  profile: MonitorProfile;
  reason: string;
}

/**
 * A boot's walk is covered by another process's boot walk of the same shop and profile queued this
 * many seconds before: the instances of one deploy start together and must not each walk every
 * shop. (A second deploy within this window is walked by the next tick, at most one interval on.)
 */
export const DEPLOY_WALK_COVER_SECONDS = 60;

/**
 * For others (settings screens, deploy, the tick): walk this shop now, in both profiles. A walk of
 * the same shop and profile still waiting to start covers the request (it will see the change), so
 * requests never pile up behind slow walks. Returns how many walks were queued.
 */
export async function requestMonitorWalk(queue: JobQueue, tenantId: string, reason: string): Promise<number> {
  let queued = 0;
  const deploy = reason === 'deploy';
  for (const profile of MONITOR_PROFILES) {
    // Boot walks have a key of their own: a scheduled walk from before the deploy covers nothing.
    const singletonKey = `${deploy ? 'deploy:' : ''}${tenantId}:${profile}`;
    const id = await queue.sendOnce<WalkJob>(
      MONITOR_WALK_QUEUE,
      { tenantId, profile, reason: reason.slice(0, 100) },
      { expireInSeconds: 300, singletonKey, recentSeconds: deploy ? DEPLOY_WALK_COVER_SECONDS : 0 },
    );
    if (id) queued++;
  }
  return queued;
}

/** The monitor member's sign-in: configured, else the demo's where the demo is seeded, else none. */
export function monitorCredentials(config: Pick<Config, 'MONITOR_EMAIL' | 'MONITOR_PASSWORD' | 'seedDemo'>): MonitorCredentials | null {
  if (config.MONITOR_EMAIL && config.MONITOR_PASSWORD) return { email: config.MONITOR_EMAIL, password: config.MONITOR_PASSWORD };
  if (config.seedDemo) return { email: 'monitor@minase-shoji.example', password: DEMO_PASSWORD };
  return null;
}

/** Why the monitor cannot walk in this process, or null. Shown on the dashboard. */
export function monitorUnavailableReason(config: Pick<Config, 'CHROMIUM_PATH' | 'MONITOR_EMAIL' | 'MONITOR_PASSWORD' | 'seedDemo'>): string | null {
  if (!monitorChromiumAvailable(config.CHROMIUM_PATH)) return `Chromium がありません（CHROMIUM_PATH=${config.CHROMIUM_PATH}）`;
  if (!monitorCredentials(config)) return '監視用メンバーの認証情報がありません（MONITOR_EMAIL / MONITOR_PASSWORD）';
  return null;
}

export async function startBrowserMonitor(queue: JobQueue, deps: { database: Database; log: Logger; config: Config }): Promise<void> {
  const { database, log, config } = deps;
  const sessions: SessionCache = new Map();
  const interval = config.MONITOR_INTERVAL_MINUTES;

  await queue.work<WalkJob>(
    MONITOR_WALK_QUEUE,
    async (job) => {
      const credentials = monitorCredentials(config);
      if (!credentials || !monitorChromiumAvailable(config.CHROMIUM_PATH)) return; // the tick reports it
      await runMonitorWalk({ database, log, config, credentials, sessions }, job.data);
    },
    // A failed walk is recorded, not retried: the next tick walks again, and stale shops are escalated.
    { retryLimit: 0, expireInSeconds: 300, pollingIntervalSeconds: MONITOR_POLL_SECONDS },
  );

  await queue.work(MONITOR_TICK_QUEUE, async () => {
    const unavailableReason = monitorUnavailableReason(config);
    if (!unavailableReason) {
      const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').orderBy('sort_order').execute());
      for (const shop of shops) await requestMonitorWalk(queue, shop.id, 'schedule');
    }
    await checkMonitorDeadMansSwitch(database, { intervalMinutes: interval, unavailableReason, protectionRequired: config.PROTECTION_REQUIRED });
  }, { retryLimit: 0, pollingIntervalSeconds: MONITOR_POLL_SECONDS });
  await queue.schedule(MONITOR_TICK_QUEUE, interval === 60 ? '0 * * * *' : `*/${interval} * * * *`, {}, { retryLimit: 0 });

  // A deploy is a boot: walk every shop now rather than at the next tick.
  if (!monitorUnavailableReason(config)) {
    const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').execute());
    for (const shop of shops) await requestMonitorWalk(queue, shop.id, 'deploy');
  } else {
    log.warn({ reason: monitorUnavailableReason(config), protectionRequired: config.PROTECTION_REQUIRED }, 'browser monitor unavailable');
  }
}
