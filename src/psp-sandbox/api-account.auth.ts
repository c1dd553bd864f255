import { createHash } from 'node:crypto';
import { StripeApiError } from './api-error.model.ts';

const TEST_KEY = /^sk_test_[A-Za-z0-9_]{8,}$/;

function keyFrom(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value?.trim();
  // curl -u sk_test_…: sends Basic base64("sk_test_…:")
  if (scheme?.toLowerCase() === 'basic' && value) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return undefined;
}

/**
 * Any `sk_test_…` key is an account, created on first use. The account id is a hash of the key,
 * so the key itself is never stored or written to the data file.
 */
export function accountFor(authorization: string | undefined): string {
  const key = keyFrom(authorization);
  if (!key) {
    throw new StripeApiError(
      401,
      'invalid_request_error',
      'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').',
    );
  }
  if (!TEST_KEY.test(key)) {
    const hint = key.length > 4 ? `${key.slice(0, 8)}****${key.slice(-4)}` : '****';
    throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${hint}`, 'api_key_invalid');
  }
  return `acct_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
