import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import tar from 'tar-stream';
import { type AuditHashedFields, auditHash } from '../audit/audit.service.ts';
import { auditKeyId } from '../audit/audit-anchor-key.ts';

/**
 * The evidence bundle's container (docs/decisions/0009): a plain POSIX tar whose `manifest.json`
 * lists every other file with its SHA-256 and size, and `manifest.sig` holds the Ed25519
 * signature (base64) over the exact bytes of manifest.json, made with the audit-anchor key. So a
 * reader needs only `tar`, `sha256sum` and the operator's published audit public key.
 */

export const BUNDLE_FORMAT = 'oroshi-incident-evidence/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

export interface BundleFile {
  path: string;
  content: Buffer;
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

export interface EvidenceManifest {
  format: typeof BUNDLE_FORMAT;
  incident: { id: string; number: string; title: string };
  createdAt: string;
  createdBy: string;
  /** The audit-anchor key that signed manifest.json (id = first 16 hex of sha256 of its SPKI). */
  key: { id: string; algorithm: 'Ed25519' };
  /** The platform audit chain's head when the bundle was made (the extract ends there). */
  auditHead: { chain: 'platform'; seq: number; hash: string } | null;
  files: ManifestEntry[];
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Packs the files with their manifest and its signature; entries in a fixed order with one mtime. */
export async function packEvidenceBundle(
  files: readonly BundleFile[],
  head: Omit<EvidenceManifest, 'format' | 'files' | 'key'>,
  key: { privateKey: KeyObject; keyId: string },
): Promise<{ tar: Buffer; manifest: EvidenceManifest; manifestSha256: string }> {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path) || f.path === MANIFEST_FILE || f.path === SIGNATURE_FILE || f.path.startsWith('/') || f.path.includes('..')) throw new Error(`bad bundle path ${f.path}`);
    seen.add(f.path);
  }
  const manifest: EvidenceManifest = {
    format: BUNDLE_FORMAT,
    ...head,
    key: { id: key.keyId, algorithm: 'Ed25519' },
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.content), bytes: f.content.length })),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const signature = Buffer.from(`${sign(null, manifestBytes, key.privateKey).toString('base64')}\n`, 'utf8');
  const mtime = new Date(head.createdAt);
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const entry of [{ path: MANIFEST_FILE, content: manifestBytes }, { path: SIGNATURE_FILE, content: signature }, ...files]) {
    pack.entry({ name: entry.path, size: entry.content.length, mode: 0o644, mtime, uid: 0, gid: 0, uname: 'oroshi', gname: 'oroshi' }, entry.content);
  }
  pack.finalize();
  await done;
  return { tar: Buffer.concat(chunks), manifest, manifestSha256: sha256(manifestBytes) };
}

/** Every regular file of a tar, by path. */
export async function readTar(buffer: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => parts.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file') {
          if (out.has(header.name)) out.set(`${header.name}\u0000duplicate`, Buffer.alloc(0));
          else out.set(header.name, Buffer.concat(parts));
        }
        next();
      });
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(buffer);
  await done;
  return out;
}

export interface BundleCheck {
  ok: boolean;
  problems: string[];
  manifest: EvidenceManifest | null;
}

/**
 * What an auditor does with the bundle: the signature over manifest.json with the trusted public
 * key, every listed file's hash and size, no file that is not listed, and the audit extract's
 * chain (each row's hash recomputed, each row linked to the one before, the last one the head).
 */
export async function verifyEvidenceBundle(buffer: Buffer, publicKey: KeyObject): Promise<BundleCheck> {
  const problems: string[] = [];
  let files: Map<string, Buffer>;
  try {
    files = await readTar(buffer);
  } catch (err) {
    return { ok: false, problems: [`not a readable tar: ${(err as Error).message}`], manifest: null };
  }
  const manifestBytes = files.get(MANIFEST_FILE);
  const signature = files.get(SIGNATURE_FILE);
  if (!manifestBytes || !signature) return { ok: false, problems: ['manifest.json or manifest.sig is missing'], manifest: null };
  let signatureValid = false;
  try {
    signatureValid = verify(null, manifestBytes, publicKey, Buffer.from(signature.toString('utf8').trim(), 'base64'));
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) problems.push('manifest.sig is not a valid signature of manifest.json by this key');
  let manifest: EvidenceManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as EvidenceManifest;
  } catch {
    return { ok: false, problems: [...problems, 'manifest.json is not JSON'], manifest: null };
  }
  if (manifest.format !== BUNDLE_FORMAT) problems.push(`unknown format ${String(manifest.format)}`);
  if (manifest.key?.id !== auditKeyId(publicKey)) problems.push('manifest names another signing key');
  const listed = new Set<string>();
  for (const entry of manifest.files ?? []) {
    listed.add(entry.path);
    const content = files.get(entry.path);
    if (!content) problems.push(`${entry.path}: listed but missing`);
    else if (content.length !== entry.bytes || sha256(content) !== entry.sha256) problems.push(`${entry.path}: content does not match its hash`);
  }
  for (const path of files.keys()) {
    if (path !== MANIFEST_FILE && path !== SIGNATURE_FILE && !listed.has(path)) problems.push(`${path.replace('\u0000duplicate', '')}: not in the manifest`);
  }
  const extract = files.get(AUDIT_EXTRACT_FILE);
  if (extract) problems.push(...checkAuditExtract(extract, manifest.auditHead));
  return { ok: problems.length === 0, problems, manifest };
}

export const AUDIT_EXTRACT_FILE = 'audit/platform-chain.jsonl';

export type AuditExtractRow = AuditHashedFields & { prev_hash: string; hash: string };

/** The audit extract's chain proof: contiguous seqs, each hash recomputed, linked, ending at the head. */
export function checkAuditExtract(jsonl: Buffer, head: EvidenceManifest['auditHead']): string[] {
  const problems: string[] = [];
  const rows = jsonl
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as AuditExtractRow);
  let previous: AuditExtractRow | null = null;
  for (const row of rows) {
    if (previous && (Number(row.seq) !== Number(previous.seq) + 1 || row.prev_hash !== previous.hash)) problems.push(`audit row ${row.seq}: not linked to row ${previous.seq}`);
    if (auditHash(row.prev_hash, row) !== row.hash) problems.push(`audit row ${row.seq}: content does not match its hash`);
    previous = row;
  }
  if (previous && head && (Number(previous.seq) !== head.seq || previous.hash !== head.hash)) problems.push('audit extract does not end at the recorded head');
  return problems;
}
