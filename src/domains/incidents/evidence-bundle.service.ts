import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { anchorFilePath, anchorSignatureValid, PLATFORM_CHAIN, readAnchorFile } from '../audit/audit-anchor.ts';
import type { AuditSigningKey } from '../audit/audit-anchor-key.ts';
import { unsafeAcrossTenants } from '../operator/across-tenants.ts';
import { canonicalJson } from '../security/security-evidence.ts';
import { AUDIT_EXTRACT_FILE, type BundleFile, type EvidenceManifest, packEvidenceBundle } from './evidence-bundle.tar.ts';
import { loadIncident } from './incident.service.ts';
import { asOperator, auditIncident, type IncidentActor } from './incident-actor.ts';

/**
 * The incident's evidence bundle: what the protection layers recorded for the incident's shops
 * around their exposure windows — security events and their append-only evidence (each file is
 * the canonical JSON whose hash was stored at write time), the monitor's walks with their diffs,
 * the verifier's results, the browsers' CSP reports — plus the platform audit chain from the
 * incident's first entry to its head with the signed anchors, and the incident record itself.
 * Every file is hashed in manifest.json, which is signed with the audit-anchor key.
 */

const HOUR = 3_600_000;
const MAX_AUDIT_ROWS = 50_000;
const MAX_REPORTS_PER_SHOP = 10_000;
const VERIFIER_LAYERS = new Set(['build_verifier', 'db_text_verifier']);

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export interface EvidenceBundle {
  fileName: string;
  tar: Buffer;
  manifest: EvidenceManifest;
  manifestSha256: string;
}

