import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../project-root.ts';
import { APP_ROLE, type Database, MULTI_STATEMENT } from './database.ts';

export const MIGRATIONS_DIR = projectPath('db', 'migrations');

// Any fixed number: serialises migrations when several instances boot at once.
const MIGRATION_LOCK_KEY = 4_742_001;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Roles are cluster-wide, so creating them must be idempotent and race-free (parallel test
 * databases on one server create the same role at once).
 */
function ensureAppRoleSql(kind: Database['kind'], password?: string): string {
  const login = kind === 'postgres' ? 'LOGIN' : 'NOLOGIN';
  const pw = password ? ` PASSWORD ${quoteLiteral(password)}` : '';
  return `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    BEGIN
      CREATE ROLE ${APP_ROLE} ${login} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT${pw};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END $$;${password ? `ALTER ROLE ${APP_ROLE}${pw};` : ''}`;
}

export interface MigrateResult {
  applied: string[];
}

export async function migrate(
  database: Database,
  options: { appPassword?: string; migrations?: Migration[] } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? readMigrations();
  const applied: string[] = [];
  await database.ownerSession(async (exec) => {
    await exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await exec(MULTI_STATEMENT + ensureAppRoleSql(database.kind, options.appPassword));
      await exec(`${MULTI_STATEMENT}CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        REVOKE ALL ON schema_migrations FROM ${APP_ROLE};`);
      const done = new Set((await exec('SELECT name FROM schema_migrations')).rows.map((r) => String(r.name)));
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        try {
          await exec(`${MULTI_STATEMENT}BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (name) VALUES (${quoteLiteral(m.name)});COMMIT;`);
        } catch (err) {
          await exec('ROLLBACK').catch(() => undefined);
          throw new MigrationError(m.name, err as Error);
        }
        applied.push(m.name);
      }
    } finally {
      await exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
  return { applied };
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    override readonly cause: Error,
  ) {
    super(`migration ${migration} failed: ${cause.message}`);
  }
}
