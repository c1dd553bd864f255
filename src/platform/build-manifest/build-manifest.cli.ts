import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config.ts';
import { manifestPathOf } from './build-integrity.ts';
import { createBuildManifest, PROJECT_ROOT, writeBuildManifest } from './build-manifest.ts';
import { buildKeyId, loadBuildSigningKey } from './build-signing-key.ts';

/**
 * `npm run build:manifest [output]`: hashes every file the server runs or serves and signs the
 * list. In CI: APP_ENV=production BUILD_SIGNING_KEY=… npm run build:manifest; ship the file with
 * the build and give the server BUILD_PUBLIC_KEY (printed below).
 */
try {
  const config = loadConfig({ ...process.env, BUILD_PUBLIC_KEY: process.env.BUILD_PUBLIC_KEY || 'unused-by-the-signer' });
  const privateKey = loadBuildSigningKey(config);
  const started = performance.now();
  const manifest = createBuildManifest({ root: PROJECT_ROOT, privateKey, appEnv: config.APP_ENV });
  const output = process.argv[2] ? path.resolve(process.argv[2]) : manifestPathOf(config);
  writeBuildManifest(output, manifest);
  const publicKey = createPublicKey(privateKey);
  process.stdout.write(
    `build manifest: ${output}\nfiles: ${manifest.fileCount} in ${Math.round(performance.now() - started)} ms\nkey id: ${buildKeyId(publicKey)}\n` +
      `public key (BUILD_PUBLIC_KEY):\n${String(publicKey.export({ format: 'pem', type: 'spki' }))}`,
  );
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`build:manifest: configuration error — ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
