import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import { type BuildManifestBody, buildCheckIsClean, checkFilesAgainstManifest, createBuildManifest, createBuildManifestAsync, PROJECT_ROOT, readSignedManifest, writeBuildManifest } from './build-manifest.ts';
import { loadBuildPublicKey, loadBuildSigningKey } from './build-signing-key.ts';

/**
 * What `npm start` does with the signed build, decided once here:
 *
 * - production: the manifest was built and signed in CI (`npm run build:manifest` with
 *   BUILD_SIGNING_KEY) and shipped with the files; the server checks the signature against
 *   BUILD_PUBLIC_KEY and every file against it, and refuses to start on any difference.
 * - development and test: files change all the time, so the manifest is rebuilt and signed with
 *   the generated development key at every start. From then on the verifier holds the running
 *   process to the files it started with — an edit after boot is reported like a tamper, and a
 *   restart accepts it.
 */

export type ManifestConfig = Pick<Config, 'APP_ENV' | 'BUILD_SIGNING_KEY' | 'BUILD_PUBLIC_KEY' | 'BUILD_MANIFEST_PATH' | 'dataDir'>;

export function manifestPathOf(config: ManifestConfig, root = PROJECT_ROOT): string {
  if (config.BUILD_MANIFEST_PATH) return path.resolve(config.BUILD_MANIFEST_PATH);
  return config.APP_ENV === 'production' ? path.join(root, 'build-manifest.json') : path.join(config.dataDir, 'build-manifest.json');
}

export class BuildIntegrityError extends Error {}

export interface PreparedBuild {
  manifestPath: string;
  fileCount: number;
  durationMs: number;
  mode: 'verified' | 'rebuilt';
  /** The signed SHA-256 of every file under static/, keyed by its path there (Platform.signedAssetHashes). */
  staticHashes: ReadonlyMap<string, string>;
}

/** The manifest's static/ entries, keyed by their path under static/ (as StaticAssets names them). */
export function signedStaticHashes(manifest: Pick<BuildManifestBody, 'files'>): Map<string, string> {
  return new Map(
    Object.entries(manifest.files)
      .filter(([file]) => file.startsWith('static/'))
      .map(([file, sha256]) => [file.slice('static/'.length), sha256]),
  );
}

export function prepareBuildManifest(config: ManifestConfig, log?: Logger, root = PROJECT_ROOT): PreparedBuild {
  const started = performance.now();
  const manifestPath = manifestPathOf(config, root);
  if (config.APP_ENV !== 'production') {
    const manifest = createBuildManifest({ root, privateKey: loadBuildSigningKey(config), appEnv: config.APP_ENV });
    writeBuildManifest(manifestPath, manifest);
    const prepared = { manifestPath, fileCount: manifest.fileCount, durationMs: Math.round(performance.now() - started), mode: 'rebuilt' as const };
    log?.info(prepared, 'build manifest rebuilt and signed with the development key');
    return { ...prepared, staticHashes: signedStaticHashes(manifest) };
  }
  let manifest: ReturnType<typeof readSignedManifest>;
  try {
    manifest = readSignedManifest(manifestPath, loadBuildPublicKey(config));
  } catch (err) {
    throw new BuildIntegrityError(`refusing to start: ${(err as Error).message}`);
  }
  const check = checkFilesAgainstManifest(manifest, { root });
  if (!buildCheckIsClean(check)) {
    const sample = [...check.modified.map((f) => `modified ${f}`), ...check.added.map((f) => `added ${f}`), ...check.missing.map((f) => `missing ${f}`)];
    throw new BuildIntegrityError(`refusing to start: ${sample.length} file(s) differ from the signed build: ${sample.slice(0, 5).join(', ')}`);
  }
  const prepared = { manifestPath, fileCount: check.filesChecked, durationMs: Math.round(performance.now() - started), mode: 'verified' as const };
  log?.info(prepared, 'build verified against its signed manifest');
  return { ...prepared, staticHashes: signedStaticHashes(manifest) };
}

/**
 * What `npm start` does before it listens: production verifies the signed build (and refuses to
 * start); development has nothing to refuse — a restart accepts whatever is on disk — so it signs
 * the files after the port is open (signDevelopmentBuild), not before: hashing ~7,000 files (67 MB
 * with the production dependencies) took 1–2 s of a 3 s cold start on the shared machine.
 */
export function mustVerifyBeforeListening(config: ManifestConfig): boolean {
  return config.APP_ENV === 'production';
}

/** Development: rebuild and sign the manifest without holding the event loop (a listening server keeps answering). */
export async function signDevelopmentBuild(config: ManifestConfig, log?: Logger, root = PROJECT_ROOT): Promise<PreparedBuild> {
  const started = performance.now();
  const manifestPath = manifestPathOf(config, root);
  const manifest = await createBuildManifestAsync({ root, privateKey: loadBuildSigningKey(config), appEnv: config.APP_ENV });
  writeBuildManifest(manifestPath, manifest);
  const prepared = { manifestPath, fileCount: manifest.fileCount, durationMs: Math.round(performance.now() - started), mode: 'rebuilt' as const };
  log?.info(prepared, 'build manifest rebuilt and signed with the development key');
  return { ...prepared, staticHashes: signedStaticHashes(manifest) };
}
