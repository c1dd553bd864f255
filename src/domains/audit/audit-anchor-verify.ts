import type { KeyObject } from 'node:crypto';
import type { Database, SqlExec } from '../../platform/db/database.ts';
import { type AuditHashedFields, auditHash, GENESIS_HASH } from './audit.service.ts';
import { type AuditAnchor, anchorSignatureValid, PLATFORM_CHAIN, readAnchorFile } from './audit-anchor.ts';

/**
 * `npm run audit:verify`: every chain in the database, recomputed from genesis, and every signed
 * anchor checked against the row at its seq.
 *
 * It reads as the owner, in one read-only REPEATABLE READ transaction, rather than through
 * unsafeAcrossTenants: a verifier must not append to the chains it is verifying (the operator
 * path audits itself into the platform chain), it wants one consistent snapshot of all chains,
 * and it should not depend on the runtime role's view of the tables. A superuser owner sees
 * every row; a non-superuser owner under FORCE ROW LEVEL SECURITY sees each chain because the
 * transaction sets app.tenant_id to that chain before reading it. Nothing is written.
 */

export interface ChainReport {
  chain: string;
  /** Shop slug, or 'platform'. */
  label: string;
  rows: number;
  headSeq: number;
  anchors: number;
  latestAnchoredSeq: number | null;
  problems: string[];
}

export interface AuditVerifyReport {
  ok: boolean;
  chains: ChainReport[];
  /** Lines of the anchor file that are malformed, signed by another key or not validly signed. */
  anchorProblems: string[];
  anchorLines: number;
}

interface AuditRowRaw extends AuditHashedFields {
  prev_hash: string;
  hash: string;
}

const PAGE = 1000;

async function walkChain(
  exec: SqlExec,
  tenantId: string | null,
  anchoredSeqs: Set<number>,
): Promise<{ rows: number; lastSeq: number; lastHash: string; firstProblem: string | null; hashAt: Map<number, string> }> {
  const hashAt = new Map<number, string>();
  let firstProblem: string | null = null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  let afterSeq = 0;
  for (;;) {
    const page = (
      await exec(
        'SELECT * FROM audit_log WHERE tenant_id IS NOT DISTINCT FROM $1::uuid AND seq > $2 ORDER BY seq LIMIT $3',
        [tenantId, afterSeq, PAGE],
      )
    ).rows as unknown as AuditRowRaw[];
    for (const row of page) {
      const seq = Number(row.seq);
      rows++;
      afterSeq = seq;
      if (anchoredSeqs.has(seq)) hashAt.set(seq, row.hash);
      if (firstProblem) continue;
      if (seq !== expectedSeq) firstProblem = `row ${expectedSeq} is missing`;
      else if (row.prev_hash !== prevHash) firstProblem = `row ${seq}: prev_hash does not match the previous row`;
      else if (auditHash(row.prev_hash, row) !== row.hash) firstProblem = `row ${seq}: content does not match its hash (edited)`;
      prevHash = row.hash;
      expectedSeq = seq + 1;
    }
    if (page.length < PAGE) break;
  }
  return { rows, lastSeq: expectedSeq - 1, lastHash: prevHash, firstProblem, hashAt };
}

