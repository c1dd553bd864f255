import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * The key-encryption key (SECRETS_KEY). Production passes it in config; the demo generates one
 * into DATA_DIR on first start so a restart keeps sessions, CSRF tokens and encrypted secrets
 * valid. Purpose-specific keys are derived with HKDF so no two features share key material.
 */
export class SecretsKey {
  private constructor(private readonly master: Buffer) {}

  static load(config: Pick<Config, 'SECRETS_KEY' | 'dataDir'>): SecretsKey {
    if (config.SECRETS_KEY) return new SecretsKey(Buffer.from(config.SECRETS_KEY, 'hex'));
    const file = path.join(config.dataDir, 'secrets.key');
    if (fs.existsSync(file)) {
      const hex = fs.readFileSync(file, 'utf8').trim();
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a 64-hex-character key`);
      return new SecretsKey(Buffer.from(hex, 'hex'));
    }
    fs.mkdirSync(config.dataDir, { recursive: true });
    const key = randomBytes(32);
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return new SecretsKey(key);
  }

  static fromHex(hex: string): SecretsKey {
    return new SecretsKey(Buffer.from(hex, 'hex'));
  }

  derive(purpose: string, length = 32): Buffer {
    return Buffer.from(hkdfSync('sha256', this.master, Buffer.alloc(0), `oroshi:${purpose}`, length));
  }
}
