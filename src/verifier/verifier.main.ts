import os from 'node:os';
import { providerHostPolicy } from '../domains/payments/provider-hosts.ts';
import { configureSecurityEvents } from '../domains/security/security-events.service.ts';
import { manifestPathOf } from '../platform/build-manifest/build-integrity.ts';
import { PROJECT_ROOT } from '../platform/build-manifest/build-manifest.ts';
import { loadBuildPublicKey } from '../platform/build-manifest/build-signing-key.ts';
import { ConfigError, loadConfig } from '../platform/config/config.ts';
import type { Database } from '../platform/db/database.ts';
import { openDatabaseFromConfig } from '../platform/db/open-database.ts';
import { createLogger } from '../platform/log/logger.ts';
import { startFilePasses } from './verifier-loop.ts';
import { type FilePassResult, VERIFIER_PASS_MESSAGE } from './verifier-pass.ts';
import { newVerifierRecordState, recordVerifierPass } from './verifier-record.ts';

/**
 * `npm run verifier` (and the child process `npm start` forks): the independent verifier. It
 * checks every file of the signed build at start and every VERIFIER_INTERVAL_SECONDS, plus the
 * stored texts, and raises a critical event on any difference.
 *
 * On PostgreSQL it holds its own connection and records everything itself, so a compromised web
 * process cannot silence it (only stop its heartbeat, which the web side's dead-man's switch
 * reports — and a second web process would see). On embedded PGlite only one process may open the
 * database: a forked verifier sends each pass to its parent over IPC and the parent records it.
 */

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`verifier: configuration error — ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL).child({ process: 'verifier' });
  const publicKey = loadBuildPublicKey(config);
  const manifestPath = manifestPathOf(config);
  const viaParent = !config.DATABASE_URL && typeof process.send === 'function';
  let database: Database | null = null;
  let report: (pass: FilePassResult) => Promise<void>;
  if (viaParent) {
    report = async (pass) => {
      process.send?.({ type: VERIFIER_PASS_MESSAGE, pass });
    };
  } else {
    database = await openDatabaseFromConfig({ ...config, DATABASE_POOL_SIZE: 2 });
    const { engageCardKillSwitch } = await import('../domains/payments/card-kill-switch.service.ts');
    configureSecurityEvents({ engageCardKillSwitch, webhookUrl: config.SECURITY_WEBHOOK_URL ?? null });
    const state = newVerifierRecordState(`${os.hostname()}:${process.pid}`, config.VERIFIER_INTERVAL_SECONDS, providerHostPolicy(config));
    const db = database;
    report = async (pass) => {
      const recorded = await recordVerifierPass(db, pass, state);
      const line = { files: pass.check?.filesChecked ?? 0, texts: recorded.textsChecked, problems: recorded.problems, ms: pass.check?.durationMs ?? 0 };
      if (recorded.problems) log.fatal({ event: 'security.verifier_mismatch', ...line }, 'verifier found differences');
      else log.debug(line, 'verifier pass clean');
    };
  }
  const passes = startFilePasses({
    root: PROJECT_ROOT,
    manifestPath,
    publicKey,
    intervalSeconds: config.VERIFIER_INTERVAL_SECONDS,
    report,
    onError: (err) => log.error({ err }, 'verifier pass failed'),
  });
  log.info({ manifestPath, intervalSeconds: config.VERIFIER_INTERVAL_SECONDS, mode: viaParent ? 'ipc' : 'database' }, 'verifier started');
  const stop = async () => {
    passes.stop();
    await database?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // Forked: die with the parent instead of verifying for nobody.
  process.on('disconnect', () => void stop());
}

await main();
