import { ConfigError, loadConfig } from '../config/config.ts';
import { createBackup } from './backup.service.ts';
import { defaultArchiveName, ownerUrlOf } from './backup-cli.args.ts';

/**
 * `npm run backup [-- <archive.tar.gz>] [--include-keys]`: the database (PostgreSQL with
 * DATABASE_URL, else the embedded one — stop Oroshi first) and the files under DATA_DIR.
 */
const args = process.argv.slice(2);
const includeKeys = args.includes('--include-keys');
const archive = args.find((a) => !a.startsWith('--')) ?? defaultArchiveName(new Date());
try {
  const config = loadConfig();
  const manifest = await createBackup({ databaseUrl: ownerUrlOf(config), dataDir: config.dataDir }, archive, { includeKeys });
  process.stdout.write(`backup written: ${archive}\n  database: ${manifest.database.kind}\n  files: ${manifest.files.length}\n`);
  for (const e of manifest.excluded) process.stdout.write(`  not included: ${e.path} — ${e.reason}\n`);
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi backup: ${message}\n`);
  process.exit(1);
}
