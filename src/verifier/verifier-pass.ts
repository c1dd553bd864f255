import { createHash, type KeyObject } from 'node:crypto';
import type { FileSetSpec } from '../platform/build-manifest/build-files.ts';
import { type BuildCheck, checkFilesAgainstManifest, ManifestError, readSignedManifest } from '../platform/build-manifest/build-manifest.ts';

/**
 * One file pass of the verifier: read the manifest (its signature checked against the trusted
 * public key, every pass — a manifest swapped on disk is caught like a file), re-walk and re-hash
 * every file. Pure file work, no database: it runs in the verifier process and its result is
 * recorded by whoever holds the database connection.
 */

export interface FilePassResult {
  at: string;
  manifestOk: boolean;
  manifestError: string | null;
  manifestCreatedAt: string | null;
  manifestKeyId: string;
  check: BuildCheck | null;
  /** Files of the verifier itself among the differences: someone is tampering with the watcher. */
  verifierFilesTouched: string[];
}

export const VERIFIER_SOURCE_PREFIX = 'src/verifier/';

/** The IPC message a forked verifier sends its parent with each pass (PGlite mode). */
export const VERIFIER_PASS_MESSAGE = 'oroshi.verifier-pass';

export function runFilePass(options: { root: string; manifestPath: string; publicKey: KeyObject; spec?: FileSetSpec }): FilePassResult {
  const at = new Date().toISOString();
  let manifest: ReturnType<typeof readSignedManifest>;
  try {
    manifest = readSignedManifest(options.manifestPath, options.publicKey);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return { at, manifestOk: false, manifestError: err.message, manifestCreatedAt: null, manifestKeyId: '', check: null, verifierFilesTouched: [] };
  }
  const check = checkFilesAgainstManifest(manifest, { root: options.root, spec: options.spec });
  const verifierFilesTouched = [...check.modified, ...check.added, ...check.missing].filter((f) => f.startsWith(VERIFIER_SOURCE_PREFIX)).sort();
  return { at, manifestOk: true, manifestError: null, manifestCreatedAt: manifest.createdAt, manifestKeyId: manifest.keyId, check, verifierFilesTouched };
}

export function problemCount(pass: FilePassResult): number {
  if (!pass.manifestOk) return 1;
  const c = pass.check!;
  return c.modified.length + c.added.length + c.missing.length;
}

/** Stable over passes while the same files differ in the same way (dedupe key of the event). */
export function differenceFingerprint(pass: FilePassResult): string {
  if (!pass.manifestOk) return `build:manifest:${createHash('sha256').update(pass.manifestError ?? '').digest('hex').slice(0, 16)}`;
  const c = pass.check!;
  const list = [...c.modified.map((f) => `M ${f}`), ...c.added.map((f) => `A ${f}`), ...c.missing.map((f) => `D ${f}`)].sort().join('\n');
  return `build:files:${createHash('sha256').update(list).digest('hex').slice(0, 16)}`;
}
