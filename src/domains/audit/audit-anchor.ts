import { type KeyObject, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { AuditSigningKey } from './audit-anchor-key.ts';

/**
 * Anchors: each audit chain's head (chain, seq, hash, time), signed with Ed25519 and appended as
 * one JSON line to a file outside the database. The in-database chain proves that no row was
 * edited, dropped or reordered *relative to the rest of the chain*; an anchor proves the chain
 * still contains what it contained when it was anchored, so a chain recomputed from scratch by
 * someone with the owner's rights no longer passes `npm run audit:verify`.
 *
 * The file is only ever appended to. Point AUDIT_ANCHOR_DIR at storage the database's
 * administrators cannot rewrite (another host, an append-only or WORM volume, `chattr +a`).
 */

export const PLATFORM_CHAIN = 'platform';
export const ANCHOR_FILE = 'anchors.jsonl';

export interface AuditAnchor {
  v: 1;
  /** A shop's tenant id, or 'platform'. */
  chain: string;
  seq: number;
  hash: string;
  /** When the head was anchored (ISO-8601 UTC). */
  at: string;
  /** Id of the signing key (see auditKeyId). */
  key: string;
  /** Ed25519 signature over anchorSigningInput(), base64. */
  sig: string;
}

export function anchorFilePath(anchorDir: string): string {
  return path.join(anchorDir, ANCHOR_FILE);
}

export function anchorDirFromConfig(config: { AUDIT_ANCHOR_DIR?: string; dataDir: string }): string {
  return config.AUDIT_ANCHOR_DIR ? path.resolve(config.AUDIT_ANCHOR_DIR) : path.join(config.dataDir, 'audit-anchors');
}

/** The exact bytes signed: the anchor's fields in a fixed order, without the signature. */
export function anchorSigningInput(anchor: Omit<AuditAnchor, 'sig'>): Buffer {
  return Buffer.from(
    JSON.stringify({ v: anchor.v, chain: anchor.chain, seq: anchor.seq, hash: anchor.hash, at: anchor.at, key: anchor.key }),
    'utf8',
  );
}

export function signAnchor(key: AuditSigningKey, head: { chain: string; seq: number; hash: string }, at: Date): AuditAnchor {
  const unsigned = { v: 1 as const, chain: head.chain, seq: head.seq, hash: head.hash, at: at.toISOString(), key: key.keyId };
  return { ...unsigned, sig: sign(null, anchorSigningInput(unsigned), key.privateKey).toString('base64') };
}

export function anchorSignatureValid(anchor: AuditAnchor, publicKey: KeyObject): boolean {
  try {
    return verify(null, anchorSigningInput(anchor), publicKey, Buffer.from(anchor.sig, 'base64'));
  } catch {
    return false;
  }
}

export type ParsedAnchorLine = { line: number; anchor: AuditAnchor } | { line: number; error: string };

const HASH = /^[0-9a-f]{64}$/;
const CHAIN = /^(platform|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function parseAnchor(text: string): AuditAnchor | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const a = value as Partial<AuditAnchor>;
  if (a === null || typeof a !== 'object') return 'not an object';
  if (a.v !== 1) return 'unknown version';
  if (typeof a.chain !== 'string' || !CHAIN.test(a.chain)) return 'bad chain';
  if (typeof a.seq !== 'number' || !Number.isSafeInteger(a.seq) || a.seq < 1) return 'bad seq';
  if (typeof a.hash !== 'string' || !HASH.test(a.hash)) return 'bad hash';
  if (typeof a.at !== 'string' || Number.isNaN(Date.parse(a.at))) return 'bad time';
  if (typeof a.key !== 'string' || typeof a.sig !== 'string') return 'no key or signature';
  return { v: 1, chain: a.chain, seq: a.seq, hash: a.hash, at: a.at, key: a.key, sig: a.sig };
}

/** Every line of the anchor file, parsed; a missing file is an empty list. */
export function readAnchorFile(file: string): ParsedAnchorLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed: ParsedAnchorLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const result = parseAnchor(raw);
    parsed.push(typeof result === 'string' ? { line: index + 1, error: result } : { line: index + 1, anchor: result });
  });
  return parsed;
}

