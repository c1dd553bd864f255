import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withPlatform } from '../../platform/db/tenant-scope.ts';
import { type RaisedSecurityEvent, raiseSecurityEvent } from './security-events.service.ts';

/**
 * The verifier writes a heartbeat after every pass; the web processes watch it (dead-man's
 * switch). A verifier that was killed, hangs, or was swapped for one that no longer checks stops
 * beating, and two missed intervals are a critical platform-wide event: nobody can vouch for the
 * build any more.
 */

export interface VerifierHeartbeat {
  instance: string;
  intervalSeconds: number;
  filesChecked: number;
  textsChecked: number;
  problems: number;
  durationMs: number;
  manifestSignedAt: Date | null;
  manifestKeyId: string;
}

export async function writeVerifierHeartbeat(database: Database, beat: VerifierHeartbeat): Promise<void> {
  const values = {
    checked_at: new Date(),
    interval_seconds: beat.intervalSeconds,
    files_checked: beat.filesChecked,
    texts_checked: beat.textsChecked,
    problems: beat.problems,
    duration_ms: beat.durationMs,
    manifest_signed_at: beat.manifestSignedAt,
    manifest_key_id: beat.manifestKeyId,
  };
  await withPlatform(database, (tx) =>
    tx
      .insertInto('verifier_heartbeats')
      .values({ instance: beat.instance, ...values })
      .onConflict((oc) => oc.column('instance').doUpdateSet(values))
      .execute(),
  );
}

export interface VerifierStatus {
  instance: string;
  startedAt: Date;
  checkedAt: Date;
  ageSeconds: number;
  intervalSeconds: number;
  filesChecked: number;
  textsChecked: number;
  problems: number;
  durationMs: number;
  manifestSignedAt: Date | null;
  stale: boolean;
}

export async function listVerifierStatus(tx: Tx): Promise<VerifierStatus[]> {
  const rows = await tx
    .selectFrom('verifier_heartbeats')
    .selectAll()
    .select(sql<number>`extract(epoch FROM now() - checked_at)::float8`.as('age'))
    .orderBy('checked_at', 'desc')
    .execute();
  return rows.map((r) => ({
    instance: r.instance,
    startedAt: new Date(r.started_at),
    checkedAt: new Date(r.checked_at),
    ageSeconds: Math.max(0, Math.round(Number(r.age))),
    intervalSeconds: r.interval_seconds,
    filesChecked: r.files_checked,
    textsChecked: r.texts_checked,
    problems: r.problems,
    durationMs: r.duration_ms,
    manifestSignedAt: r.manifest_signed_at ? new Date(r.manifest_signed_at) : null,
    stale: Number(r.age) > 2 * r.interval_seconds,
  }));
}

/**
 * The dead-man's switch for the verifier, run by a web process's job every minute. `since` is when
 * watching began (this process's boot): before two intervals have passed a missing heartbeat is
 * not yet a stall.
 */
export async function checkVerifierHeartbeat(
  database: Database,
  options: {
    intervalSeconds: number;
    since: Date;
    now?: Date;
    /** A verifier that never reported at all: critical in production; a loud warning in development, where it may simply not be started. */
    neverSeenSeverity?: 'warning' | 'critical';
  },
): Promise<RaisedSecurityEvent | null> {
  const now = options.now ?? new Date();
  const limitSeconds = 2 * options.intervalSeconds;
  if ((now.getTime() - options.since.getTime()) / 1000 < limitSeconds) return null;
  const latest = await withPlatform(database, (tx) => tx.selectFrom('verifier_heartbeats').select(['instance', 'checked_at']).orderBy('checked_at', 'desc').executeTakeFirst());
  const ageSeconds = latest ? (now.getTime() - new Date(latest.checked_at).getTime()) / 1000 : Number.POSITIVE_INFINITY;
  if (ageSeconds <= limitSeconds) return null;
  return raiseSecurityEvent(database, {
    tenantId: null,
    layer: 'dead_mans_switch',
    severity: latest ? 'critical' : (options.neverSeenSeverity ?? 'critical'),
    kind: latest ? 'verifier.stalled' : 'verifier.never-reported',
    summary: latest
      ? `ファイル検証プロセスの応答が ${Math.round(ageSeconds)} 秒途絶えています（上限 ${limitSeconds} 秒）`
      : `ファイル検証プロセスが一度も報告していません（起動から ${Math.round((now.getTime() - options.since.getTime()) / 1000)} 秒）`,
    fingerprint: latest ? 'verifier:stalled' : 'verifier:never-reported',
    evidence: [{ kind: 'heartbeat', data: { lastInstance: latest?.instance ?? null, lastCheckedAt: latest ? new Date(latest.checked_at).toISOString() : null, limitSeconds, at: now.toISOString() } }],
  });
}
