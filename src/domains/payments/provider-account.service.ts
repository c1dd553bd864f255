import type { Selectable } from 'kysely';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { ConflictError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { ProviderAccountsTable } from './payments.tables.ts';
import { StripeProvider } from './stripe-provider.ts';

/**
 * Each shop's own provider account. The secret key and the webhook signing secret are sealed
 * with the key-encryption key (aad = the shop's tenant id, so a sealed key copied onto another
 * shop's row does not open) and never shown again: screens get the hint only.
 */

export type ProviderAccount = Selectable<ProviderAccountsTable>;

export const STRIPE_API_BASE = 'https://api.stripe.com';
export const STRIPE_HOSTED_PAGE_ORIGIN = 'https://checkout.stripe.com';

const SECRET_KEY = /^sk_(test|live)_[A-Za-z0-9_]{8,200}$/;
const ORIGIN = /^https?:\/\/[^/\s]+$/;

export function keyHint(secretKey: string): string {
  const prefix = secretKey.startsWith('sk_live_') ? 'sk_live_' : 'sk_test_';
  return `${prefix}…${secretKey.slice(-4)}`;
}

export async function loadProviderAccount(tx: Tx, tenantId: string): Promise<ProviderAccount | undefined> {
  return tx.selectFrom('provider_accounts').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export interface ProviderOptions {
  timeoutMs?: number;
}

/** The adapter for a shop's account; the secret is opened only here, for the call about to be made. */
export function providerFor(account: ProviderAccount, box: SecretBox, options: ProviderOptions = {}): PaymentProvider {
  return new StripeProvider({
    secretKey: box.open(account.secret_key_sealed, account.tenant_id),
    apiBaseUrl: account.api_base_url,
    hostedPageOrigin: account.hosted_page_origin,
    timeoutMs: options.timeoutMs,
  });
}

export function webhookSecretOf(account: ProviderAccount, box: SecretBox): string | null {
  return account.webhook_secret_sealed ? box.open(account.webhook_secret_sealed, account.tenant_id) : null;
}

export interface ProviderKeyInput {
  secretKey: string;
  apiBaseUrl: string;
  hostedPageOrigin: string;
  captureMethod?: 'automatic' | 'manual';
}

export function validateProviderKeyInput(raw: Record<string, string | undefined>): ProviderKeyInput {
  const errors: Record<string, string> = {};
  const secretKey = (raw.secretKey ?? '').trim();
  const apiBaseUrl = (raw.apiBaseUrl ?? '').trim().replace(/\/$/, '') || STRIPE_API_BASE;
  const hostedPageOrigin = (raw.hostedPageOrigin ?? '').trim().replace(/\/$/, '') || STRIPE_HOSTED_PAGE_ORIGIN;
  if (!SECRET_KEY.test(secretKey)) errors.secretKey = 'シークレットキー（sk_test_… または sk_live_…）を入力してください。';
  if (!ORIGIN.test(apiBaseUrl)) errors.apiBaseUrl = 'API の URL を https://… の形（パスなし）で入力してください。';
  if (!ORIGIN.test(hostedPageOrigin)) errors.hostedPageOrigin = '決済ページのオリジンを https://… の形（パスなし）で入力してください。';
  if (secretKey.startsWith('sk_live_') && (!apiBaseUrl.startsWith('https://') || !hostedPageOrigin.startsWith('https://'))) {
    errors.apiBaseUrl ??= '本番キーは https の接続先でのみ使えます。';
  }
  const captureMethod = raw.captureMethod === 'manual' ? 'manual' : 'automatic';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { secretKey, apiBaseUrl, hostedPageOrigin, captureMethod };
}

/**
 * Stores a new secret key (sealed). A new key belongs to a possibly different account, so the
 * webhook registration is cleared and must be made again.
 */
export async function saveProviderKey(tx: Tx, box: SecretBox, actor: StaffActor | null, tenantId: string, input: ProviderKeyInput): Promise<{ keyHint: string }> {
  const hint = keyHint(input.secretKey);
  const values = {
    tenant_id: tenantId,
    provider: 'stripe' as const,
    api_base_url: input.apiBaseUrl,
    hosted_page_origin: input.hostedPageOrigin,
    secret_key_sealed: box.seal(input.secretKey, tenantId),
    webhook_secret_sealed: null,
    webhook_endpoint_id: null,
    key_hint: hint,
    capture_method: input.captureMethod ?? 'automatic',
    updated_by: actor?.id ?? null,
    updated_at: new Date(),
  };
  await tx
    .insertInto('provider_accounts')
    .values(values)
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...values, tenant_id: undefined }))
    .execute();
  if (actor) {
    await auditByStaff(tx, actor, {
      action: 'payments.provider_key_set',
      resourceType: 'provider_account',
      resourceId: tenantId,
      result: 'success',
      detail: { keyHint: hint, apiBaseUrl: input.apiBaseUrl, hostedPageOrigin: input.hostedPageOrigin, captureMethod: values.capture_method },
    });
  }
  return { keyHint: hint };
}

export async function saveWebhookEndpoint(tx: Tx, box: SecretBox, actor: StaffActor | null, tenantId: string, endpoint: { endpointId: string; secret: string; url: string }): Promise<void> {
  if (!/^whsec_[A-Za-z0-9]{16,200}$/.test(endpoint.secret)) throw new ConflictError('決済サービスから正しい署名シークレットが返りませんでした。');
  const updated = await tx
    .updateTable('provider_accounts')
    .set({ webhook_secret_sealed: box.seal(endpoint.secret, tenantId), webhook_endpoint_id: endpoint.endpointId, updated_by: actor?.id ?? null, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new ConflictError('先にシークレットキーを設定してください。');
  if (actor) {
    await auditByStaff(tx, actor, {
      action: 'payments.webhook_registered',
      resourceType: 'provider_account',
      resourceId: tenantId,
      result: 'success',
      detail: { endpointId: endpoint.endpointId, url: endpoint.url },
    });
  }
}

/** Where the provider posts this shop's events: the platform origin, never a shop origin. */
export function webhookUrlFor(platformOrigin: string, shopSlug: string): string {
  return `${platformOrigin.replace(/\/$/, '')}/hooks/psp/${shopSlug}`;
}
