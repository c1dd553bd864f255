import { cardKillState, type KillSwitchHistoryRow, type KillSwitchState, killSwitchHistory } from '../../../domains/payments/card-kill-switch.service.ts';
import { loadProviderAccount } from '../../../domains/payments/provider-account.service.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';

/** What the shop's 決済設定 page shows: never a sealed value, only the hint and whether one is set. */

export interface ProviderAccountStatus {
  provider: string;
  keyHint: string;
  apiBaseUrl: string;
  hostedPageOrigin: string;
  captureMethod: 'automatic' | 'manual';
  webhookRegistered: boolean;
  webhookEndpointId: string | null;
  updatedAt: Date;
}

export interface CardPaymentRow {
  id: string;
  orderId: string;
  orderNumber: string;
  salonName: string;
  startedAt: Date;
  status: string;
  amountYen: number;
  capturedYen: number;
  refundedYen: number;
  brand: string | null;
  last4: string | null;
  threeDSecure: string | null;
  failureCode: string | null;
}

export interface PaymentsAdminData {
  account: ProviderAccountStatus | null;
  payments: CardPaymentRow[];
  kill: KillSwitchState;
  /** The shop's own switch (the platform-wide one is shown separately: the shop cannot change it). */
  ownSwitch: { engaged: boolean; automatic: boolean; reason: string; changedAt: Date | null };
  history: KillSwitchHistoryRow[];
}

export const RECENT_PAYMENTS = 50;

export async function loadPaymentsAdmin(tx: Tx, tenantId: string): Promise<PaymentsAdminData> {
  const account = await loadProviderAccount(tx, tenantId);
  const payments = await tx
    .selectFrom('payments as p')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 'p.tenant_id').onRef('o.id', '=', 'p.order_id'))
    .innerJoin('salon_accounts as a', 'a.id', 'p.account_id')
    .select([
      'p.id',
      'p.order_id',
      'o.order_number',
      'a.salon_name',
      'p.started_at',
      'p.status',
      'p.amount_yen',
      'p.captured_yen',
      'p.refunded_yen',
      'p.card_brand',
      'p.card_last4',
      'p.three_d_secure',
      'p.failure_code',
    ])
    .where('p.tenant_id', '=', tenantId)
    .where('p.method', '=', 'card')
    .where('p.is_synthetic', '=', false)
    .orderBy('p.started_at', 'desc')
    .limit(RECENT_PAYMENTS)
    .execute();
  const own = await tx.selectFrom('card_kill_switches').select(['engaged', 'automatic', 'reason', 'changed_at']).where('tenant_id', '=', tenantId).executeTakeFirst();
  return {
    account: account
      ? {
          provider: account.provider,
          keyHint: account.key_hint,
          apiBaseUrl: account.api_base_url,
          hostedPageOrigin: account.hosted_page_origin,
          captureMethod: account.capture_method,
          webhookRegistered: Boolean(account.webhook_secret_sealed && account.webhook_endpoint_id),
          webhookEndpointId: account.webhook_endpoint_id,
          updatedAt: new Date(account.updated_at),
        }
      : null,
    payments: payments.map((p) => ({
      id: p.id,
      orderId: p.order_id,
      orderNumber: p.order_number,
      salonName: p.salon_name,
      startedAt: new Date(p.started_at),
      status: p.status,
      amountYen: p.amount_yen,
      capturedYen: p.captured_yen,
      refundedYen: p.refunded_yen,
      brand: p.card_brand,
      last4: p.card_last4,
      threeDSecure: p.three_d_secure,
      failureCode: p.failure_code,
    })),
    kill: await cardKillState(tx, tenantId),
    ownSwitch: {
      engaged: Boolean(own?.engaged),
      automatic: Boolean(own?.engaged && own.automatic),
      reason: own?.engaged ? own.reason : '',
      changedAt: own?.engaged ? new Date(own.changed_at) : null,
    },
    history: await killSwitchHistory(tx, tenantId, 20),
  };
}

export function refundableYen(p: Pick<CardPaymentRow, 'status' | 'capturedYen' | 'refundedYen'>): number {
  return p.status === 'succeeded' || p.status === 'partially_refunded' ? Math.max(0, p.capturedYen - p.refundedYen) : 0;
}
