import type { Logger } from 'pino';
import type { Config } from '../../platform/config/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { type EgressAttempt, type EgressGuard, installEgressGuard } from '../../platform/egress/egress-guard.ts';
import { raiseSecurityEvent } from './security-events.service.ts';

/**
 * The egress allowlist of a web or job process, and what a blocked connection becomes: a critical
 * platform-wide event (code in the shared process is calling somewhere it never should, so every
 * shop's cards stop). Allowed: the database, SMTP, the security webhook, EGRESS_ALLOW_HOSTS, and
 * each shop's payment provider API host (read from provider_accounts, refreshed every minute and
 * again before a block is reported, so a provider set up a moment ago is not a false alarm).
 */

export type EgressConfig = Pick<Config, 'APP_ENV' | 'DATABASE_URL' | 'DATABASE_OWNER_URL' | 'SMTP_URL' | 'SECURITY_WEBHOOK_URL' | 'EGRESS_ALLOW_HOSTS'>;

function hostOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).hostname];
  } catch {
    return [];
  }
}

export function staticEgressHosts(config: EgressConfig): string[] {
  return [
    ...hostOf(config.DATABASE_URL),
    ...hostOf(config.DATABASE_OWNER_URL),
    ...hostOf(config.SMTP_URL),
    ...hostOf(config.SECURITY_WEBHOOK_URL),
    ...config.EGRESS_ALLOW_HOSTS.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  ];
}

/** Every shop's provider API host, each read in that shop's own scope. */
export async function loadProviderHosts(database: Database): Promise<string[]> {
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').execute());
  const hosts = new Set<string>();
  for (const shop of shops) {
    const row = await withTenant(database, shop.id, (tx) => tx.selectFrom('provider_accounts').select('api_base_url').executeTakeFirst());
    for (const host of hostOf(row?.api_base_url)) hosts.add(host);
  }
  return [...hosts];
}

export interface ServerEgressGuard {
  guard: EgressGuard;
  refresh(): Promise<void>;
  stop(): void;
}

export async function guardServerEgress(
  platform: { config: EgressConfig; database: Database; log: Logger },
  options: { refreshMs?: number } = {},
): Promise<ServerEgressGuard> {
  const { config, database, log } = platform;
  const fixed = staticEgressHosts(config);
  let providers = await loadProviderHosts(database);
  const refresh = async () => {
    providers = await loadProviderHosts(database);
  };
  const report = async (attempt: EgressAttempt) => {
    await refresh().catch(() => undefined);
    if (guard.isAllowed(attempt.host)) {
      log.warn({ host: attempt.host }, 'egress allowlist was stale; the host is a configured provider now');
      return;
    }
    log.fatal({ event: 'security.egress_blocked', host: attempt.host, port: attempt.port }, 'blocked an outgoing connection to a host not on the allowlist');
    await raiseSecurityEvent(database, {
      tenantId: null,
      layer: 'egress',
      severity: 'critical',
      kind: 'egress.blocked',
      summary: `サーバーから許可されていない宛先 ${attempt.host}${attempt.port ? `:${attempt.port}` : ''} への通信を遮断しました`,
      fingerprint: `egress:${attempt.host}:${attempt.port ?? ''}`,
      evidence: [{ kind: 'egress-attempt', data: { ...attempt, at: attempt.at.toISOString(), pid: process.pid } }],
    });
  };
  const guard = installEgressGuard({
    allowHosts: () => [...fixed, ...providers],
    allowLoopback: config.APP_ENV !== 'production',
    onBlocked: (attempt) => {
      void report(attempt).catch((err) => log.error({ err }, 'could not raise the egress event'));
    },
  });
  const timer = setInterval(() => void refresh().catch((err) => log.warn({ err }, 'egress allowlist refresh failed')), options.refreshMs ?? 60_000);
  timer.unref();
  return {
    guard,
    refresh,
    stop() {
      clearInterval(timer);
      guard.uninstall();
    },
  };
}
