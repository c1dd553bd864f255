import type { Config } from '../../platform/config/config.ts';
import { hostMatches, isLoopbackHost } from '../../platform/egress/egress-guard.ts';

/**
 * Which hosts a shop's payment settings may name (API and hosted page). The list is the platform's,
 * never the shop's: a taken-over admin account can rewrite the settings (BRIEF catalogue 14 — "PSP
 * URL"), and the egress allowlist follows the stored API host, so the settings cannot vouch for
 * themselves. Recognised: the provider Oroshi integrates (Stripe), the operator's
 * EGRESS_ALLOW_HOSTS, and loopback outside production (the demo's sandbox provider).
 */

export const KNOWN_PROVIDER_HOSTS = ['api.stripe.com', 'checkout.stripe.com'] as const;

export interface ProviderHostPolicy {
  allowLoopback: boolean;
  extraHosts: readonly string[];
}

export function providerHostPolicy(config: Pick<Config, 'APP_ENV' | 'EGRESS_ALLOW_HOSTS'>): ProviderHostPolicy {
  return {
    allowLoopback: config.APP_ENV !== 'production',
    extraHosts: config.EGRESS_ALLOW_HOSTS.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  };
}

/** Development and tests: loopback allowed, nothing extra. */
export const DEVELOPMENT_PROVIDER_HOSTS: ProviderHostPolicy = { allowLoopback: true, extraHosts: [] };

export function isRecognisedProviderOrigin(origin: string, policy: ProviderHostPolicy): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return (policy.allowLoopback && isLoopbackHost(host)) || hostMatches(host, [...KNOWN_PROVIDER_HOSTS, ...policy.extraHosts]);
}

/** The stored endpoints a shop's payment settings name that the platform does not recognise. */
export function unrecognisedProviderEndpoints(endpoints: { apiBaseUrl: string; hostedPageOrigin: string }, policy: ProviderHostPolicy): string[] {
  return [...new Set([endpoints.apiBaseUrl, endpoints.hostedPageOrigin])].filter((origin) => !isRecognisedProviderOrigin(origin, policy));
}
