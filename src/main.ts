import { startBackgroundWork } from './background/jobs.ts';
import { seedDemo } from './demo/seed-demo.ts';
import { recordProtectedPageViews } from './domains/page-views/page-view.hook.ts';
import { seedDemoProviderAccounts, startDemoPsp } from './domains/payments/demo-psp.ts';
import { guardServerEgress } from './domains/security/egress-events.ts';
import { createPlatform, prepareDatabase } from './platform/boot.ts';
import { mustVerifyBeforeListening, type PreparedBuild, prepareBuildManifest, signDevelopmentBuild } from './platform/build-manifest/build-integrity.ts';
import { ConfigError, loadConfig } from './platform/config/config.ts';
import type { Database } from './platform/db/database.ts';
import { openDatabaseFromConfig } from './platform/db/open-database.ts';
import { buildApp } from './platform/http/app.ts';
import { createLogger } from './platform/log/logger.ts';
import { startVerifierProcess } from './verifier/verifier-process.ts';
import { ROUTES } from './web/routes.ts';

/**
 * `npm start`: one web process. Boot fails fast and plainly — a bad variable or an unreachable
 * database prints one line and exits non-zero, never a stack trace.
 */
async function main(): Promise<void> {
  const startedAt = performance.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Oroshi: configuration error — ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  let database: Database;
  try {
    database = await openDatabaseFromConfig(config, (err) => log.warn({ err }, 'database connection lost; the pool will reconnect'));
    await prepareDatabase(database, config, log);
  } catch (err) {
    const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite under ${config.dataDir}`;
    process.stderr.write(`Oroshi: cannot prepare the database at ${where}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  // The files this process runs must match the signed build: production refuses to start
  // otherwise, before anything is served. Development signs what it finds at start (later edits
  // read as tampering) once the port is open, before the verifier that reads the manifest starts.
  const buildFailed = (err: unknown) => {
    process.stderr.write(`Oroshi: build integrity check failed: ${(err as Error).message}\n`);
    process.exit(1);
  };
  let verifiedBuild: PreparedBuild | null = null;
  if (mustVerifyBeforeListening(config)) {
    try {
      verifiedBuild = prepareBuildManifest(config, log);
    } catch (err) {
      buildFailed(err);
    }
  }
  const platform = createPlatform(config, database, log);
  if (verifiedBuild) platform.signedAssetHashes = verifiedBuild.staticHashes;
  if (config.seedDemo) await seedDemo(database, platform.secrets, log, { baseOrigin: config.baseOrigin, dataDir: config.dataDir });
  // The demo's payment provider: a separate server on its own origin, where cards are typed.
  // With several demo processes on one machine, the first one started runs it for all.
  const psp = config.seedDemo
    ? await startDemoPsp(config).catch((err: Error) => {
        log.warn({ err: err.message }, 'sandbox payment provider not started here (another process may run it)');
        return null;
      })
    : null;
  if (psp) await seedDemoProviderAccounts(database, { sandboxOrigin: psp.origin, secrets: platform.secrets, platformOrigin: config.baseOrigin });
  // Every protected page this process sends is recorded for incident scope (buffered, 1 s flush).
  const pageViews = recordProtectedPageViews(platform);
  const app = await buildApp(platform, ROUTES);
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    process.stderr.write(`Oroshi: cannot listen on ${config.HOST}:${config.PORT}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (!mustVerifyBeforeListening(config)) {
    const signed = await signDevelopmentBuild(config, log).catch(buildFailed);
    if (signed) platform.signedAssetHashes = signed.staticHashes;
  }
  const background = await startBackgroundWork(platform);
  // Server-side egress only to configured hosts; the independent verifier in its own process.
  const egress = await guardServerEgress(platform);
  const verifier = startVerifierProcess(platform);
  log.info({ url: config.BASE_URL, db: database.kind, boot_ms: Math.round(performance.now() - startedAt) }, 'Oroshi is ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.close();
    // The last second of page views, before the database closes.
    await pageViews.stop();
    await verifier.stop();
    egress.stop();
    await background.stop();
    await psp?.close();
    await database.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
