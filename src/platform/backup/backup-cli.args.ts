import path from 'node:path';
import type { Config } from '../config/config.ts';

/** The owner connection a dump or restore needs: DATABASE_OWNER_URL, else DATABASE_URL (which alone is the owner). */
export function ownerUrlOf(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_OWNER_URL'>): string | undefined {
  return config.DATABASE_OWNER_URL ?? config.DATABASE_URL;
}

export function defaultArchiveName(now: Date, dir = 'backups'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(dir, `oroshi-backup-${stamp}.tar.gz`);
}
