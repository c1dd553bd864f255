import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The machine's PostgreSQL client tools. pg_dump refuses a server newer than itself, so the
 * newest installed major wins: PATH first (Debian's wrapper picks a matching version), then
 * /usr/lib/postgresql/<major>/bin from the highest major down.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore' | 'initdb' | 'pg_ctl' | 'postgres'): string {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const majors = fs
      .readdirSync(root)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(path.join(root, major, 'bin', name));
  }
  // initdb, pg_ctl and postgres are not on Debian's PATH; pg_dump/pg_restore are (as wrappers).
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, name));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {}
  }
  throw new Error(`${name} not found on PATH or under /usr/lib/postgresql/*/bin (install postgresql-client)`);
}

/** Runs a client tool; stderr becomes the error message (never the connection URL). */
export function runPgTool(tool: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(tool, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).toString();
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new Error(`${path.basename(tool)} failed: ${stderr || (err as Error).message}`);
  }
}

/**
 * libpq takes the password from PGPASSWORD rather than the command line, where `ps` would show it.
 * Returns the URL without its password and the environment that carries it.
 */
export function libpqConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}
