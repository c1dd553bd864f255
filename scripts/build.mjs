// `npm run build` (and `npm start`, which builds first): the server and the verifier compiled from
// src/ into dist/ with esbuild — one self-contained ESM file per entry (no chunks: a rebuild while
// another process runs from dist/ never removes code that process may still load), dependencies
// left to node_modules. Plain Node then runs JavaScript: no TypeScript transform at start, a
// smaller heap (decision 0012). Tests, CLIs and tools keep running the sources through tsx.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', 'verifier.main': 'src/verifier/verifier.main.ts' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  // Stack traces map back to src/ with NODE_OPTIONS=--enable-source-maps.
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
process.stdout.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);
