import type { Insertable } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { Buyer } from '../cart/buyer.ts';
import type { OrderPaymentStatus, OrdersTable, PaymentMethod } from '../orders/orders.tables.ts';
import type { ShopSettings } from '../orders/shop-settings.ts';
import { bankTransferMethod } from './bank-transfer.method.ts';
import { invoiceMethod } from './invoice.method.ts';

/**
 * The checkout's payment step, pluggable: bank transfer and invoice terms are built in; the
 * payments issue registers 'card' and 'cod'. Checkout asks each method whether it is available
 * (shop settings, the member's terms, a kill switch…), adds its fee, and after the order is
 * written calls onPlaced in the same transaction, which says what happens next.
 */

export interface PaymentContext {
  tx: Tx;
  settings: ShopSettings;
  buyer: Buyer;
  /** Goods + shipping, tax included, before this method's own fee. */
  amountInclTax: number;
  now: Date;
}

export type Availability = { available: true } | { available: false; reason: string };

export interface PlacedOrder {
  tenantId: string;
  id: string;
  orderNumber: string;
  accountId: string;
  userId: string;
  totalInclTax: number;
  isSynthetic: boolean;
  clientIp: string;
}

export type PlacementColumns = Partial<Pick<Insertable<OrdersTable>, 'transfer_reference' | 'payment_due_date' | 'confirmed_at'>>;

/** After placement: show the completion page, or send the buyer on (e.g. the PSP's hosted page). */
export type NextStep = { kind: 'done' } | { kind: 'redirect'; url: string };

export interface PaymentMethodPlugin {
  id: PaymentMethod;
  label: string;
  /** 支払時期 for the final confirmation page (特定商取引法). */
  timing(ctx: PaymentContext): string;
  availability(ctx: PaymentContext): Promise<Availability>;
  /** Extra fee, tax excluded (代引手数料); null when the amount cannot be taken this way. */
  feeExclTax?(ctx: PaymentContext): number | null;
  /** The states an order placed with this method starts in. */
  initial: { status: 'pending_payment' | 'confirmed'; paymentStatus: OrderPaymentStatus };
  /**
   * Columns the order is written with from the start (a transfer reference, a due date, the
   * confirmation time): part of the placement's one insert, not an update after it.
   */
  orderColumns?(ctx: PaymentContext, orderNumber: string): PlacementColumns;
  /** Runs inside the placement transaction, after the order and its lines exist. */
  onPlaced(tx: Tx, order: PlacedOrder, ctx: PaymentContext): Promise<NextStep>;
}

const DISPLAY_ORDER: readonly PaymentMethod[] = ['card', 'bank_transfer', 'cod', 'invoice'];
const registry = new Map<PaymentMethod, PaymentMethodPlugin>();

/** Adds a method (once per id); returns a function that removes it again (tests). */
export function registerPaymentMethod(plugin: PaymentMethodPlugin): () => void {
  if (registry.has(plugin.id)) throw new Error(`payment method ${plugin.id} is already registered`);
  registry.set(plugin.id, plugin);
  return () => {
    if (registry.get(plugin.id) === plugin) registry.delete(plugin.id);
  };
}

export function paymentMethod(id: string): PaymentMethodPlugin | undefined {
  return registry.get(id as PaymentMethod);
}

export interface OfferedMethod {
  plugin: PaymentMethodPlugin;
  availability: Availability;
}

/** The registered methods the shop accepts, in display order, each with whether this buyer may use it now. */
export async function offeredPaymentMethods(ctx: PaymentContext): Promise<OfferedMethod[]> {
  const offered: OfferedMethod[] = [];
  for (const id of DISPLAY_ORDER) {
    const plugin = registry.get(id);
    if (!plugin || !ctx.settings.paymentMethods.includes(id)) continue;
    offered.push({ plugin, availability: await plugin.availability(ctx) });
  }
  return offered;
}

registerPaymentMethod(bankTransferMethod);
registerPaymentMethod(invoiceMethod);
