import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretsKey } from '../config/secrets.ts';

/**
 * Secrets at rest (TOTP seeds, provider keys): AES-256-GCM under a key derived from the
 * key-encryption key. The envelope names the key version (`v1.<keyId>.<iv>.<tag>.<ciphertext>`),
 * so `npm run secrets:rotate` can re-encrypt under a new SECRETS_KEY while old rows still open.
 * `aad` binds a ciphertext to its row (e.g. the user id), so it cannot be swapped onto another.
 */

const VERSION = 'v1';

export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(secrets: SecretsKey, private readonly previous: SecretBox[] = []) {
    this.key = secrets.derive('secret-box');
    this.keyId = secrets.derive('secret-box-id', 6).toString('hex');
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(envelope: string, aad: string): string {
    const [version, keyId, iv, tag, body] = envelope.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined) throw new SecretBoxError('malformed envelope');
    if (keyId !== this.keyId) {
      const older = this.previous.find((b) => b.keyId === keyId);
      if (!older) throw new SecretBoxError(`sealed under unknown key ${keyId}`);
      return older.open(envelope, aad);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('cannot open: wrong key, wrong row or tampered');
    }
  }

  isCurrent(envelope: string): boolean {
    return envelope.split('.')[1] === this.keyId;
  }
}

export class SecretBoxError extends Error {}