export async function buildEvidenceBundle(
  database: Database,
  actor: IncidentActor,
  incidentId: string,
  options: { signingKey: AuditSigningKey; anchorDir: string; now?: Date },
): Promise<EvidenceBundle> {
  const now = options.now ?? new Date();
  const collected = await asOperator(database, actor, async (tx) => {
    const view = await loadIncident(tx, incidentId, now);
    const tenantIds = view.shops.map((s) => s.tenantId);
    const from = new Date(Math.min(...view.shops.map((s) => s.windowStart.getTime()), view.incident.aware_at.getTime()) - HOUR);
    const to = new Date(Math.max(...view.shops.map((s) => s.windowEnd.getTime()), view.incident.aware_at.getTime()) + 24 * HOUR);
    // Events tied to the incident, and every warning or critical event of its shops (or the whole
    // platform) that was open at some point between the first window's start and the last one's end.
    const events = await tx
      .selectFrom('security_events')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('incident_id', '=', incidentId),
          eb.and([
            tenantIds.length ? eb.or([eb('tenant_id', 'in', tenantIds), eb('tenant_id', 'is', null)]) : eb('tenant_id', 'is', null),
            eb('severity', '<>', 'info'),
            eb('last_seen_at', '>=', from),
            eb('first_seen_at', '<=', to),
          ]),
        ]),
      )
      .orderBy('first_seen_at')
      .execute();
    const evidence = events.length
      ? await tx
          .selectFrom('security_evidence')
          .selectAll()
          .where(
            'event_id',
            'in',
            events.map((e) => e.id),
          )
          .orderBy('recorded_at')
          .execute()
      : [];
    const walks = tenantIds.length
      ? await tx
          .selectFrom('monitor_walks')
          .select(['id', 'tenant_id', 'profile', 'reason', 'instance', 'started_at', 'finished_at', 'outcome', 'baseline_id', 'deviations', 'error', 'diff', 'snapshot'])
          .where('tenant_id', 'in', tenantIds)
          .where('started_at', '>=', from)
          .where('started_at', '<=', to)
          .orderBy('started_at')
          .execute()
      : [];
    const heartbeats = await tx.selectFrom('verifier_heartbeats').selectAll().execute();
    const documents = await tx
      .selectFrom('incident_documents')
      .select(['id', 'tenant_id', 'kind', 'recipient_key', 'version', 'supersedes', 'superseded_by', 'title', 'file_name', 'sha256', 'size_bytes', 'created_at', 'sent_at'])
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .execute();
    // The platform chain from the incident's first entry (its opening) to the head.
    const first = await sql<{ seq: string }>`
      SELECT min(seq) AS seq FROM audit_log WHERE tenant_id IS NULL AND (resource_id = ${incidentId} OR detail->>'incidentId' = ${incidentId})`.execute(tx);
    const head = await tx.selectFrom('audit_heads').select(['seq', 'hash']).executeTakeFirst();
    const headSeq = head ? Number(head.seq) : 0;
    const firstSeq = Math.max(Number(first.rows[0]?.seq ?? headSeq) || headSeq, headSeq - MAX_AUDIT_ROWS + 1, 1);
    const audit = headSeq ? await tx.selectFrom('audit_log').selectAll().where('seq', '>=', firstSeq).where('seq', '<=', headSeq).orderBy('seq').execute() : [];
    return { view, events, evidence, walks, heartbeats, documents, audit, head: head ? { seq: headSeq, hash: head.hash } : null, from, to };
  });
  const { view, from, to } = collected;
  const shopIds = view.shops.map((s) => s.tenantId);
  const reports = shopIds.length
    ? await unsafeAcrossTenants(
        database,
        { actor: { type: actor.type, id: actor.id, label: actor.label }, reason: `インシデント ${view.incident.number} の証跡パッケージ(CSP報告)`, tenantIds: shopIds },
        (_tenantId, tx) =>
          tx.selectFrom('csp_reports').selectAll().where('received_at', '>=', from).where('received_at', '<=', to).orderBy('received_at').limit(MAX_REPORTS_PER_SHOP).execute(),
      )
    : new Map();

  const files: BundleFile[] = [];
  files.push({
    path: 'incident.json',
    content: json({
      incident: view.incident,
      shops: view.shops,
      milestones: view.milestones,
      deadlines: view.deadlines,
      collected: { from: from.toISOString(), to: to.toISOString() },
    }),
  });
  const slugOf = new Map(view.shops.map((s) => [s.tenantId, s.slug]));
  const where = (tenantId: string | null) => (tenantId ? (slugOf.get(tenantId) ?? tenantId) : 'platform');
  files.push({ path: 'security/events.json', content: json(collected.events) });
  for (const e of collected.evidence) {
    // Exactly the canonical JSON whose SHA-256 the layer stored (security_evidence.sha256).
    files.push({ path: `security/evidence/${where(e.tenant_id)}/${e.event_id}/${e.id}-${e.kind}.json`, content: Buffer.from(canonicalJson(e.data), 'utf8') });
  }
  files.push({
    path: 'security/evidence-index.json',
    content: json(collected.evidence.map((e) => ({ id: e.id, eventId: e.event_id, tenantId: e.tenant_id, kind: e.kind, recordedAt: e.recorded_at, storedSha256: e.sha256 }))),
  });
  for (const w of collected.walks) {
    // Clean walks prove when the page was still as approved; deviating ones carry the diff.
    const keep = w.outcome === 'deviation' ? w : { ...w, snapshot: null };
    files.push({ path: `monitor/${where(w.tenant_id)}/${new Date(w.started_at).toISOString().replace(/[:.]/g, '-')}-${w.profile}-${w.outcome ?? 'unfinished'}-${w.id}.json`, content: json(keep) });
  }
  files.push({
    path: 'verifier/results.json',
    content: json({
      heartbeats: collected.heartbeats,
      events: collected.events.filter((e) => VERIFIER_LAYERS.has(e.layer)).map((e) => ({ ...e, evidence: collected.evidence.filter((x) => x.event_id === e.id).map((x) => ({ id: x.id, kind: x.kind, data: x.data, sha256: x.sha256 })) })),
    }),
  });
  for (const [tenantId, rows] of reports) files.push({ path: `csp-reports/${where(tenantId)}.json`, content: json(rows) });
  files.push({ path: 'documents/index.json', content: json(collected.documents) });
  files.push({ path: AUDIT_EXTRACT_FILE, content: Buffer.from(collected.audit.map((r) => `${JSON.stringify({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() })}\n`).join(''), 'utf8') });
  const anchors = readAnchorFile(anchorFilePath(options.anchorDir))
    .flatMap((l) => ('anchor' in l ? [l.anchor] : []))
    .filter((a) => a.chain === PLATFORM_CHAIN && a.key === options.signingKey.keyId && anchorSignatureValid(a, options.signingKey.publicKey));
  files.push({
    path: 'audit/platform-chain-proof.json',
    content: json({
      chain: PLATFORM_CHAIN,
      fromSeq: collected.audit[0] ? Number(collected.audit[0].seq) : null,
      toSeq: collected.head?.seq ?? null,
      head: collected.head,
      rule: 'hash = sha256(prev_hash + canonical JSON of the row without prev_hash and hash; keys sorted, at as ISO-8601 UTC with milliseconds)',
      anchors: anchors.filter((a) => collected.audit.length && a.seq >= Number(collected.audit[0]!.seq)),
    }),
  });
  files.push({ path: 'audit/signing-key.pub', content: Buffer.from(options.signingKey.publicKeyPem, 'utf8') });
  files.push({ path: 'README.txt', content: Buffer.from(README, 'utf8') });

  const packed = await packEvidenceBundle(
    files,
    { incident: { id: view.incident.id, number: view.incident.number, title: view.incident.title }, createdAt: now.toISOString(), createdBy: actor.label, auditHead: collected.head ? { chain: 'platform', ...collected.head } : null },
    { privateKey: options.signingKey.privateKey, keyId: options.signingKey.keyId },
  );
  await asOperator(database, actor, (tx) =>
    auditIncident(tx, actor, {
      action: 'incident.evidence_exported',
      resourceType: 'incident',
      resourceId: incidentId,
      result: 'success',
      detail: { incidentId, manifestSha256: packed.manifestSha256, files: packed.manifest.files.length, bytes: packed.tar.length },
    }),
  );
  return { fileName: `evidence-${view.incident.number}.tar`, ...packed };
}

const README = `Oroshi インシデント証跡パッケージ / incident evidence bundle (oroshi-incident-evidence/1)

manifest.json  すべてのファイルの SHA-256 とサイズ / every file's SHA-256 and size
manifest.sig   manifest.json のバイト列に対する Ed25519 署名(base64)。監査ログのアンカー鍵で署名。
               Ed25519 signature (base64) over the bytes of manifest.json, by the audit-anchor key.

検証 / verify:
  1. 公開鍵を運営者が公表したもの(DATA_DIR/audit-signing.pub 等)と照合する。audit/signing-key.pub は参考。
     Compare the public key with the one the operator published; audit/signing-key.pub is a convenience copy.
  2. openssl pkeyutl -verify -pubin -inkey audit-signing.pub -rawin -in manifest.json -sigfile <(base64 -d manifest.sig)
  3. sha256sum で各ファイルを manifest.json と照合する。/ check each file's sha256 against manifest.json.
  4. audit/platform-chain.jsonl: 各行 hash = sha256(prev_hash + 行の正規化JSON)、行は連続し、最後の行が manifest の auditHead。
     each row's hash = sha256(prev_hash + canonical JSON); rows are contiguous and end at manifest.auditHead;
     audit/platform-chain-proof.json lists the signed anchors (npm run audit:verify) inside the range.
  security/evidence/*: 各防御レイヤーが記録した証跡(正規化JSON、security_evidence.sha256 と一致)。
`;
