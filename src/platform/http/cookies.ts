import type { Config } from '../config/config.ts';

/**
 * Cookie names and attributes. Over HTTPS cookies carry the __Host- prefix (Secure, Path=/, no
 * Domain: a sibling shop origin cannot set or overwrite them). Plain-HTTP development drops the
 * prefix because browsers refuse Secure cookies there on hosts other than localhost.
 */
export function cookieName(config: Pick<Config, 'secureCookies'>, base: 'session' | 'csrf'): string {
  return config.secureCookies ? `__Host-oroshi_${base}` : `oroshi_${base}`;
}

export function cookieAttributes(config: Pick<Config, 'secureCookies'>) {
  return {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax' as const,
  };
}
