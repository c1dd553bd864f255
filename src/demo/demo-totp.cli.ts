import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../platform/config/config.ts';
import { SecretsKey } from '../platform/config/secrets.ts';
import { type Database, openPglite } from '../platform/db/database.ts';
import { openDatabaseFromConfig } from '../platform/db/open-database.ts';
import { DEFAULT_TOTP_EMAIL } from './demo-credentials.ts';
import { currentStaffTotp } from './demo-totp.ts';

/**
 * `npm run demo:totp -- [email]`: prints a demo staff member's (or a two-step salon user's)
 * current TOTP code (default: the first shop's admin) and how many seconds it stays valid.
 *
 * The embedded database is single-process: opening DATA_DIR/pgdata next to a running server
 * would corrupt it. So on PGlite this reads a throw-away copy of the data directory (the seeded
 * secret is long on disk by then); on PostgreSQL it connects like the server does.
 */
let tmpCopy: string | undefined;
let failed = false;
try {
  const config = loadConfig();
  const email = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? DEFAULT_TOTP_EMAIL;
  const keyFile = path.join(config.dataDir, 'secrets.key');
  if (!config.SECRETS_KEY && !fs.existsSync(keyFile)) throw new Error(`no secrets key: start the demo once (npm start) so ${keyFile} exists`);
  const secrets = SecretsKey.load(config);
  let database: Database;
  if (config.DATABASE_URL) {
    database = await openDatabaseFromConfig(config);
  } else {
    const live = path.join(config.dataDir, 'pgdata');
    if (!fs.existsSync(live)) throw new Error(`no embedded database at ${live}: start the demo once (npm start)`);
    tmpCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-totp-'));
    fs.cpSync(live, path.join(tmpCopy, 'pgdata'), { recursive: true });
    database = await openPglite({ dataDir: path.join(tmpCopy, 'pgdata') });
  }
  try {
    const { code, secondsLeft } = await currentStaffTotp(database, secrets, email);
    process.stdout.write(`${email}: ${code} (valid for ${secondsLeft} more seconds)\n`);
  } finally {
    await database.close();
  }
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi demo:totp: ${message}\n`);
  failed = true;
} finally {
  if (tmpCopy) fs.rmSync(tmpCopy, { recursive: true, force: true });
}
// Explicitly: closing PGlite resets process.exitCode.
process.exit(failed ? 1 : 0);
