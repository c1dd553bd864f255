import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

/**
 * One migrated template database per test run; every test file clones it (test/test-database.ts).
 * PGlite: a dumped data directory in a temp file. PostgreSQL (DATABASE_URL set): a template
 * database on that server, cloned with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const heavy = process.env.OROSHI_HEAVY_SUITES;
  if (heavy !== '1') {
    const left = heavy === 'browser' ? 'attack, fault, fuzz and scale-out suites (test/)' : 'browser (*.browser.test.ts), attack, fault, fuzz and scale-out suites';
    process.stderr.write(`\n*** NOT RUN in this run: ${left}. Run everything with OROSHI_HEAVY_SUITES=1 npm test (needs apt-get install -y chromium). ***\n\n`);
  }
  if ((heavy === '1' || heavy === 'browser') && !fs.existsSync('/usr/bin/chromium')) {
    throw new Error('OROSHI_HEAVY_SUITES needs Debian\'s Chromium at /usr/bin/chromium: apt-get install -y chromium');
  }
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const templateName = `oroshi_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${templateName}`);
    const templateUrl = withDatabase(adminUrl, templateName);
    const { openPostgres } = await import('../src/platform/db/database.ts');
    const { appRoleUrl } = await import('../src/platform/db/database.ts');
    const db = await openPostgres({ ownerUrl: templateUrl, runtimeUrl: appRoleUrl(templateUrl), poolSize: 2 });
    await migrate(db);
    const { installJobSchema } = await import('../src/platform/jobs/job-schema.ts').catch(() => ({ installJobSchema: undefined }));
    if (installJobSchema) await installJobSchema(db);
    await db.close();
    project.provide('pgTemplate', templateName);
    project.provide('pgliteTemplate', '');
    project.provide('runId', runId);
    return async () => {
      // Clones are dropped by their files; drop the template and any clone a crashed file left behind.
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'oroshi_t_${runId}%' OR datname = $1`, [templateName]);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-test-'));
  const db = await openPglite({});
  await migrate(db);
  const { installJobSchema } = await import('../src/platform/jobs/job-schema.ts').catch(() => ({ installJobSchema: undefined }));
  if (installJobSchema) await installJobSchema(db);
  const dump = await db.dumpDataDir?.();
  await db.close();
  if (!dump) throw new Error('PGlite database cannot dump its data directory');
  const file = path.join(dir, 'template.tar.gz');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  project.provide('runId', runId);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteTemplate: string;
    runId: string;
  }
}
