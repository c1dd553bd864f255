import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../db/database.ts';
import { BACKUP_FORMAT, type BackupManifest, describeFiles, listFiles, MANIFEST_FILE, verifyManifest } from './backup-manifest.ts';
import { findPgTool, libpqConnection, runPgTool } from './pg-tools.ts';

/**
 * One archive (tar.gz) holding the database and the files under DATA_DIR, with a manifest of
 * SHA-256 hashes. PostgreSQL: pg_dump's custom format, a consistent snapshot taken while the
 * platform keeps serving. PGlite: the data directory dumped by PGlite itself, which needs the
 * directory to itself — the server must be stopped (PGlite's postmaster.pid shows it is not).
 *
 * Left out of the archive, on purpose (docs/decisions/0006-resilience.md):
 * - the key files (secrets.key, audit-signing.key, build-signing.key): whoever holds the backup
 *   and the key-encryption key holds every TOTP seed and provider secret; keys go to a separate
 *   secret store. `includeKeys` puts them in for a single-machine demo.
 * - build-manifest.json: a build artefact, signed by CI, not data.
 * - pgdata/: copied consistently as the database dump instead of file by file.
 */

export interface BackupSource {
  /** The owner URL (DATABASE_OWNER_URL, else DATABASE_URL); absent: PGlite under dataDir/pgdata. */
  databaseUrl?: string;
  dataDir: string;
}

export interface BackupOptions {
  includeKeys?: boolean;
  now?: Date;
}

const PG_DUMP_FILE = 'database.pgdump';
const PGLITE_DUMP_FILE = 'database.pglite.tar.gz';
const DATA_PREFIX = 'data';

const KEY_FILE = /(^|\/)[^/]+\.key(\.pending)?$/;
const SKIPPED: { test: (rel: string) => boolean; reason: string }[] = [
  { test: (rel) => rel === 'pgdata' || rel.startsWith('pgdata/'), reason: 'embedded database: included as the PGlite data-directory dump' },
  { test: (rel) => rel === 'build-manifest.json', reason: 'build artefact signed by CI, not data' },
  { test: (rel) => rel.endsWith('.tmp'), reason: 'half-written temporary file' },
];

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/** PGlite keeps postmaster.pid while a process has the directory open, and removes it on close. */
export function pgliteInUse(dataDir: string): boolean {
  return fs.existsSync(path.join(pgliteDir(dataDir), 'postmaster.pid'));
}

