import { ConfigError, loadConfig } from '../config/config.ts';
import { openDatabaseFromConfig } from '../db/open-database.ts';
import { installRotatedKey, resolveRotationKeys } from './rotate-secrets.keyfile.ts';
import { rotateSecrets } from './rotate-secrets.ts';

/**
 * `npm run secrets:rotate`: re-encrypts every secret at rest from SECRETS_KEY (or the demo's
 * DATA_DIR/secrets.key) to NEW_SECRETS_KEY (or a generated key). Procedure and recovery:
 * docs/decisions/0005-key-management.md. Stop the web processes first.
 */
try {
  const config = loadConfig();
  const keys = resolveRotationKeys(config);
  const database = await openDatabaseFromConfig(config);
  try {
    const report = await rotateSecrets(database, keys);
    for (const c of report.columns) {
      process.stdout.write(`${c.column}: ${c.rotated} re-encrypted, ${c.alreadyCurrent} already under the new key\n`);
    }
    process.stdout.write(`committed: every envelope opens under key ${report.toKeyId} (was ${report.fromKeyId})\n`);
  } finally {
    await database.close();
  }
  const backup = installRotatedKey(keys);
  if (backup) {
    process.stdout.write(`the new key is now ${keys.installAs}; the previous key was kept in ${backup} — delete it once the platform runs with the new key\n`);
  } else if (keys.pendingFile) {
    process.stdout.write(`the new key was written to ${keys.pendingFile}: set SECRETS_KEY to its contents, restart every process, then delete the file\n`);
  } else {
    process.stdout.write('now set SECRETS_KEY to the value of NEW_SECRETS_KEY, unset NEW_SECRETS_KEY and restart every process\n');
  }
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi secrets:rotate: ${message}\n`);
  process.exit(1);
}
