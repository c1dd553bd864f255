import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { startJobQueue } from '../../platform/jobs/job-queue.ts';
import { appendAudit } from './audit.service.ts';
import { AUDIT_ANCHOR_CRON, AUDIT_ANCHOR_QUEUE, runAuditAnchoring, startAuditAnchoring } from './audit-anchor.job.ts';
import { anchorFilePath, readAnchorFile } from './audit-anchor.ts';
import { parseAuditSigningKey } from './audit-anchor-key.ts';

let database: Database;
let shop: string;
const anchorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-anchor-job-'));
const { privateKey } = generateKeyPairSync('ed25519');
const signingKey = parseAuditSigningKey(String(privateKey.export({ format: 'pem', type: 'pkcs8' })));

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('anchor-job','J','J社','{}') RETURNING id`);
  shop = String(rows[0]?.id);
  await withTenant(database, shop, (tx) => appendAudit(tx, { actorType: 'staff', action: 'staff.login', result: 'success' }));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(anchorDir, { recursive: true, force: true });
});

describe('startAuditAnchoring', () => {
  it('anchors at boot and schedules the anchoring job', async () => {
    const log = pino({ level: 'silent' });
    const queue = await startJobQueue({ database, log, schedule: false, supervise: false, pollingIntervalSeconds: 0.5 });
    try {
      const atBoot = await startAuditAnchoring(queue, { database, log, signingKey, anchorDir });
      expect(atBoot.anchored.map((a) => [a.chain, a.seq])).toEqual([[shop, 1]]);
      expect(readAnchorFile(anchorFilePath(anchorDir))).toHaveLength(1);
      const { rows } = await database.ownerExec('SELECT cron FROM pgboss.schedule WHERE name = $1', [AUDIT_ANCHOR_QUEUE]);
      expect(rows).toEqual([{ cron: AUDIT_ANCHOR_CRON }]);
    } finally {
      await queue.stop();
    }
  });

  it('logs a security event when a chain no longer matches its anchor', async () => {
    await database.ownerSession(async (exec) => {
      await exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await exec(`UPDATE audit_log SET hash = $1 WHERE tenant_id = $2 AND seq = 1`, ['e'.repeat(64), shop]);
      await exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const result = await runAuditAnchoring({ database, log, signingKey, anchorDir });
    expect(result.mismatches).toEqual([{ chain: shop, reason: 'row 1 no longer has its anchored hash' }]);
    const events = lines.map((l) => JSON.parse(l) as { event?: string; chain?: string });
    expect(events).toContainEqual(expect.objectContaining({ event: 'security.audit_anchor_mismatch', chain: shop }));
  });
});