export async function createBackup(source: BackupSource, archive: string, options: BackupOptions = {}): Promise<BackupManifest> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-backup-'));
  try {
    let database: BackupManifest['database'];
    if (source.databaseUrl) {
      const { url, env } = libpqConnection(source.databaseUrl);
      runPgTool(findPgTool('pg_dump'), ['--format=custom', '--no-owner', '--file', path.join(stage, PG_DUMP_FILE), '--dbname', url], env);
      const version = runPgTool(findPgTool('pg_dump'), ['--version']).trim();
      database = { kind: 'postgres', file: PG_DUMP_FILE, serverVersion: version };
    } else {
      if (!fs.existsSync(pgliteDir(source.dataDir))) throw new Error(`no embedded database at ${pgliteDir(source.dataDir)}`);
      if (pgliteInUse(source.dataDir)) {
        throw new Error(
          `the embedded database at ${pgliteDir(source.dataDir)} is open (postmaster.pid exists): stop Oroshi first — PGlite cannot be copied while another process writes it. After a crash, start and stop Oroshi once to recover it.`,
        );
      }
      const db = await openPglite({ dataDir: pgliteDir(source.dataDir) });
      try {
        const dump = await db.dumpDataDir!();
        fs.writeFileSync(path.join(stage, PGLITE_DUMP_FILE), Buffer.from(await dump.arrayBuffer()));
      } finally {
        await db.close();
      }
      database = { kind: 'pglite', file: PGLITE_DUMP_FILE };
    }

    const excluded: BackupManifest['excluded'] = [];
    const included: string[] = [];
    for (const rel of listFiles(source.dataDir)) {
      const skip = SKIPPED.find((s) => s.test(rel));
      if (skip) {
        if (!excluded.some((e) => rel.startsWith(`${e.path}/`) || e.path === rel)) excluded.push({ path: rel.startsWith('pgdata/') ? 'pgdata' : rel, reason: skip.reason });
        continue;
      }
      if (KEY_FILE.test(rel) && !options.includeKeys) {
        excluded.push({ path: rel, reason: 'private key: keep it in the secret store (npm run backup -- --include-keys to add it)' });
        continue;
      }
      const target = path.join(stage, DATA_PREFIX, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(source.dataDir, rel), target);
      included.push(`${DATA_PREFIX}/${rel}`);
    }

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: (options.now ?? new Date()).toISOString(),
      database,
      excluded,
      files: describeFiles(stage, [database.file, ...included]),
    };
    fs.writeFileSync(path.join(stage, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.mkdirSync(path.dirname(path.resolve(archive)), { recursive: true });
    execFileSync('tar', ['-czf', path.resolve(archive), '-C', stage, '.']);
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

export interface RestoreTarget {
  /** An existing, empty PostgreSQL database (owner URL); absent: PGlite under dataDir/pgdata. */
  databaseUrl?: string;
  /** Must not hold a database or any of the archive's files yet. */
  dataDir: string;
}

/** Unpacks, checks every hash, then restores the database and the files. Never overwrites. */
export async function restoreBackup(archive: string, target: RestoreTarget): Promise<BackupManifest> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-restore-'));
  try {
    execFileSync('tar', ['-xzf', path.resolve(archive), '-C', stage, '--no-same-owner']);
    const manifest = JSON.parse(fs.readFileSync(path.join(stage, MANIFEST_FILE), 'utf8')) as BackupManifest;
    const problems = verifyManifest(stage, manifest);
    if (problems.length) throw new Error(`archive is damaged, nothing restored: ${problems.slice(0, 5).join('; ')}`);

    const dataFiles = manifest.files.filter((f) => f.path.startsWith(`${DATA_PREFIX}/`)).map((f) => f.path.slice(DATA_PREFIX.length + 1));
    const clashes = dataFiles.filter((rel) => fs.existsSync(path.join(target.dataDir, rel)));
    if (clashes.length) throw new Error(`refusing to overwrite files in ${target.dataDir}: ${clashes.slice(0, 3).join(', ')}`);

    if (manifest.database.kind === 'postgres') {
      if (!target.databaseUrl) throw new Error('the archive holds a PostgreSQL dump: set DATABASE_URL (or DATABASE_OWNER_URL) to an empty database');
      await restorePostgres(path.join(stage, manifest.database.file), target.databaseUrl);
    } else {
      if (target.databaseUrl) throw new Error('the archive holds an embedded (PGlite) database: unset DATABASE_URL to restore it under DATA_DIR');
      if (fs.existsSync(pgliteDir(target.dataDir))) throw new Error(`refusing to overwrite the embedded database at ${pgliteDir(target.dataDir)}`);
      const blob = new Blob([fs.readFileSync(path.join(stage, manifest.database.file))]);
      const db = await openPglite({ dataDir: pgliteDir(target.dataDir), loadDataDir: blob });
      await db.close();
    }

    for (const rel of dataFiles) {
      const to = path.join(target.dataDir, rel);
      fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
      fs.copyFileSync(path.join(stage, DATA_PREFIX, rel), to, fs.constants.COPYFILE_EXCL);
      if (KEY_FILE.test(rel)) fs.chmodSync(to, 0o600);
    }
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function restorePostgres(dumpFile: string, ownerUrl: string): Promise<void> {
  const { url, env } = libpqConnection(ownerUrl);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
    if (rows[0]!.n > 0) throw new Error('the target database is not empty: restore into a new database (createdb …)');
    // Grants in the dump name the runtime role, which is cluster-wide and may not exist on a new server.
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'oroshi_app') THEN
        CREATE ROLE oroshi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  } finally {
    await client.end();
  }
  runPgTool(findPgTool('pg_restore'), ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', url, dumpFile], env);
}
