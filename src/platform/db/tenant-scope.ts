import { AsyncLocalStorage } from 'node:async_hooks';
import { type Kysely, sql } from 'kysely';
import { APP_ROLE, type Database, MULTI_STATEMENT } from './database.ts';
import type { DB, Session, Tenant } from './schema.ts';

/**
 * The only ways into the database while serving: every transaction switches to the runtime role
 * (PGlite connects as a superuser, PostgreSQL already connects as it) and sets the shop, so row-
 * level security scopes every query. There is no bypass: cross-shop work runs one scoped
 * transaction per shop (see domains/operator/across-tenants.ts).
 */

export type Tx = Kysely<DB>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const HOST = /^[a-z0-9.-]{1,253}$/;
const TOKEN_HASH = /^[0-9a-f]{64}$/;

export class ScopeError extends Error {}

// Values are inlined into the one-round-trip setup string (the simple-query protocol carries no
// parameters), so each is checked against a strict pattern first: nothing else reaches the SQL.
function literal(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new ScopeError(`invalid ${what}`);
  return `'${value}'`;
}

const activeScope = new AsyncLocalStorage<true>();

async function inScope<T>(
  database: Database,
  setupSql: string,
  fn: (tx: Tx, setupRows: Record<string, unknown>[]) => Promise<T>,
): Promise<T> {
  if (activeScope.getStore()) {
    // On PGlite a nested scope would wait for its own connection forever; on PostgreSQL it would
    // silently run outside the caller's transaction. Both are bugs.
    throw new ScopeError('nested database scope: pass the open transaction down instead');
  }
  return activeScope.run(true, () =>
    database.db.connection().execute(async (conn) => {
      try {
        const setup = await sql.raw<Record<string, unknown>>(setupSql).execute(conn);
        const result = await fn(conn, setup.rows);
        const commit = await sql.raw<{ command?: string }>('COMMIT').execute(conn);
        if (commit.rows[0]?.command === 'ROLLBACK') throw new ScopeError('transaction was aborted and rolled back');
        return result;
      } catch (err) {
        await sql
          .raw('ROLLBACK')
          .execute(conn)
          .catch(() => undefined);
        throw err;
      }
    }),
  );
}

export interface ScopeIdentity {
  tenantId?: string | null;
  /** The signed-in user (salon user or staff): unlocks their own credentials and factors. */
  principalId?: string | null;
  /** The signed-in salon's account: unlocks the salon's own profile, users and locations. */
  accountId?: string | null;
  audience?: 'salon' | 'staff' | 'operator' | null;
}

const AUDIENCE = /^(salon|staff|operator)$/;

function setupFor(identity: ScopeIdentity): string {
  const value = (v: string | null | undefined, pattern: RegExp, what: string) => (v ? literal(v, pattern, what) : "''");
  return `${MULTI_STATEMENT}BEGIN;SELECT set_config('role', '${APP_ROLE}', true),
    set_config('app.tenant_id', ${value(identity.tenantId, UUID, 'tenant id')}, true),
    set_config('app.principal_id', ${value(identity.principalId, UUID, 'principal id')}, true),
    set_config('app.account_id', ${value(identity.accountId, UUID, 'account id')}, true),
    set_config('app.audience', ${value(identity.audience, AUDIENCE, 'audience')}, true)`;
}

/** Run `fn` in one transaction scoped to one shop. */
export async function withTenant<T>(database: Database, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(database, setupFor({ tenantId }), (tx) => fn(tx));
}

/** Run `fn` with no shop set: platform tables and platform rows only; every shop's rows are invisible. */
export async function withPlatform<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(database, setupFor({}), (tx) => fn(tx));
}

/** Run `fn` as a given identity (jobs and flows that act for a known user or salon outside a request). */
export async function withIdentity<T>(database: Database, identity: ScopeIdentity, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope(database, setupFor(identity), (tx) => fn(tx));
}

export type TenantKey = { slug: string } | { host: string } | null;

export interface RequestScope {
  tx: Tx;
  tenant: Tenant | null;
  session: Session | null;
  /** The setup row with the preload's columns (withRequestScope's `preload`), as the database returned it. */
  preloaded: Record<string, unknown> | null;
}

const toDate = (v: unknown) => (v == null ? null : new Date(String(v)));

function tenantFromJson(j: Record<string, unknown> | null): Tenant | null {
  if (!j) return null;
  return { ...(j as unknown as Tenant), created_at: toDate(j.created_at)!, updated_at: toDate(j.updated_at)! };
}

function sessionFromJson(j: Record<string, unknown> | null): Session | null {
  if (!j) return null;
  const s = j as unknown as Session;
  return {
    ...s,
    created_at: toDate(j.created_at)!,
    last_seen_at: toDate(j.last_seen_at)!,
    idle_expires_at: toDate(j.idle_expires_at)!,
    absolute_expires_at: toDate(j.absolute_expires_at)!,
    mfa_verified_at: toDate(j.mfa_verified_at),
    revoked_at: toDate(j.revoked_at),
    step_up_at: toDate(j.step_up_at),
  };
}

/**
 * A request's whole setup in one round trip: begin, switch role, find the shop, set it as the
 * transaction's tenant and look up the session. The handler's own queries then run in the same
 * transaction.
 *
 * `preload`: a constant select list (it may refer to the shop as `t` and the session as `s`, and
 * must never carry request text) read in the same round trip once the scope is set, so row-level
 * security filters it exactly as it filters the handler's queries: a statement that sets the
 * scope, then one that reads.
 */
export async function withRequestScope<T>(
  database: Database,
  tenantKey: TenantKey,
  sessionTokenHash: string | null,
  fn: (scope: RequestScope) => Promise<T>,
  preload?: string,
): Promise<T> {
  const tenantJoin =
    tenantKey === null
      ? 'FALSE'
      : 'slug' in tenantKey
        ? `t.slug = ${literal(tenantKey.slug, SLUG, 'shop slug')}`
        : `t.custom_host = ${literal(tenantKey.host, HOST, 'host')}`;
  const sessionJoin =
    sessionTokenHash === null
      ? 'FALSE'
      : `s.token_hash = ${literal(sessionTokenHash, TOKEN_HASH, 'session token hash')} AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()`;
  const from = `FROM (SELECT 1) AS one LEFT JOIN tenants t ON ${tenantJoin} LEFT JOIN sessions s ON ${sessionJoin}`;
  const setScope = `set_config('app.tenant_id', coalesce(t.id::text, ''), true) AS tenant_scope,
  set_config('app.principal_id', coalesce(s.user_id::text, ''), true) AS principal_scope,
  set_config('app.account_id', coalesce(s.account_id::text, ''), true) AS account_scope,
  set_config('app.audience', coalesce(s.audience, ''), true) AS audience_scope`;
  const setupSql = preload
    ? `${MULTI_STATEMENT}BEGIN;SELECT set_config('role', '${APP_ROLE}', true);
SELECT ${setScope} ${from};
SELECT to_jsonb(t) AS tenant, to_jsonb(s) AS session, ${preload} ${from}`
    : `${MULTI_STATEMENT}BEGIN;SELECT set_config('role', '${APP_ROLE}', true);
SELECT to_jsonb(t) AS tenant, to_jsonb(s) AS session, ${setScope} ${from}`;
  return inScope(database, setupSql, (tx, rows) => {
    const row = rows[0] ?? {};
    return fn({
      tx,
      tenant: tenantFromJson(row.tenant as Record<string, unknown> | null),
      session: sessionFromJson(row.session as Record<string, unknown> | null),
      preloaded: preload ? row : null,
    });
  });
}
