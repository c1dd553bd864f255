import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditActorType, AuditResult, AuditRow } from '../../platform/db/schema.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { isSecuritySettingChange, queueSettingsChange } from '../security/settings-change.events.ts';

/**
 * Append-only, hash-chained audit log: one chain per shop and one for the platform
 * (tenant_id NULL). The chain is the transaction's own scope (app.tenant_id), never an argument,
 * so a shop cannot write into another shop's chain or the platform's.
 *
 * What the chain proves in the database: an edited, deleted or reordered row, or a head that
 * disagrees with the last row, is found by verifyAuditChain. What it cannot prove alone: someone
 * with owner rights who rewrites a whole chain and its head consistently. That is covered by
 * signing the head outside the database (canonicalAuditJson and auditHash are exported for it).
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actorType: AuditActorType;
  actorId?: string | null;
  actorLabel?: string;
  action: string;
  resourceType?: string;
  resourceId?: string;
  result: AuditResult;
  sourceIp?: string;
  requestId?: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

/** The fields a row's hash covers: everything but the hashes themselves. */
export interface AuditHashedFields {
  id: string;
  tenant_id: string | null;
  seq: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  resource_type: string;
  resource_id: string;
  result: string;
  source_ip: string;
  request_id: string;
  reason: string;
  detail: unknown;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** JSON with sorted keys and no whitespace; `at` as an ISO-8601 UTC string with milliseconds. */
export function canonicalAuditJson(fields: AuditHashedFields): string {
  const row: Record<string, unknown> = {
    id: fields.id,
    tenant_id: fields.tenant_id,
    seq: Number(fields.seq),
    at: new Date(fields.at).toISOString(),
    actor_type: fields.actor_type,
    actor_id: fields.actor_id,
    actor_label: fields.actor_label,
    action: fields.action,
    resource_type: fields.resource_type,
    resource_id: fields.resource_id,
    result: fields.result,
    source_ip: fields.source_ip,
    request_id: fields.request_id,
    reason: fields.reason,
    detail: fields.detail ?? {},
  };
  return JSON.stringify(canonical(row));
}

/** sha256(prev_hash + canonical JSON), hex. */
export function auditHash(prevHash: string, fields: AuditHashedFields): string {
  return createHash('sha256').update(prevHash + canonicalAuditJson(fields), 'utf8').digest('hex');
}

// What jsonb will give back: no undefined, no functions, no NaN; keeps the hash reproducible.
function jsonRoundTrip(detail: Record<string, unknown> | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(detail ?? {})) as Record<string, unknown>;
}

/** Appends one row to the chain of the transaction's scope and moves the chain's head. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<AuditRow> {
  // Create the head on first use, then lock it: appends to one chain serialise here.
  await sql`INSERT INTO audit_heads (tenant_id, seq, hash)
    VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, 0, ${GENESIS_HASH})
    ON CONFLICT DO NOTHING`.execute(tx);
  const head = (
    await sql<{ tenant_id: string | null; seq: number; hash: string; now: Date }>`
      SELECT h.tenant_id, h.seq, h.hash, date_trunc('milliseconds', clock_timestamp()) AS now
      FROM audit_heads h
      WHERE h.tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
      FOR UPDATE`.execute(tx)
  ).rows[0];
  if (!head) throw new Error('audit chain head is not visible in this scope');

  const fields: AuditHashedFields = {
    id: randomUUID(),
    tenant_id: head.tenant_id,
    seq: Number(head.seq) + 1,
    at: new Date(head.now),
    actor_type: entry.actorType,
    actor_id: entry.actorId ?? null,
    actor_label: entry.actorLabel ?? '',
    action: entry.action,
    resource_type: entry.resourceType ?? '',
    resource_id: entry.resourceId ?? '',
    result: entry.result,
    source_ip: entry.sourceIp ?? '',
    request_id: entry.requestId ?? '',
    reason: entry.reason ?? '',
    detail: jsonRoundTrip(entry.detail),
  };
  const hash = auditHash(head.hash, fields);
  const row = await tx
    .insertInto('audit_log')
    .values({
      ...fields,
      actor_type: entry.actorType,
      result: entry.result,
      detail: JSON.stringify(fields.detail),
      prev_hash: head.hash,
      hash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('audit_heads')
    .set({ seq: fields.seq, hash })
    .where(sql<boolean>`tenant_id IS NOT DISTINCT FROM ${head.tenant_id}::uuid`)
    .execute();
  // A security-relevant setting change becomes a security event, committed with the change itself.
  if (isSecuritySettingChange(row)) await queueSettingsChange(tx, row);
  return row;
}

export type AuditChainCheck =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; brokenAtSeq: number; reason: string };

const VERIFY_PAGE = 1000;

/** Re-computes the chain of the transaction's scope from genesis and compares it with its head. */
export async function verifyAuditChain(tx: Tx): Promise<AuditChainCheck> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await tx
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, brokenAtSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { ok: false, brokenAtSeq: seq, reason: 'prev_hash does not match the previous row' };
      if (auditHash(row.prev_hash, row) !== row.hash) return { ok: false, brokenAtSeq: seq, reason: 'row content does not match its hash' };
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  const lastSeq = expectedSeq - 1;
  const head = await tx.selectFrom('audit_heads').select(['seq', 'hash']).executeTakeFirst();
  const headSeq = head ? Number(head.seq) : 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  if (headSeq !== lastSeq) {
    return { ok: false, brokenAtSeq: Math.min(headSeq, lastSeq) + 1, reason: `head is at ${headSeq} but the last row is ${lastSeq}` };
  }
  if (headHash !== prevHash) return { ok: false, brokenAtSeq: lastSeq, reason: 'head hash does not match the last row' };
  return { ok: true, count: lastSeq, head: { seq: headSeq, hash: headHash } };
}

/** Newest first; `before` is a seq, for paging back. */
export async function listAudit(tx: Tx, options: { limit: number; before?: number }): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit)), 500);
  let query = tx.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  return query.execute();
}
