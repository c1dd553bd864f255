import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { listPasskeys, type RelyingParty, verifyPasskeyAuthentication } from './passkey.service.ts';
import { remainingRecoveryCodes, useRecoveryCode } from './recovery-codes.service.ts';
import { hasConfirmedTotp, verifyTotpCode } from './totp.service.ts';

/** The second factors a user holds and one place that checks any of them. The tx is scoped as the user. */

export interface FactorSummary {
  totp: boolean;
  passkeys: Awaited<ReturnType<typeof listPasskeys>>;
  recoveryCodesLeft: number;
}

export async function factorSummary(tx: Tx, userId: string): Promise<FactorSummary> {
  return {
    totp: await hasConfirmedTotp(tx, userId),
    passkeys: await listPasskeys(tx, userId),
    recoveryCodesLeft: await remainingRecoveryCodes(tx, userId),
  };
}

export const hasSecondFactor = (f: FactorSummary) => f.totp || f.passkeys.length > 0;

export type SecondFactorProof =
  | { kind: 'totp'; code: string }
  | { kind: 'recovery'; code: string }
  | { kind: 'passkey'; response: AuthenticationResponseJSON };

export async function checkSecondFactor(tx: Tx, box: SecretBox, rp: RelyingParty, userId: string, proof: SecondFactorProof): Promise<boolean> {
  switch (proof.kind) {
    case 'totp':
      return verifyTotpCode(tx, box, userId, proof.code);
    case 'recovery':
      return useRecoveryCode(tx, userId, proof.code);
    case 'passkey':
      return verifyPasskeyAuthentication(tx, rp, userId, proof.response);
  }
}
