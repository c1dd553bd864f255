import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id at OWASP's recommended parameters (19 MiB, 2 passes). A hash made
 * under older parameters still verifies and is reported for rehashing at the next sign-in.
 */

const ARGON2ID = 2;
export const PASSWORD_HASH_PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot import.
  return hash(password, PASSWORD_HASH_PARAMS as unknown as Parameters<typeof hash>[1]);
}

export async function verifyPassword(stored: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
  let ok = false;
  try {
    ok = await verify(stored, password);
  } catch {
    return { ok: false, needsRehash: false };
  }
  return { ok, needsRehash: ok && needsRehash(stored) };
}

export function needsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    const p = PASSWORD_HASH_PARAMS;
    return (
      Number(o.algorithm) !== p.algorithm || o.memoryCost !== p.memoryCost || o.timeCost !== p.timeCost || o.parallelism !== p.parallelism || o.outputLen !== p.outputLen
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Unknown emails still cost one full verification, so response time does not tell which
 * addresses have accounts.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('oroshi-dummy-password-for-timing');
  await verify(await dummy, password).catch(() => false);
}
