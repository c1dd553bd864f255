import { describe, expect, it } from 'vitest';
import { SecretsKey } from '../config/secrets.ts';
import { SecretBox, SecretBoxError } from './secret-box.ts';

const boxA = new SecretBox(SecretsKey.fromHex('aa'.repeat(32)));
const boxB = new SecretBox(SecretsKey.fromHex('bb'.repeat(32)), [boxA]);

describe('SecretBox', () => {
  it('round-trips and never shows the plaintext', () => {
    const sealed = boxA.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(boxA.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(boxA.seal('x', 'u')).not.toBe(boxA.seal('x', 'u'));
  });

  it('refuses another row, a tampered body and an unknown key', () => {
    const sealed = boxA.seal('secret', 'user-1');
    expect(() => boxA.open(sealed, 'user-2')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    parts[4] = `${parts[4]!.slice(0, -2)}AA`;
    expect(() => boxA.open(parts.join('.'), 'user-1')).toThrow(SecretBoxError);
    expect(() => boxA.open(boxB.seal('s', 'u'), 'u')).toThrow(/unknown key/);
  });

  it('opens envelopes of the previous key after rotation', () => {
    const old = boxA.seal('seed', 'user-1');
    expect(boxB.isCurrent(old)).toBe(false);
    expect(boxB.open(old, 'user-1')).toBe('seed');
    expect(boxB.isCurrent(boxB.seal('seed', 'user-1'))).toBe(true);
  });
});
