import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../platform/config/config.ts';
import { openDatabaseFromConfig } from '../../platform/db/open-database.ts';
import { anchorDirFromConfig, anchorFilePath } from './audit-anchor.ts';
import { loadAuditSigningKey, PUBLIC_KEY_FILE, parseAuditPublicKey, SIGNING_KEY_FILE } from './audit-anchor-key.ts';
import { formatAuditVerifyReport, verifyAuditWithAnchors } from './audit-anchor-verify.ts';

/**
 * `npm run audit:verify [-- --public-key <file.pub>]`: recomputes every audit chain and checks it
 * against the signed anchors. Exits 1 on any mismatch. With --public-key the check needs no
 * private key (an auditor's copy of audit-signing.pub); otherwise the public half of the
 * configured signing key is used. On the embedded database, stop the server first (PGlite
 * is single-process).
 */
try {
  const config = loadConfig();
  const args = process.argv.slice(2);
  const keyArg = args.indexOf('--public-key');
  let verifier: { publicKey: KeyObject; keyId: string };
  if (keyArg >= 0) {
    const file = args[keyArg + 1];
    if (!file) throw new Error('--public-key needs a file');
    verifier = parseAuditPublicKey(fs.readFileSync(path.resolve(file), 'utf8'));
  } else if (!config.AUDIT_SIGNING_KEY && !fs.existsSync(path.join(config.dataDir, SIGNING_KEY_FILE))) {
    throw new Error(`no audit signing key: set AUDIT_SIGNING_KEY or pass --public-key (${PUBLIC_KEY_FILE})`);
  } else {
    verifier = loadAuditSigningKey(config);
  }
  const database = await openDatabaseFromConfig(config);
  let ok = false;
  try {
    const anchorFile = anchorFilePath(anchorDirFromConfig(config));
    process.stdout.write(`checking ${database.kind} database against ${anchorFile}\n`);
    const report = await verifyAuditWithAnchors(database, { anchorFile, ...verifier });
    process.stdout.write(formatAuditVerifyReport(report));
    ok = report.ok;
  } finally {
    await database.close();
  }
  // Explicitly: closing PGlite resets process.exitCode.
  process.exit(ok ? 0 : 1);
} catch (err) {
  const message = err instanceof ConfigError ? `configuration error — ${err.message}` : (err as Error).message;
  process.stderr.write(`Oroshi audit:verify: ${message}\n`);
  process.exit(2);
}
