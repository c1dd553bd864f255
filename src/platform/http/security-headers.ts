import type { ApprovedScript } from './script-inventory.ts';

/**
 * Security headers. Every HTML page gets a hash-only CSP: the only scripts a browser will run are
 * the inventoried files the page declared (SRI + matching hash), never inline code, never another
 * origin, no nonce and no 'self' (a file swapped on our own origin would not match the hash).
 * Reports go by report-uri only: Chromium drops report-to over plain HTTP, ignores report-uri when
 * report-to is present, and batches report-to for up to a minute (STACK-NOTES).
 */

export interface PageSecurity {
  scripts: readonly ApprovedScript[];
  /** Extra origins a form on this page may lead to (the shop's payment provider, for the payment step). */
  formActionOrigins?: readonly string[];
  reportUri: string;
  https: boolean;
}

export function contentSecurityPolicy(page: PageSecurity): string {
  const scriptSrc = page.scripts.length ? page.scripts.map((s) => `'${s.sha384}'`).join(' ') : "'none'";
  const formAction = ["'self'", ...(page.formActionOrigins ?? [])].join(' ');
  const directives = [
    "default-src 'none'",
    `script-src ${scriptSrc}`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ];
  if (page.https) directives.push('upgrade-insecure-requests');
  directives.push(`report-uri ${page.reportUri}`);
  return directives.join('; ');
}

/** For non-HTML responses (assets, JSON, files): nothing may execute or embed them. */
export const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function baseSecurityHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy':
      'accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(self), publickey-credentials-create=(self), serial=(), usb=(), xr-spatial-tracking=()',
    'x-permitted-cross-domain-policies': 'none',
    'origin-agent-cluster': '?1',
  };
  if (https) headers['strict-transport-security'] = 'max-age=63072000; includeSubDomains; preload';
  return headers;
}
