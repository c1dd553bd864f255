import { randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { consumeAuthToken, issueAuthToken } from './auth-token.service.ts';

// Loaded by the first ceremony, not at boot (a few staff use passkeys; every process would pay for it).
const webauthn = () => import('@simplewebauthn/server');

/**
 * Passkeys (WebAuthn) for staff. The relying party is the staff origin, so a passkey made there
 * cannot be exercised by a shop origin or a look-alike. Each ceremony's challenge is a single-use
 * auth token bound to the user and the ceremony; verification spends it. The tx must be scoped
 * as the user (credentials are visible only to their owner).
 */

export interface RelyingParty {
  rpID: string;
  rpName: string;
  origin: string;
}

/** The staff origin: staff.{BASE_DOMAIN} in production, the shared host in development. */
export function staffRelyingParty(config: { BASE_DOMAIN?: string; baseOrigin: string }): RelyingParty {
  if (config.BASE_DOMAIN) {
    const protocol = new URL(config.baseOrigin).protocol;
    const host = `staff.${config.BASE_DOMAIN}`;
    return { rpID: host, rpName: 'Oroshi 管理画面', origin: `${protocol}//${host}` };
  }
  const url = new URL(config.baseOrigin);
  return { rpID: url.hostname, rpName: 'Oroshi 管理画面', origin: url.origin };
}

const newChallenge = () => new Uint8Array(randomBytes(32));

async function listCredentials(tx: Tx, userId: string) {
  return tx.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function passkeyRegistrationOptions(
  tx: Tx,
  rp: RelyingParty,
  user: { id: string; email: string; displayName: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listCredentials(tx, user.id);
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    challenge: newChallenge(),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    timeout: 5 * 60 * 1000,
  });
  await issueAuthToken(tx, 'webauthn_challenge', { userId: user.id, subject: `register:${user.id}`, token: options.challenge });
  return options;
}

export async function verifyPasskeyRegistration(
  tx: Tx,
  rp: RelyingParty,
  userId: string,
  response: RegistrationResponseJSON,
  deviceName: string,
): Promise<{ ok: true; credentialId: string } | { ok: false }> {
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    const { verifyRegistrationResponse } = await webauthn();
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: async (challenge) => Boolean(await consumeAuthToken(tx, 'webauthn_challenge', challenge, `register:${userId}`)),
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    return { ok: false };
  }
  if (!verification.verified) return { ok: false };
  const c = verification.registrationInfo.credential;
  await tx
    .insertInto('webauthn_credentials')
    .values({
      user_id: userId,
      credential_id: c.id,
      public_key: Buffer.from(c.publicKey).toString('base64url'),
      counter: c.counter,
      transports: (c.transports ?? []).filter((t) => /^[a-z-]{1,20}$/.test(t)),
      device_name: deviceName.slice(0, 100),
    })
    .execute();
  return { ok: true, credentialId: c.id };
}

export async function passkeyAuthenticationOptions(tx: Tx, rp: RelyingParty, userId: string): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const creds = await listCredentials(tx, userId);
  if (creds.length === 0) return null;
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    challenge: newChallenge(),
    allowCredentials: creds.map((c) => ({ id: c.credential_id, transports: c.transports })),
    userVerification: 'preferred',
    timeout: 5 * 60 * 1000,
  });
  await issueAuthToken(tx, 'webauthn_challenge', { userId, subject: `authenticate:${userId}`, token: options.challenge });
  return options;
}

export async function verifyPasskeyAuthentication(tx: Tx, rp: RelyingParty, userId: string, response: AuthenticationResponseJSON): Promise<boolean> {
  if (typeof response?.id !== 'string') return false;
  const cred = await tx
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .where('credential_id', '=', response.id)
    .executeTakeFirst();
  if (!cred) return false;
  try {
    const { verifyAuthenticationResponse } = await webauthn();
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: async (challenge) => Boolean(await consumeAuthToken(tx, 'webauthn_challenge', challenge, `authenticate:${userId}`)),
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: cred.credential_id,
        publicKey: new Uint8Array(Buffer.from(cred.public_key, 'base64url')),
        counter: Number(cred.counter),
        transports: cred.transports as never,
      },
      requireUserVerification: false,
    });
    if (!result.verified) return false;
    // A counter that goes backwards means a cloned authenticator (the library refuses it too).
    await tx
      .updateTable('webauthn_credentials')
      .set({ counter: result.authenticationInfo.newCounter, last_used_at: sql`now()` })
      .where('id', '=', cred.id)
      .execute();
    return true;
  } catch {
    return false;
  }
}

export async function listPasskeys(tx: Tx, userId: string) {
  const rows = await listCredentials(tx, userId);
  return rows.map((r) => ({ id: r.id, deviceName: r.device_name, createdAt: new Date(r.created_at), lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null }));
}

export async function removePasskey(tx: Tx, userId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const r = await tx.deleteFrom('webauthn_credentials').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
