import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPgTool } from '../../src/platform/backup/pg-tools.ts';
import { freePort } from './oroshi-process.ts';

/**
 * A private PostgreSQL cluster (initdb on a spare loopback port in a temp dir, trust auth) for
 * tests that stop or restart the database — never the machine's shared server. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` system user.
 */
export interface PrivateCluster {
  port: number;
  url(database?: string): string;
  restart(): void;
  stop(): void;
  start(): void;
  destroy(): void;
}

function asPostgres(tool: string, args: string[]): void {
  const argv = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, args];
  execFileSync(argv[0] as string, argv[1] as string[], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const port = await freePort();
  asPostgres(findPgTool('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  const pgCtl = findPgTool('pg_ctl');
  const start = () => asPostgres(pgCtl, ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  const stop = () => asPostgres(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  start();
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    restart: () => asPostgres(pgCtl, ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-m', 'fast', '-w', '-t', '30', 'restart']),
    destroy() {
      try {
        stop();
      } catch {}
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
