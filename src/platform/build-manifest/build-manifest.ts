import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type FileSetSpec, hashFiles, hashFilesAsync, listFiles, listFilesAsync, serverFileSet } from './build-files.ts';
import { buildKeyId } from './build-signing-key.ts';

/**
 * The signed build manifest: the SHA-256 of every file the server runs or serves, signed with
 * Ed25519 over its canonical JSON. `verifyBuild` re-walks and re-hashes the same file set and
 * reports files modified, added and missing — or refuses everything when the signature does not
 * hold (a forged or edited manifest proves nothing about the files).
 */

export const MANIFEST_FORMAT = 'oroshi-build-manifest/1';

/** The repository root (re-exported for the manifest's callers). */
export { PROJECT_ROOT } from '../project-root.ts';

export interface BuildManifestBody {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  appEnv: string;
  keyId: string;
  fileCount: number;
  files: Record<string, string>;
}

export interface SignedBuildManifest extends BuildManifestBody {
  /** base64 Ed25519 signature of canonicalManifest(body). */
  signature: string;
}

/** Sorted keys, no whitespace: the exact bytes that are signed. */
export function canonicalManifest(body: BuildManifestBody): string {
  const files = Object.fromEntries(Object.keys(body.files).sort().map((k) => [k, body.files[k]]));
  return JSON.stringify({
    appEnv: body.appEnv,
    createdAt: body.createdAt,
    fileCount: body.fileCount,
    files,
    format: body.format,
    keyId: body.keyId,
  });
}

type ManifestOptions = { root: string; privateKey: KeyObject; appEnv: string; spec?: FileSetSpec; now?: Date };

export function createBuildManifest(options: ManifestOptions): SignedBuildManifest {
  return signedManifestOf(options, hashFiles(options.root, listFiles(options.root, options.spec ?? serverFileSet(options.root))));
}

/** createBuildManifest listing and reading the files asynchronously: the event loop stays free. */
export async function createBuildManifestAsync(options: ManifestOptions): Promise<SignedBuildManifest> {
  const files = await listFilesAsync(options.root, options.spec ?? serverFileSet(options.root));
  return signedManifestOf(options, await hashFilesAsync(options.root, files));
}

function signedManifestOf(options: ManifestOptions, files: Record<string, string>): SignedBuildManifest {
  const body: BuildManifestBody = {
    format: MANIFEST_FORMAT,
    createdAt: (options.now ?? new Date()).toISOString(),
    appEnv: options.appEnv,
    keyId: buildKeyId(createPublicKey(options.privateKey)),
    fileCount: Object.keys(files).length,
    files,
  };
  const signature = sign(null, Buffer.from(canonicalManifest(body)), options.privateKey).toString('base64');
  return { ...body, signature };
}

export function writeBuildManifest(file: string, manifest: SignedBuildManifest): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

export class ManifestError extends Error {}

/** Reads and checks the signature; throws ManifestError when it is missing, malformed or forged. */
export function readSignedManifest(file: string, publicKey: KeyObject): SignedBuildManifest {
  let parsed: SignedBuildManifest;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SignedBuildManifest;
  } catch (err) {
    throw new ManifestError(`build manifest ${file} is missing or not JSON: ${(err as Error).message}`);
  }
  if (parsed?.format !== MANIFEST_FORMAT || typeof parsed.signature !== 'string' || typeof parsed.files !== 'object' || parsed.files === null) {
    throw new ManifestError(`build manifest ${file} is not an ${MANIFEST_FORMAT} document`);
  }
  if (parsed.keyId !== buildKeyId(publicKey)) throw new ManifestError(`build manifest is signed by key ${parsed.keyId}, not the trusted ${buildKeyId(publicKey)}`);
  const ok = verify(null, Buffer.from(canonicalManifest(parsed)), publicKey, Buffer.from(parsed.signature, 'base64'));
  if (!ok) throw new ManifestError('build manifest signature does not verify: the manifest was changed or forged');
  if (Object.keys(parsed.files).length !== parsed.fileCount) throw new ManifestError('build manifest file count does not match its file list');
  return parsed;
}

export interface BuildCheck {
  filesChecked: number;
  modified: string[];
  added: string[];
  missing: string[];
  durationMs: number;
}

export function buildCheckIsClean(check: BuildCheck): boolean {
  return check.modified.length === 0 && check.added.length === 0 && check.missing.length === 0;
}

/** Re-walks the file set now and compares every file against the (already verified) manifest. */
export function checkFilesAgainstManifest(manifest: SignedBuildManifest, options: { root: string; spec?: FileSetSpec }): BuildCheck {
  const started = performance.now();
  const present = listFiles(options.root, options.spec ?? serverFileSet(options.root));
  const actual = hashFiles(options.root, present);
  const modified: string[] = [];
  const added: string[] = [];
  for (const [file, hash] of Object.entries(actual)) {
    const expected = manifest.files[file];
    if (expected === undefined) added.push(file);
    else if (expected !== hash) modified.push(file);
  }
  const missing = Object.keys(manifest.files).filter((file) => actual[file] === undefined);
  return { filesChecked: present.length, modified, added, missing: missing.sort(), durationMs: Math.round(performance.now() - started) };
}
