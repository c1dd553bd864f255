import path from 'node:path';
import { loadConfig } from '../../platform/config/config.ts';
import { openDatabaseFromConfig } from '../../platform/db/open-database.ts';
import { scanDatabaseForPans, scanFilesForPans } from './pan-scan.service.ts';

/**
 * `npm run scan:pan [-- extra paths…]`: searches the database, DATA_DIR (logs, uploads, the
 * sandbox's file, backups) and any paths given (e.g. the log directory of a deployment) for card
 * numbers. Prints each finding masked with where it is; exits 1 when anything is found.
 */
const config = loadConfig();
const extra = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const roots = [config.dataDir, ...extra.map((p) => path.resolve(p))];
let found = 0;
const print = (f: { where: string; masked: string; brand: string }) => {
  found++;
  process.stdout.write(`FOUND ${f.brand} ${f.masked} at ${f.where}\n`);
};
// The embedded database's own files are scanned as files too (they may hold deleted rows).
const database = await openDatabaseFromConfig(config);
try {
  await scanDatabaseForPans(database, print);
} finally {
  await database.close();
}
const { files } = await scanFilesForPans(roots, print);
process.stdout.write(`scan:pan — database and ${files} files under ${roots.join(', ')}: ${found === 0 ? 'no card numbers found' : `${found} card number(s) found`}\n`);
process.exit(found === 0 ? 0 : 1);
