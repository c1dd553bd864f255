import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Parsed once at boot; a bad value stops the process with
 * the variable's name, so a misconfigured production instance never starts half-working.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const configSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL identifier')
    .default('oroshi_app'),
  DATABASE_APP_PASSWORD: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  BASE_URL: z.string().url().default('http://localhost:3000'),
  BASE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'must be a bare host name such as oroshi.example')
    .optional(),
  TRUST_PROXY: z.string().default('false'),
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Oroshi <no-reply@oroshi.localhost>'),
  SECRETS_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  // Read only by `npm run secrets:rotate`: the key to re-encrypt every secret under.
  NEW_SECRETS_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  // Ed25519 key that signs audit chain heads written outside the database (PEM or base64 PKCS#8);
  // unset: generated into DATA_DIR/audit-signing.key. See domains/audit/audit-anchor.ts.
  AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  // Where the signed anchors (anchors.jsonl) go; unset: DATA_DIR/audit-anchors.
  AUDIT_ANCHOR_DIR: z.string().min(1).optional(),
  // Security (issue 7). Outgoing alert webhook for critical security events (POSTed JSON).
  SECURITY_WEBHOOK_URL: z.string().url().refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL').optional(),
  // Ed25519 key that signs build-manifest.json (CI only; PEM or base64 PKCS#8). Unset outside
  // production: generated into DATA_DIR/build-signing.key. See platform/build-manifest/.
  BUILD_SIGNING_KEY: z.string().min(1).optional(),
  // The public half the server and the verifier trust (PEM or base64 SPKI); required in production.
  BUILD_PUBLIC_KEY: z.string().min(1).optional(),
  // Where the signed manifest lives; unset: ./build-manifest.json in production, DATA_DIR otherwise.
  BUILD_MANIFEST_PATH: z.string().min(1).optional(),
  VERIFIER_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  // Extra hosts server-side HTTP may reach besides the providers', SMTP and the webhook (comma-separated).
  EGRESS_ALLOW_HOSTS: z.string().regex(/^[a-z0-9.,:* -]*$/i, 'must be a comma-separated list of host names').default(''),
  // The sandbox payment provider `npm start` runs beside the demo (its own port, so its own origin).
  PSP_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  SEED_DEMO: booleanFromEnv.optional(),
  JOBS_ENABLED: booleanFromEnv.default(true),
  // Browser monitor (src/monitor): Debian's Chromium, how often each shop is walked, and the
  // synthetic member it walks as (unset: the demo's monitor member where the demo is seeded).
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  MONITOR_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  MONITOR_EMAIL: z.string().email().optional(),
  MONITOR_PASSWORD: z.string().min(1).optional(),
  // true: a protection layer that cannot run (no Chromium, stale walks) stops card payments.
  PROTECTION_REQUIRED: booleanFromEnv.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Bench and development only: database round trips and their time per request in response
  // headers (x-db-round-trips, x-db-ms). Refused in production.
  DB_QUERY_STATS: booleanFromEnv.default(false),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  dataDir: string;
  /** True when shops may be reached under /s/{slug}/ on a shared host (development only). */
  pathTenants: boolean;
  /** Cookies get the __Host- prefix and Secure only over HTTPS. */
  secureCookies: boolean;
  trustProxy: boolean | number | string;
  seedDemo: boolean;
  baseOrigin: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  // A comma-separated list of addresses or CIDRs, passed to Fastify as is.
  if (/^[0-9a-fA-F:.,/ ]+$/.test(value)) return value;
  throw new ConfigError('TRUST_PROXY', 'must be true, false, a hop count or a list of addresses/CIDRs');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    picked[key] = value === '' ? undefined : value;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'config'), issue.message);
  }
  const raw = parsed.data;
  if (raw.DATABASE_OWNER_URL && !raw.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL', 'is required when DATABASE_OWNER_URL is set');
  }
  const base = new URL(raw.BASE_URL);
  const production = raw.APP_ENV === 'production';
  if (production && !raw.BASE_DOMAIN) {
    throw new ConfigError('BASE_DOMAIN', 'is required in production (one origin per shop)');
  }
  if (production && base.protocol !== 'https:') {
    throw new ConfigError('BASE_URL', 'must be https in production');
  }
  if (production && !raw.BUILD_PUBLIC_KEY) {
    throw new ConfigError('BUILD_PUBLIC_KEY', 'is required in production (the verifier trusts only the CI-signed build)');
  }
  if (production && raw.DB_QUERY_STATS) {
    throw new ConfigError('DB_QUERY_STATS', 'is for the bench and development only, never production');
  }
  if (production && !raw.SECRETS_KEY) {
    throw new ConfigError('SECRETS_KEY', 'is required in production');
  }
  return {
    ...raw,
    dataDir: path.resolve(raw.DATA_DIR),
    pathTenants: !production,
    secureCookies: base.protocol === 'https:',
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    seedDemo: raw.SEED_DEMO ?? !production,
    baseOrigin: base.origin,
  };
}
