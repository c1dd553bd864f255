import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What a backup holds and the SHA-256 of every file in it. Restore refuses an archive whose
 * files do not match, so a truncated copy or a tampered upload is caught before anything is
 * written to the target.
 */
export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'oroshi-backup/1';

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: { kind: 'postgres' | 'pglite'; file: string; serverVersion?: string };
  /** Paths under DATA_DIR deliberately left out, with the reason (keys belong in a secret store). */
  excluded: { path: string; reason: string }[];
  files: ManifestEntry[];
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every regular file under `dir`, as POSIX paths relative to it, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

export function describeFiles(root: string, relPaths: readonly string[]): ManifestEntry[] {
  return relPaths.map((rel) => {
    const file = path.join(root, rel);
    return { path: rel, bytes: fs.statSync(file).size, sha256: sha256File(file) };
  });
}

/** Problems with an unpacked archive: missing, changed or unlisted files. Empty means intact. */
export function verifyManifest(root: string, manifest: BackupManifest): string[] {
  const problems: string[] = [];
  if (manifest.format !== BACKUP_FORMAT) problems.push(`unknown format ${String(manifest.format)}`);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const entry of manifest.files) {
    if (entry.path.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(entry.path)) {
      problems.push(`unsafe path ${entry.path}`);
      continue;
    }
    const file = path.join(root, entry.path);
    if (!fs.existsSync(file)) problems.push(`missing ${entry.path}`);
    else if (sha256File(file) !== entry.sha256) problems.push(`hash mismatch ${entry.path}`);
  }
  for (const rel of listFiles(root)) if (rel !== MANIFEST_FILE && !listed.has(rel)) problems.push(`not in manifest ${rel}`);
  return problems;
}
