import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from './database.ts';

/**
 * Reads the database catalog after all migrations: a table that holds shop data without forced
 * RLS, a view that runs with its owner's rights, a materialized view or an unlisted SECURITY
 * DEFINER function would each be a way around shop isolation. New tables must be classified.
 */

/** Platform tables: no shop's data in them (sessions carry user ids, never shop data). */
const PLATFORM_TABLES = new Set(['platform_operator', 'tenants', 'sessions', 'rate_limit_counters', 'schema_migrations', 'auth_tokens', 'verifier_heartbeats', 'script_inventory_approvals', 'platform_page_views', 'incidents']);
/**
 * A salon's own data and users' credentials: no tenant_id (one salon account serves many shops),
 * but forced RLS scoped to the salon, its shops through memberships, or the user alone.
 */
const ACCOUNT_TABLES = new Set(['salon_accounts', 'salon_users', 'salon_locations', 'salon_certificates', 'user_credentials', 'mfa_totp', 'webauthn_credentials', 'mfa_recovery_codes']);
/** Tables mixing platform rows (tenant_id NULL) with shop rows, under an IS NOT DISTINCT FROM policy. */
const MIXED_TABLES = new Set(['audit_log', 'audit_heads', 'outbox', 'mail_messages', 'csp_reports', 'staff_users', 'staff_ip_allowlist', 'card_kill_switches', 'card_kill_switch_history', 'security_events', 'security_evidence', 'security_alerts', 'incident_milestones', 'incident_documents']);
/**
 * pg-boss 10 creates and drops a queue's partition through these two; they touch only its own
 * schema, which holds job ids and outbox ids, never shop data.
 */
/**
 * (RESTRICTIVE policies can only narrow what the tenant policy allows and are not checked here.)
 * Permissive policies on shop tables that do not test app.tenant_id, each reviewed: a salon reads its own
 * memberships across shops and may insert only an application (status 'applied', undecided).
 */
const EXTRA_POLICIES = new Set(['memberships.salon_reads_own', 'memberships.salon_applies']);
const ALLOWED_SECURITY_DEFINER = new Set<string>(['pgboss.create_queue', 'pgboss.delete_queue', 'public.auth_find_login']);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const q = async <T>(sql: string) => (await database.ownerExec(sql)).rows as T[];

describe('row-level security catalog', () => {
  it('forces RLS with a tenant policy on every table that has tenant_id', async () => {
    const rows = await q<{ table: string; rls: boolean; forced: boolean; policies: string[] | null; nullable: boolean }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
        (SELECT array_agg(p.policyname || ' | ' || coalesce(p.qual, '') || ' | ' || coalesce(p.with_check, '')) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname AND p.permissive = 'PERMISSIVE') AS policies,
        NOT a.attnotnull AS nullable
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')`);
    expect(rows.length).toBeGreaterThan(0);
    const problems = rows.flatMap((r) => {
      const out: string[] = [];
      if (!r.rls) out.push(`${r.table}: RLS not enabled`);
      if (!r.forced) out.push(`${r.table}: RLS not forced`);
      if (!r.policies?.length) out.push(`${r.table}: no policy`);
      for (const p of r.policies ?? []) {
        if (EXTRA_POLICIES.has(`${r.table}.${p.split(' | ')[0]}`)) continue;
        if (!p.includes("current_setting('app.tenant_id'::text, true)")) out.push(`${r.table}: policy not on app.tenant_id: ${p}`);
        if (!/nullif\(current_setting\('app\.tenant_id'::text, true\), ''::text\)/i.test(p)) out.push(`${r.table}: policy without nullif: ${p}`);
      }
      if (r.nullable && !MIXED_TABLES.has(r.table)) out.push(`${r.table}: tenant_id is nullable`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('classifies every table: shop-owned (tenant_id) or a listed platform table', async () => {
    const rows = await q<{ table: string }>(`
      SELECT c.relname AS table FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    expect(rows.map((r) => r.table).filter((t) => !PLATFORM_TABLES.has(t) && !ACCOUNT_TABLES.has(t))).toEqual([]);
  });

  it('forces RLS on every salon-account and credential table', async () => {
    const rows = await q<{ table: string; rls: boolean; forced: boolean; policies: number }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
        (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)::int AS policies
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`);
    const accountRows = rows.filter((r) => ACCOUNT_TABLES.has(r.table));
    expect(accountRows).toHaveLength(ACCOUNT_TABLES.size);
    expect(accountRows.filter((r) => !r.rls || !r.forced || r.policies === 0).map((r) => r.table)).toEqual([]);
  });

  it('keys between shop tables include tenant_id', async () => {
    const rows = await q<{ constraint: string; cols: string[] }>(`
      SELECT con.conname AS constraint,
        (SELECT array_agg(a.attname::text) FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS cols
      FROM pg_constraint con
      WHERE con.contype = 'f' AND con.connamespace = 'public'::regnamespace
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attname = 'tenant_id')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attname = 'tenant_id')`);
    expect(rows.filter((r) => !r.cols.includes('tenant_id')).map((r) => r.constraint)).toEqual([]);
  });

  it('has no owner-rights views, no materialized views, no unlisted SECURITY DEFINER functions', async () => {
    const views = await q<{ name: string; options: string[] | null }>(`
      SELECT c.relname AS name, c.reloptions AS options FROM pg_class c
      WHERE c.relkind = 'v' AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)`);
    expect(views.filter((v) => !(v.options ?? []).includes('security_invoker=true')).map((v) => v.name)).toEqual([]);
    const matviews = await q<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind = 'm'`);
    expect(matviews).toEqual([]);
    const definers = await q<{ name: string }>(`
      SELECT n.nspname || '.' || p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')`);
    expect(definers.map((d) => d.name).filter((n) => !ALLOWED_SECURITY_DEFINER.has(n))).toEqual([]);
  });

  it('the runtime role owns nothing and cannot bypass RLS', async () => {
    const rows = await q<{ owned: number; bypass: boolean; superuser: boolean }>(`
      SELECT (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)::int AS owned, r.rolbypassrls AS bypass, r.rolsuper AS superuser
      FROM pg_roles r WHERE r.rolname = 'oroshi_app'`);
    expect(rows).toEqual([{ owned: 0, bypass: false, superuser: false }]);
  });

  it('the runtime role cannot change the audit log', async () => {
    const rows = await q<{ can_update: boolean; can_delete: boolean; can_insert: boolean }>(`
      SELECT has_table_privilege('oroshi_app', 'audit_log', 'UPDATE') AS can_update,
             has_table_privilege('oroshi_app', 'audit_log', 'DELETE') AS can_delete,
             has_table_privilege('oroshi_app', 'audit_log', 'INSERT') AS can_insert`);
    expect(rows).toEqual([{ can_update: false, can_delete: false, can_insert: true }]);
  });
});
