import type { Database } from '../../src/platform/db/database.ts';

/**
 * Row counts of every table in the public schema, in one statement. Log tables that record a
 * refusal on purpose (audit chain, security events, rate-limit counters, CSP reports, mail about a
 * failed sign-in and its outbox) are left out: that a refused request is recorded there is the
 * design, not a change of business data.
 */
export const LOG_TABLES = new Set(['audit_log', 'audit_heads', 'rate_limit_counters', 'csp_reports', 'security_events', 'security_evidence', 'security_alerts', 'mail_messages', 'outbox']);

export async function rowCountQuery(database: Database): Promise<string> {
  const { rows } = await database.ownerExec(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const tables = rows.map((r) => String(r.tablename)).filter((t) => !LOG_TABLES.has(t));
  return `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ')}`;
}

export async function rowCounts(database: Database, query: string): Promise<Record<string, number>> {
  return (await database.ownerExec(query)).rows[0] as Record<string, number>;
}

export function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}
