import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../../platform/project-root.ts';

/**
 * Japanese postal codes and the address they stand for, read from the chunks Oroshi serves itself
 * (`static/postal/<3 digits>.json`, built by `scripts/build-postal-data.ts` from Japan Post's data).
 * The server uses the same files as the browser script, so both always agree.
 */

export interface PostalAddress {
  prefecture: string;
  city: string;
  /** Empty when the code covers the rest of the city (以下に掲載がない場合). */
  town: string;
}

type PostalChunk = Record<string, [string, string, string][]>;

export const POSTAL_DATA_DIR = projectPath('static', 'postal');

/** Hyphen look-alikes people type between the two parts, including the katakana long-vowel mark. */
const SEPARATORS = /[-‐‑‒–—―−ーｰ]/;
const POSTAL_CODE = new RegExp(`^(\\d{3})(?:${SEPARATORS.source})?(\\d{4})$`);

/** `〒１００－０００１`, `100-0001`, `1000001` → `'1000001'`; anything else → null. */
export function normalizePostalCode(input: string): string | null {
  const compact = input
    .normalize('NFKC')
    .replace(/\s/g, '')
    .replace(/^〒/, '');
  const match = POSTAL_CODE.exec(compact);
  return match ? `${match[1]}${match[2]}` : null;
}

export type PostalCodeLookup = (input: string) => Promise<PostalAddress[]>;

/**
 * A lookup over one chunk directory. Chunks are read once and kept: they are immutable build
 * output, identical in every process, so the cache holds no state another instance could miss.
 */
export function createPostalCodeLookup(dataDir: string = POSTAL_DATA_DIR): PostalCodeLookup {
  const chunks = new Map<string, Promise<PostalChunk>>();

  const loadChunk = (chunkId: string): Promise<PostalChunk> => {
    let chunk = chunks.get(chunkId);
    if (!chunk) {
      chunk = readFile(path.join(dataDir, `${chunkId}.json`), 'utf8').then(
        (text) => JSON.parse(text) as PostalChunk,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return {};
          chunks.delete(chunkId);
          throw error;
        },
      );
      chunks.set(chunkId, chunk);
    }
    return chunk;
  };

  return async (input) => {
    const code = normalizePostalCode(input);
    if (!code) return [];
    const chunk = await loadChunk(code.slice(0, 3));
    const rows = chunk[code] ?? chunk[code.slice(0, 5)] ?? [];
    return rows.map(([prefecture, city, town]) => ({ prefecture, city, town }));
  };
}

export const lookupPostalCode: PostalCodeLookup = createPostalCodeLookup();
