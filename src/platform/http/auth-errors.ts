/**
 * Authentication outcomes the error handler turns into redirects for pages (and 401/403 JSON for
 * machine requests): not signed in, second factor still needed, recent re-authentication needed.
 */
export class AuthRedirectError extends Error {
  constructor(
    readonly kind: 'sign-in' | 'mfa' | 'step-up',
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

export const signInRequired = (location: string) => new AuthRedirectError('sign-in', location, 'サインインしてください。');
export const mfaRequired = (location: string) => new AuthRedirectError('mfa', location, '二段階認証を完了してください。');
export const stepUpRequired = (location: string) => new AuthRedirectError('step-up', location, 'この操作の前に、もう一度本人確認を行ってください。');

/** Only same-site relative paths may be used as a post-sign-in destination (no open redirects). */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 500) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be refused
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\\]/.test(next)) return fallback;
  return next;
}
