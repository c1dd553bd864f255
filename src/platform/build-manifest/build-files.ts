import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Which files make up the running server: everything it executes or serves. The verifier walks
 * the same set again to notice a file added next to the signed ones (an extra module an attacker
 * drops in and imports), not only a changed or missing one.
 *
 * - our code: src/**\/*.ts(x) (tests excluded: the server never loads them), the compiled build
 *   dist/**\/*.js that `npm start` runs (decision 0012), db/migrations/**, static/** (served as is),
 *   package.json and package-lock.json;
 * - the production dependencies (package-lock entries not marked dev): each one's package.json and
 *   every .js/.mjs/.cjs/.json/.node/.wasm under it, which is all Node can load from it.
 */

const DEPENDENCY_FILE = /\.(?:js|mjs|cjs|json|node|wasm)$/;
const SOURCE_FILE = /\.tsx?$/;
const TEST_FILE = /\.test\.tsx?$/;
const BUILD_FILE = /\.js$/;

export interface FileSetSpec {
  /** Directories walked whole (relative to the root), with a filter on file names. */
  trees: { dir: string; include: (name: string) => boolean; skipNestedNodeModules?: boolean }[];
  /** Single files (relative to the root). */
  files: string[];
}

/** The production dependencies' directories, from package-lock.json (v2/v3 `packages` map). */
export function productionDependencyDirs(root: string): string[] {
  const lockPath = path.join(root, 'package-lock.json');
  if (!fs.existsSync(lockPath)) return [];
  const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { packages?: Record<string, { dev?: boolean; link?: boolean }> };
  return Object.entries(lock.packages ?? {})
    .filter(([key, meta]) => key.startsWith('node_modules/') && !meta.dev && !meta.link)
    .map(([key]) => key)
    .filter((dir) => fs.existsSync(path.join(root, dir)))
    .sort();
}

export function serverFileSet(root: string): FileSetSpec {
  return {
    trees: [
      { dir: 'src', include: (name) => SOURCE_FILE.test(name) && !TEST_FILE.test(name) },
      { dir: 'dist', include: (name) => BUILD_FILE.test(name) },
      { dir: 'static', include: () => true },
      { dir: 'db/migrations', include: () => true },
      ...productionDependencyDirs(root).map((dir) => ({ dir, include: (name: string) => DEPENDENCY_FILE.test(name), skipNestedNodeModules: true })),
    ],
    files: ['package.json', 'package-lock.json'],
  };
}

function walk(root: string, dir: string, include: (name: string) => boolean, skipNested: boolean, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      // A nested node_modules holds other lock entries, walked on their own.
      if (skipNested && entry.name === 'node_modules') continue;
      walk(root, rel, include, skipNested, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && include(entry.name)) {
      out.push(rel);
    }
  }
}

/** Every file of the set that exists now, as sorted root-relative paths with forward slashes. */
export function listFiles(root: string, spec: FileSetSpec): string[] {
  const out: string[] = [];
  for (const tree of spec.trees) walk(root, tree.dir, tree.include, tree.skipNestedNodeModules ?? false, out);
  for (const file of spec.files) if (fs.existsSync(path.join(root, file))) out.push(file);
  return [...new Set(out)].sort();
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Hashes every listed file; a file that vanished between listing and reading is left out. */
export function hashFiles(root: string, files: readonly string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const rel of files) {
    try {
      hashes[rel] = sha256File(path.join(root, rel));
    } catch {
      // Gone since the listing: the comparison reports it missing.
    }
  }
  return hashes;
}

async function walkAsync(root: string, dir: string, include: (name: string) => boolean, skipNested: boolean, out: string[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (skipNested && entry.name === 'node_modules') continue;
      await walkAsync(root, rel, include, skipNested, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && include(entry.name)) {
      out.push(rel);
    }
  }
}

/** listFiles without holding the event loop (the same files, in the same order). */
export async function listFilesAsync(root: string, spec: FileSetSpec): Promise<string[]> {
  const out: string[] = [];
  for (const tree of spec.trees) await walkAsync(root, tree.dir, tree.include, tree.skipNestedNodeModules ?? false, out);
  for (const file of spec.files) if (fs.existsSync(path.join(root, file))) out.push(file);
  return [...new Set(out)].sort();
}

/**
 * hashFiles without holding the event loop: files are read asynchronously a batch at a time, so
 * a server that is already listening keeps answering while a development start signs its build.
 */
export async function hashFilesAsync(root: string, files: readonly string[], batch = 32): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (let i = 0; i < files.length; i += batch) {
    await Promise.all(
      files.slice(i, i + batch).map(async (rel) => {
        try {
          hashes[rel] = createHash('sha256').update(await fs.promises.readFile(path.join(root, rel))).digest('hex');
        } catch {
          // Gone since the listing: the comparison reports it missing.
        }
      }),
    );
  }
  return hashes;
}