export async function verifyAuditWithAnchors(
  database: Database,
  options: { anchorFile: string; publicKey: KeyObject; keyId: string },
): Promise<AuditVerifyReport> {
  const anchorProblems: string[] = [];
  const anchorsByChain = new Map<string, AuditAnchor[]>();
  const lines = readAnchorFile(options.anchorFile);
  for (const entry of lines) {
    if ('error' in entry) {
      anchorProblems.push(`anchor line ${entry.line}: ${entry.error}`);
      continue;
    }
    const anchor = entry.anchor;
    if (anchor.key !== options.keyId) {
      anchorProblems.push(`anchor line ${entry.line}: signed by unknown key ${anchor.key}`);
      continue;
    }
    if (!anchorSignatureValid(anchor, options.publicKey)) {
      anchorProblems.push(`anchor line ${entry.line}: signature does not verify (forged or altered)`);
      continue;
    }
    const list = anchorsByChain.get(anchor.chain) ?? [];
    list.push(anchor);
    anchorsByChain.set(anchor.chain, list);
  }

  const chains = await database.ownerSession(async (exec) => {
    await exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const tenants = (await exec('SELECT id::text AS id, slug FROM tenants ORDER BY sort_order, created_at')).rows as { id: string; slug: string }[];
      const known = new Map<string, string>([[PLATFORM_CHAIN, PLATFORM_CHAIN], ...tenants.map((t) => [t.id, t.slug] as [string, string])]);
      const chainIds = [...new Set([...known.keys(), ...anchorsByChain.keys()])];
      const reports: ChainReport[] = [];
      for (const chain of chainIds) {
        const tenantId = chain === PLATFORM_CHAIN ? null : chain;
        await exec(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId ?? '']);
        const anchors = anchorsByChain.get(chain) ?? [];
        const walk = await walkChain(exec, tenantId, new Set(anchors.map((a) => a.seq)));
        const head = (await exec('SELECT seq, hash FROM audit_heads WHERE tenant_id IS NOT DISTINCT FROM $1::uuid', [tenantId])).rows[0] as
          | { seq: number; hash: string }
          | undefined;
        const headSeq = head ? Number(head.seq) : 0;
        const headHash = head?.hash ?? GENESIS_HASH;
        const problems: string[] = [];
        if (!known.has(chain)) problems.push('anchored chain belongs to no shop in the database');
        if (walk.firstProblem) problems.push(walk.firstProblem);
        else if (headSeq !== walk.lastSeq) problems.push(`head is at ${headSeq} but the last row is ${walk.lastSeq}`);
        else if (headHash !== walk.lastHash) problems.push('head hash does not match the last row');
        for (const anchor of anchors) {
          const stored = walk.hashAt.get(anchor.seq);
          if (stored === undefined) problems.push(`anchored row ${anchor.seq} (anchored ${anchor.at}) is missing`);
          else if (stored !== anchor.hash) problems.push(`row ${anchor.seq} differs from its anchor of ${anchor.at}: the chain was rewritten`);
        }
        const latest = anchors.reduce<number | null>((max, a) => (max === null || a.seq > max ? a.seq : max), null);
        reports.push({
          chain,
          label: known.get(chain) ?? chain,
          rows: walk.rows,
          headSeq,
          anchors: anchors.length,
          latestAnchoredSeq: latest,
          problems: [...new Set(problems)],
        });
      }
      return reports;
    } finally {
      await exec('ROLLBACK');
    }
  });
  return {
    ok: anchorProblems.length === 0 && chains.every((c) => c.problems.length === 0),
    chains,
    anchorProblems,
    anchorLines: lines.length,
  };
}

/** The report as the command prints it: one line per chain, then every problem. */
export function formatAuditVerifyReport(report: AuditVerifyReport): string {
  const out: string[] = [];
  for (const c of report.chains) {
    const mark = c.problems.length ? 'NG' : 'OK';
    const anchored = c.latestAnchoredSeq === null ? 'not anchored yet' : `${c.anchors} anchors, latest at seq ${c.latestAnchoredSeq}`;
    out.push(`${mark}  ${c.label.padEnd(16)} rows ${String(c.rows).padStart(6)}  head ${String(c.headSeq).padStart(6)}  ${anchored}`);
    for (const p of c.problems) out.push(`      - ${p}`);
  }
  for (const p of report.anchorProblems) out.push(`NG  ${p}`);
  out.push(report.ok ? `audit verified: ${report.chains.length} chains, ${report.anchorLines} anchor lines` : 'AUDIT VERIFICATION FAILED');
  return `${out.join('\n')}\n`;
}
