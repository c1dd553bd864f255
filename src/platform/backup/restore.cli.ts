import { ConfigError, loadConfig } from '../config/config.ts';
import { restoreBackup } from './backup.service.ts';
import { ownerUrlOf } from './backup-cli.args.ts';

/**
 * `npm run restore -- <archive.tar.gz>`: checks every hash, then restores into an EMPTY target —
 * a new PostgreSQL database (DATABASE_URL / DATABASE_OWNER_URL) or a DATA_DIR without pgdata/.
 * It never overwrites. Put the keys back from the secret store before starting Oroshi.
 */
const archive = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!archive) {
  process.stderr.write('usage: npm run restore -- <archive.tar.gz>\n');
  process.exit(2);
}
try {
  const config = loadConfig();
  const manifest = await restoreBackup(archive, { databaseUrl: ownerUrlOf(config), dataDir: config.dataDir });
  process.stdout.write(`restored ${manifest.database.kind} database and ${manifest.files.length - 1} files from ${archive} (taken ${manifest.createdAt})\n`);
  for (const e of manifest.excluded) process.stdout.write(`  not in the archive: ${e.path} — ${e.reason}\n`);
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi restore: ${message}\n`);
  process.exit(1);
}
