import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for every state-changing form: a random per-browser secret in an HttpOnly cookie,
 * and in the form its HMAC under a server key, so the form value is useless without the cookie
 * and the cookie alone cannot be turned into a form value. Requests must also not come from
 * another site (Sec-Fetch-Site / Origin), a second, independent check.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  newSecret(): string {
    return randomBytes(24).toString('base64url');
  }

  tokenFor(secret: string): string {
    return createHmac('sha256', this.key).update(secret).digest('base64url');
  }

  verify(secret: string | undefined, token: unknown): boolean {
    if (!secret || typeof token !== 'string' || token.length > 100) return false;
    const expected = Buffer.from(this.tokenFor(secret));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** True when the browser says the request came from another site, or its Origin is foreign. */
export function isCrossSiteRequest(headers: Record<string, string | string[] | undefined>, expectedHost: string | undefined): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null' && expectedHost) {
    try {
      return new URL(origin).host !== expectedHost;
    } catch {
      return true;
    }
  }
  // Pages send `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` even for
  // same-origin form posts; the browser's own Sec-Fetch-Site then tells same-origin apart.
  if (origin === 'null') return site !== 'same-origin';
  return false;
}
