import type { IncomingMessage } from 'node:http';

/**
 * Which origin serves what. In production every shop has its own origin ({slug}.{BASE_DOMAIN} or
 * a custom host), staff and the operator use the staff origin, and the platform's public face and
 * machine endpoints live on BASE_DOMAIN — so the browser's same-origin policy separates shops
 * (the breached platform ran every shop on one domain). Routes are registered once under
 * `/s/:shop` (and `/h/:host` for custom hosts); a request on a shop origin is rewritten into that
 * prefix, so a shop origin can never reach another shop, the staff console or the operator.
 *
 * In development (no BASE_DOMAIN) everything is served on one host and shops are reached under
 * `/s/{slug}/`.
 */

// Also the fixed staff paths under /admin/ (a shop slug must not shadow them).
export const RESERVED_SLUGS = new Set(['www', 'staff', 'id', 'api', 'assets', 'hooks', 'admin', 'operator', 'mail', 'static', 'psp', 'sign-in', 'sign-out', 'mfa', 'step-up', 'invitations', 'password']);

export const BLOCKED_PATH = '/__blocked';

export interface OriginRoutingOptions {
  baseDomain?: string;
  pathTenants: boolean;
}

export type OriginKind = 'platform' | 'staff' | 'shop' | 'custom' | 'development';

export function classifyHost(hostHeader: string | undefined, options: OriginRoutingOptions): { kind: OriginKind; slug?: string; host?: string } {
  const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
  const base = options.baseDomain;
  if (!base) return { kind: 'development' };
  if (host === base || host === `www.${base}`) return { kind: 'platform' };
  if (host === `staff.${base}`) return { kind: 'staff' };
  if (host.endsWith(`.${base}`)) {
    const sub = host.slice(0, -(base.length + 1));
    if (/^[a-z0-9-]+$/.test(sub) && !RESERVED_SLUGS.has(sub)) return { kind: 'shop', slug: sub };
    return { kind: 'platform' };
  }
  if (options.pathTenants && (host === 'localhost' || host === '127.0.0.1' || host === '[::1]')) return { kind: 'development' };
  return { kind: 'custom', host };
}

function startsWithSegment(url: string, segment: string): boolean {
  return url === segment || url.startsWith(`${segment}/`) || url.startsWith(`${segment}?`);
}

export function createUrlRewriter(options: OriginRoutingOptions): (req: IncomingMessage) => string {
  return (req) => {
    const url = req.url ?? '/';
    const origin = classifyHost(req.headers.host, options);
    switch (origin.kind) {
      case 'development':
        return url;
      case 'shop':
        return startsWithSegment(url, '/assets') ? url : `/s/${origin.slug}${url}`;
      case 'custom':
        return startsWithSegment(url, '/assets') ? url : `/h/${origin.host}${url}`;
      case 'staff':
        return ['/admin', '/operator', '/assets', '/hooks/csp-report', '/hooks/page-integrity'].some((p) => startsWithSegment(url, p)) ? url : BLOCKED_PATH;
      case 'platform':
        if (!options.pathTenants && (startsWithSegment(url, '/s') || startsWithSegment(url, '/h'))) return BLOCKED_PATH;
        if (startsWithSegment(url, '/admin') || startsWithSegment(url, '/operator')) return BLOCKED_PATH;
        return url;
    }
  };
}
