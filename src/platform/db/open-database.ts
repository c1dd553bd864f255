import path from 'node:path';
import type { Config } from '../config/config.ts';
import { APP_ROLE, appRoleUrl, type Database, openPglite, openPostgres } from './database.ts';

/** Opens the database the configuration names: PostgreSQL with DATABASE_URL, else PGlite under DATA_DIR. */
export async function openDatabaseFromConfig(config: Config, onPoolError?: (err: Error) => void): Promise<Database> {
  const countQueries = config.DB_QUERY_STATS;
  if (!config.DATABASE_URL) return openPglite({ dataDir: path.join(config.dataDir, 'pgdata'), countQueries });
  // DATABASE_OWNER_URL given: DATABASE_URL is already the runtime login. Otherwise DATABASE_URL is
  // the owner and the runtime connects as the app role on the same server.
  const ownerUrl = config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
  const runtimeUrl = config.DATABASE_OWNER_URL ? config.DATABASE_URL : appRoleUrl(config.DATABASE_URL, config.DATABASE_APP_PASSWORD);
  return openPostgres({ ownerUrl, runtimeUrl, poolSize: config.DATABASE_POOL_SIZE, onPoolError, countQueries });
}

export class UnsafeRuntimeRoleError extends Error {}

/**
 * On PostgreSQL the runtime login must not be able to step around row-level security: not a
 * superuser, no BYPASSRLS, owner of nothing, not a member of a role that is. Boot refuses otherwise.
 * (PGlite has a single superuser session; there the role switch happens per transaction and the
 * guarantee is weaker — see docs/architecture.md.)
 */
export async function assertRuntimeRoleIsSafe(database: Database): Promise<void> {
  if (database.kind !== 'postgres') return;
  const { rows } = await database.runtimeExec(`
    SELECT current_user AS who, r.rolsuper, r.rolbypassrls,
      (SELECT count(*) FROM pg_class c WHERE pg_has_role(current_user, c.relowner, 'USAGE') AND c.relnamespace = 'public'::regnamespace)::int AS owned,
      (SELECT count(*) FROM pg_roles o WHERE pg_has_role(current_user, o.oid, 'MEMBER') AND o.oid <> r.oid AND (o.rolsuper OR o.rolbypassrls))::int AS privileged_memberships
    FROM pg_roles r WHERE r.rolname = current_user`);
  const row = rows[0] as { who: string; rolsuper: boolean; rolbypassrls: boolean; owned: number; privileged_memberships: number } | undefined;
  if (!row) throw new UnsafeRuntimeRoleError('cannot read the runtime role');
  const problems = [
    row.rolsuper && 'is a superuser',
    row.rolbypassrls && 'has BYPASSRLS',
    row.owned > 0 && `owns (or can act as the owner of) ${row.owned} relations`,
    row.privileged_memberships > 0 && 'is a member of a superuser or BYPASSRLS role',
  ].filter(Boolean);
  if (problems.length) {
    throw new UnsafeRuntimeRoleError(`runtime database role "${row.who}" ${problems.join(', ')}; connect as a non-owner role such as ${APP_ROLE}`);
  }
}