export function appendAnchors(file: string, anchors: readonly AuditAnchor[]): void {
  if (anchors.length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // One write with O_APPEND: lines from two processes never interleave within a line.
  fs.appendFileSync(file, anchors.map((a) => `${JSON.stringify(a)}\n`).join(''), { mode: 0o600 });
}

export interface AnchorRunResult {
  anchored: AuditAnchor[];
  /** Chains whose head already has an anchor. */
  unchanged: string[];
  /** Chains that no longer hold what was anchored: not anchored again, reported loudly. */
  mismatches: { chain: string; reason: string }[];
}

interface ChainState {
  head: { seq: number; hash: string } | null;
  /** The hash of the row at the last anchored seq, if that row is still there. */
  anchoredRowHash: string | null | undefined;
}

async function readChainState(database: Database, chain: string, anchoredSeq: number | undefined): Promise<ChainState> {
  const read = async (tx: Tx): Promise<ChainState> => {
    const head = await tx.selectFrom('audit_heads').select(['seq', 'hash']).executeTakeFirst();
    let anchoredRowHash: string | null | undefined;
    if (anchoredSeq !== undefined) {
      const row = await tx.selectFrom('audit_log').select('hash').where('seq', '=', anchoredSeq).executeTakeFirst();
      anchoredRowHash = row?.hash ?? null;
    }
    return { head: head ? { seq: Number(head.seq), hash: head.hash } : null, anchoredRowHash };
  };
  // Each chain is read in its own scope (the runtime role sees one chain at a time); reading
  // heads needs no cross-shop path, so no operator audit row is written every few minutes.
  return chain === PLATFORM_CHAIN ? withPlatform(database, read) : withTenant(database, chain, read);
}

/**
 * Signs and appends the head of every chain that moved since its last anchor. Before anchoring,
 * the row at the last anchored seq must still carry the anchored hash: a chain that was rewritten
 * is reported (and not blessed with a fresh anchor).
 */
export async function anchorAuditHeads(
  database: Database,
  options: { signingKey: AuditSigningKey; anchorDir: string; now?: Date },
): Promise<AnchorRunResult> {
  const file = anchorFilePath(options.anchorDir);
  const lastAnchor = new Map<string, AuditAnchor>();
  for (const entry of readAnchorFile(file)) {
    // Only lines this key signed count; a forged line must not become the reference.
    if (!('anchor' in entry) || entry.anchor.key !== options.signingKey.keyId) continue;
    if (!anchorSignatureValid(entry.anchor, options.signingKey.publicKey)) continue;
    const previous = lastAnchor.get(entry.anchor.chain);
    if (!previous || entry.anchor.seq >= previous.seq) lastAnchor.set(entry.anchor.chain, entry.anchor);
  }

  const tenantIds = await withPlatform(database, async (tx) =>
    (await tx.selectFrom('tenants').select('id').orderBy('sort_order').orderBy('created_at').execute()).map((r) => r.id),
  );
  const now = options.now ?? new Date();
  const result: AnchorRunResult = { anchored: [], unchanged: [], mismatches: [] };
  for (const chain of [PLATFORM_CHAIN, ...tenantIds]) {
    const last = lastAnchor.get(chain);
    const state = await readChainState(database, chain, last?.seq);
    if (last) {
      if (!state.head || state.head.seq < last.seq) {
        result.mismatches.push({ chain, reason: `anchored at seq ${last.seq} but the head is at ${state.head?.seq ?? 0}` });
        continue;
      }
      if (state.anchoredRowHash !== last.hash) {
        result.mismatches.push({
          chain,
          reason: state.anchoredRowHash === null ? `anchored row ${last.seq} is missing` : `row ${last.seq} no longer has its anchored hash`,
        });
        continue;
      }
    }
    if (!state.head || state.head.seq === 0) continue;
    if (last && last.seq === state.head.seq && last.hash === state.head.hash) {
      result.unchanged.push(chain);
      continue;
    }
    result.anchored.push(signAnchor(options.signingKey, { chain, ...state.head }, now));
  }
  appendAnchors(file, result.anchored);
  return result;
}
