import { MONITOR_PROFILES } from '../domains/monitor/monitor.tables.ts';
import { ConfigError, loadConfig } from '../platform/config/config.ts';
import { openDatabaseFromConfig } from '../platform/db/open-database.ts';
import { withPlatform } from '../platform/db/tenant-scope.ts';
import { createLogger } from '../platform/log/logger.ts';
import { monitorCredentials, monitorUnavailableReason } from './browser-monitor.job.ts';
import { runMonitorWalk } from './monitor-walk.run.ts';

/**
 * `npm run monitor:walk [-- <shop-slug>]`: one walk of every shop (or one) in both profiles against
 * the running server at BASE_URL, judged and recorded like a scheduled walk. Prints each outcome,
 * deviation count and duration. Exits 1 when a walk failed or deviated. On the embedded database,
 * stop the server first (PGlite is single-process) — or use PostgreSQL.
 */
try {
  const config = loadConfig();
  const unavailable = monitorUnavailableReason(config);
  if (unavailable) throw new Error(unavailable);
  const credentials = monitorCredentials(config)!;
  const database = await openDatabaseFromConfig(config);
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let bad = 0;
  try {
    const slug = process.argv[2];
    const shops = await withPlatform(database, (tx) => {
      const query = tx.selectFrom('tenants').select(['id', 'slug']).orderBy('sort_order');
      return (slug ? query.where('slug', '=', slug) : query).execute();
    });
    if (!shops.length) throw new Error(slug ? `no shop ${slug}` : 'no shops');
    const sessions = new Map();
    for (const shop of shops) {
      for (const profile of MONITOR_PROFILES) {
        const result = await runMonitorWalk({ database, log, config, credentials, sessions }, { tenantId: shop.id, profile, reason: 'manual' });
        const outcome = result.judgement?.outcome ?? 'failed';
        if (outcome === 'failed' || outcome === 'deviation') bad++;
        process.stdout.write(`${shop.slug} ${profile}: ${outcome} (${result.judgement?.diff.deviations.length ?? 0} deviations, ${result.durationMs} ms)${result.error ? ` — ${result.error}` : ''}\n`);
        for (const d of result.judgement?.diff.deviations ?? []) process.stdout.write(`  ${d.severity} ${d.kind} ${d.step}: ${d.summary}\n`);
      }
    }
  } finally {
    await database.close();
  }
  process.exitCode = bad ? 1 : 0;
} catch (err) {
  process.stderr.write(`monitor:walk: ${err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message}\n`);
  process.exitCode = 2;
}
