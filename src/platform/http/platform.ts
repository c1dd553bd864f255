import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { SecretsKey } from '../config/secrets.ts';
import type { Database } from '../db/database.ts';
import type { CsrfTokens } from './csrf.ts';
import type { ApprovedScript, ScriptId } from './script-inventory.ts';
import type { StaticAssets } from './static-assets.ts';

/** What every web route may use: built once at boot and passed to each audience's routes. */
export interface Platform {
  config: Config;
  database: Database;
  log: Logger;
  assets: StaticAssets;
  scripts: ReadonlyMap<ScriptId, ApprovedScript>;
  csrf: CsrfTokens;
  secrets: SecretsKey;
  /**
   * SHA-256 (hex) of each file under static/ as the signed build manifest has it, keyed by its
   * path under static/ — set once the manifest is verified (production, before listening) or
   * signed (development, after). Protected pages hand these to the browser, which checks the
   * scripts and stylesheets it received against them (page-integrity.js). Absent: not checked.
   */
  signedAssetHashes?: ReadonlyMap<string, string>;
}
