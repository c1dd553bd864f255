import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Uploaded CSVs wait under DATA_DIR/imports/<random id> between preview and commit, with a small
 * JSON sidecar saying whose upload it is. Files older than a day are removed whenever a new one is
 * saved. The id is random and checked against the shop and user on every use.
 */

export const IMPORT_TTL_MS = 24 * 60 * 60 * 1000;
const ID = /^[0-9a-f]{32}$/;

export interface ImportFileMeta {
  tenantId: string;
  userId: string;
  fileName: string;
  createdAt: string;
}

function importsDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

export async function createImportFile(dataDir: string): Promise<{ id: string; path: string }> {
  const dir = importsDir(dataDir);
  await fs.mkdir(dir, { recursive: true });
  await expireImportFiles(dataDir);
  const id = randomBytes(16).toString('hex');
  return { id, path: path.join(dir, `${id}.csv`) };
}

export async function writeImportMeta(dataDir: string, id: string, meta: ImportFileMeta): Promise<void> {
  await fs.writeFile(path.join(importsDir(dataDir), `${id}.json`), JSON.stringify(meta), { flag: 'wx' });
}

/** The stored file's path if the id is well-formed, present, fresh and belongs to this shop and user. */
export async function findImportFile(dataDir: string, id: string, owner: { tenantId: string; userId: string }): Promise<{ path: string; meta: ImportFileMeta } | null> {
  if (!ID.test(id)) return null;
  try {
    const meta = JSON.parse(await fs.readFile(path.join(importsDir(dataDir), `${id}.json`), 'utf8')) as ImportFileMeta;
    if (meta.tenantId !== owner.tenantId || meta.userId !== owner.userId) return null;
    if (Date.now() - new Date(meta.createdAt).getTime() > IMPORT_TTL_MS) return null;
    return { path: path.join(importsDir(dataDir), `${id}.csv`), meta };
  } catch {
    return null;
  }
}

export async function deleteImportFile(dataDir: string, id: string): Promise<void> {
  if (!ID.test(id)) return;
  for (const ext of ['csv', 'json']) await fs.rm(path.join(importsDir(dataDir), `${id}.${ext}`), { force: true });
}

export async function expireImportFiles(dataDir: string, now = Date.now()): Promise<number> {
  const dir = importsDir(dataDir);
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    try {
      const stat = await fs.stat(full);
      if (now - stat.mtimeMs > IMPORT_TTL_MS) {
        await fs.rm(full, { force: true });
        removed++;
      }
    } catch {
      // Removed by a concurrent request.
    }
  }
  return removed;
}
