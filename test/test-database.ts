import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { appRoleUrl, type Database, openPglite, openPostgres } from '../src/platform/db/database.ts';

/**
 * A fresh database for one test file, cloned from the run's migrated template: PGlite in memory,
 * or a new PostgreSQL database when the run has DATABASE_URL. Close it in afterAll.
 */
export async function createTestDatabase(options: { countQueries?: boolean } = {}): Promise<Database> {
  const pgTemplate = inject('pgTemplate');
  if (pgTemplate) {
    const adminUrl = process.env.DATABASE_URL!;
    const name = `oroshi_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
    await withAdmin(adminUrl, async (admin) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
          return;
        } catch (err) {
          // 55006: the template is briefly in use by a concurrent clone.
          if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
        }
      }
    });
    const ownerUrl = withDatabase(adminUrl, name);
    const db = await openPostgres({ ownerUrl, runtimeUrl: appRoleUrl(ownerUrl), poolSize: 10, countQueries: options.countQueries });
    return {
      ...db,
      async close() {
        await db.close();
        await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  }
  const blob = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
  return openPglite({ loadDataDir: blob, countQueries: options.countQueries });
}

export function isPostgresRun(): boolean {
  return Boolean(inject('pgTemplate'));
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
