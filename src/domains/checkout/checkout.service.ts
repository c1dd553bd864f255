import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { addDays, jstDateTime } from '../calendar/calendar-date.ts';
import { type DeliveryChoiceResult, validateDeliveryChoice } from '../calendar/delivery-choice.ts';
import type { Buyer } from '../cart/buyer.ts';
import { type CartView, loadCart } from '../cart/cart.service.ts';
import { variantDisplayName } from '../cart/variant-snapshot.ts';
import { storedSlotCode } from '../orders/order-format.ts';
import { queueOrderConfirmationMailOf } from '../orders/order-mail.ts';
import { nextOrderNumber } from '../orders/order-number.ts';
import { lockStockForReservation, type StockReservation } from '../orders/order-stock.ts';
import type { ShopSettings } from '../orders/shop-settings.ts';
import { ValidationError } from '../shared/domain-error.ts';
import { computeShippingFee, type ShippingFeeQuote } from '../shipping/shipping-fee.ts';
import { computeInvoiceTax, type InvoiceTax, taxIncluded } from '../tax/invoice-tax.ts';
import { type CheckoutForm, checkoutFormSchema, type NewAddress, newAddressSchema } from './checkout.schema.ts';
import { type NextStep, type PaymentContext, type PaymentMethodPlugin, paymentMethod } from './payment-methods.ts';

/**
 * Checkout: the form is turned into a draft (address, delivery, payment, every amount) that the
 * confirmation page shows item by item; placement rebuilds the same draft from the database —
 * never from prices in the POST — and places it only if nothing changed.
 */

export interface DeliveryAddress extends Omit<NewAddress, 'prefecture'> {
  prefecture: string;
  locationId: string | null;
}

export interface CheckoutDraft {
  form: CheckoutForm;
  address: DeliveryAddress;
  delivery: Extract<DeliveryChoiceResult, { ok: true }>;
  cart: CartView;
  shipping: ShippingFeeQuote;
  method: PaymentMethodPlugin;
  methodFeeExclTax: number;
  paymentTiming: string;
  tax: InvoiceTax;
  totalInclTax: number;
  /** The estimated ship date (shop calendar, cutoff) — 特商法's 引渡時期. */
  shipDate: string;
}

export interface SalonLocation {
  id: string;
  label: string;
  recipient_name: string;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: string;
  phone: string;
  is_default: boolean;
}

/** The salon's own delivery addresses. RLS would also show other member salons' rows to this shop, hence the filter. */
export async function listOwnLocations(tx: Tx, accountId: string): Promise<SalonLocation[]> {
  return tx
    .selectFrom('salon_locations')
    .select(['id', 'label', 'recipient_name', 'postal_code', 'prefecture', 'city', 'address_line1', 'address_line2', 'phone', 'is_default'])
    .where('account_id', '=', accountId)
    .where('archived_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('created_at')
    .execute();
}

/** Dates a buyer may pick: business days from the earliest possible one up to the shop's horizon. */
export function deliveryDateOptions(settings: ShopSettings, now: Date): string[] {
  const earliest = settings.calendar.earliestDeliveryDate(now, { leadDays: settings.leadDays, cutoffHour: settings.cutoffHour });
  const last = addDays(jstDateTime(now).date, settings.maxDaysAhead);
  const dates: string[] = [];
  for (let d = earliest; d <= last; d = addDays(d, 1)) if (settings.calendar.isBusinessDay(d)) dates.push(d);
  return dates;
}

function paymentContext(tx: Tx, settings: ShopSettings, buyer: Buyer, amountInclTax: number, now: Date): PaymentContext {
  return { tx, settings, buyer, amountInclTax, now };
}

async function resolveAddress(tx: Tx, buyer: Buyer, form: CheckoutForm, raw: Record<string, unknown>): Promise<DeliveryAddress> {
  if (form.destination === 'location') {
    const locations = await listOwnLocations(tx, buyer.accountId);
    const found = locations.find((l) => l.id === form.locationId);
    if (!found) throw new ValidationError({ locationId: 'お届け先を一覧から選んでください。' });
    const salon = await tx.selectFrom('salon_accounts').select('salon_name').where('id', '=', buyer.accountId).executeTakeFirst();
    return {
      locationId: found.id,
      recipientName: found.recipient_name,
      recipientCompany: salon?.salon_name ?? '',
      postalCode: found.postal_code,
      prefecture: found.prefecture,
      city: found.city,
      addressLine1: found.address_line1,
      addressLine2: found.address_line2,
      phone: found.phone,
    };
  }
  const parsed = newAddressSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
    throw new ValidationError(errors);
  }
  return { ...parsed.data, locationId: null };
}

/** Builds the draft from the form and the database; ValidationError with field messages when the form is wrong. */
export async function prepareCheckout(tx: Tx, buyer: Buyer, settings: ShopSettings, raw: Record<string, unknown>, now: Date = new Date()): Promise<CheckoutDraft> {
  const parsedForm = checkoutFormSchema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsedForm.success) for (const issue of parsedForm.error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
  let address: DeliveryAddress | null = null;
  if (parsedForm.success) {
    try {
      address = await resolveAddress(tx, buyer, parsedForm.data, raw);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(errors, err.fieldErrors);
    }
  }
  const form = parsedForm.success ? parsedForm.data : null;
  const delivery = form
    ? validateDeliveryChoice(settings.calendar, {
        orderedAt: now,
        date: form.deliveryDate || null,
        slot: form.deliverySlot || null,
        leadDays: settings.leadDays,
        cutoffHour: settings.cutoffHour,
        maxDaysAhead: settings.maxDaysAhead,
      })
    : null;
  if (delivery && !delivery.ok) errors[delivery.code === 'unknown_slot' ? 'deliverySlot' : 'deliveryDate'] = delivery.message;

  const cart = await loadCart(tx, buyer);
  if (cart.lines.length === 0) errors._cart = 'カートに商品がありません。';
  else if (!cart.canCheckout) errors._cart = 'カートにご注文いただけない商品があります。カートで内容をご確認ください。';

  const shipping =
    address && !errors.prefecture
      ? computeShippingFee(settings.shippingRules, { prefecture: address.prefecture, postalCode: address.postalCode, subtotalExclTax: cart.subtotalExclTax })
      : null;
  const goodsTax = computeInvoiceTax([
    ...cart.lines.map((l) => ({ amountExclTax: l.lineTotalExclTax, rate: l.price.taxRate })),
    ...(shipping && shipping.fee > 0 ? [{ amountExclTax: shipping.fee, rate: 10 as const }] : []),
  ]);
  const ctx = paymentContext(tx, settings, buyer, goodsTax.total, now);
  const method = form ? paymentMethod(form.paymentMethod) : undefined;
  let methodFeeExclTax = 0;
  if (form && (!method || !settings.paymentMethods.includes(method.id))) errors.paymentMethod = 'お支払い方法を選んでください。';
  else if (method) {
    const availability = await method.availability(ctx);
    if (!availability.available) errors.paymentMethod = availability.reason;
    const fee = method.feeExclTax ? method.feeExclTax(ctx) : 0;
    if (fee === null) errors.paymentMethod ??= `${method.label}はこの金額ではご利用いただけません。`;
    else methodFeeExclTax = fee;
  }
  if (Object.keys(errors).length || !form || !address || !delivery?.ok || !shipping || !method) {
    throw new ValidationError(errors, errors._cart ?? '入力内容を確認してください。');
  }
  const tax = computeInvoiceTax([
    ...cart.lines.map((l) => ({ amountExclTax: l.lineTotalExclTax, rate: l.price.taxRate })),
    ...(shipping.fee + methodFeeExclTax > 0 ? [{ amountExclTax: shipping.fee + methodFeeExclTax, rate: 10 as const }] : []),
  ]);
  return {
    form,
    address,
    delivery,
    cart,
    shipping,
    method,
    methodFeeExclTax,
    paymentTiming: method.timing(ctx),
    tax,
    totalInclTax: tax.total,
    shipDate: settings.calendar.shipDate(now, { cutoffHour: settings.cutoffHour }),
  };
}

export function newIdempotencyKey(): string {
  return randomBytes(24).toString('base64url');
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,100}$/;

export type PlaceOrderOutcome =
  | { kind: 'placed'; orderId: string; orderNumber: string; next: NextStep }
  | { kind: 'existing'; orderId: string; orderNumber: string }
  | { kind: 'changed'; draft: CheckoutDraft | null; messages: string[] };

export interface PlaceOrderInput {
  buyer: Buyer;
  settings: ShopSettings;
  form: Record<string, unknown>;
  idempotencyKey: string;
  /** The total the buyer confirmed; a different total now means something changed. */
  confirmedTotalInclTax: number;
  clientIp?: string;
  now?: Date;
  /** The shop as the caller holds it (the request's tenant row), for the confirmation mail; read when absent. */
  shop?: { display_name: string; company_name: string; legal: unknown };
  /**
   * The caller's transaction already holds the buyer's membership row lock (the placement route
   * takes it in its setup round trip, MEMBERSHIP_LOCK_PRELOAD); otherwise placeOrder takes it.
   */
  membershipLocked?: boolean;
}

/**
 * The buyer's membership row locked in the request scope's setup round trip (a select-list item
 * of inShop's `preload`; the shop is `t`, the session `s`): a placement route saves the lock's own
 * round trip. The idempotency check still runs after it, in a statement of its own — a statement
 * that waited for the lock would still read orders as they were when it began.
 */
export const MEMBERSHIP_LOCK_PRELOAD = `(SELECT ms.id FROM memberships ms
     WHERE s.audience = 'salon' AND ms.tenant_id = t.id AND ms.account_id = s.account_id FOR UPDATE) AS locked_membership_id`;

async function existingOrder(tx: Tx, buyer: Buyer, key: string) {
  return tx
    .selectFrom('orders')
    .select(['id', 'order_number'])
    .where('tenant_id', '=', buyer.tenantId)
    .where('account_id', '=', buyer.accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * Places the order once per idempotency key. The member's row is locked first: a double click,
 * a retried POST or two colleagues ordering at once queue there, so the second sees the first's
 * order (same key) and the credit check sees the first's amount. Stock is then reserved under
 * variant row locks.
 */
export async function placeOrder(tx: Tx, input: PlaceOrderInput): Promise<PlaceOrderOutcome> {
  const { buyer, settings } = input;
  const now = input.now ?? new Date();
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) throw new ValidationError({ _form: 'ご注文の確認画面からもう一度お進みください。' });
  if (!input.membershipLocked) {
    await sql`SELECT id FROM memberships WHERE tenant_id = ${buyer.tenantId}::uuid AND id = ${buyer.membershipId}::uuid FOR UPDATE`.execute(tx);
  }
  const raced = await existingOrder(tx, buyer, input.idempotencyKey);
  if (raced) return { kind: 'existing', orderId: raced.id, orderNumber: raced.order_number };

  let draft: CheckoutDraft;
  try {
    draft = await prepareCheckout(tx, buyer, settings, input.form, now);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { kind: 'changed', draft: null, messages: [...new Set([err.message, ...Object.values(err.fieldErrors)])] };
  }
  const messages: string[] = [];
  for (const line of draft.cart.lines) {
    if (line.priceChange) {
      messages.push(`「${variantDisplayName(line.snapshot)}」の価格が ${line.seenUnitPriceYen.toLocaleString('ja-JP')}円 から ${line.price.unitPriceYen.toLocaleString('ja-JP')}円（税抜）に変わりました。`);
    }
  }
  if (draft.totalInclTax !== input.confirmedTotalInclTax) {
    messages.push(`お支払い合計が変わりました（確認時 ${input.confirmedTotalInclTax.toLocaleString('ja-JP')}円 → 現在 ${draft.totalInclTax.toLocaleString('ja-JP')}円）。内容をご確認のうえ、もう一度「注文を確定する」を押してください。`);
  }
  if (messages.length) return { kind: 'changed', draft, messages };

  let reservation: StockReservation | null = null;
  if (!buyer.isSynthetic) {
    const reserved = await lockStockForReservation(
      tx,
      buyer.tenantId,
      draft.cart.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    );
    if (!reserved.ok) {
      const names = new Map(draft.cart.lines.map((l) => [l.variantId, variantDisplayName(l.snapshot)]));
      return {
        kind: 'changed',
        draft,
        messages: reserved.shortages.map((s) =>
          s.available === 0
            ? `「${names.get(s.variantId)}」は在庫切れになりました。カートから削除してください。`
            : `「${names.get(s.variantId)}」の在庫が不足しています（ご注文いただける数量: ${s.available}）。`,
        ),
      };
    }
    reservation = reserved.reserve;
  }

  const ctx = paymentContext(tx, settings, buyer, draft.totalInclTax, now);
  // The shop-wide order number counter stays locked until commit: from here on, as few round
  // trips as possible — the number with the stock reservation, the order, then its lines, its
  // first event and the emptied cart together.
  const orderNumber = await nextOrderNumber(tx, buyer.tenantId, now, reservation);
  const orderId = randomUUID();
  const perRate = new Map(draft.tax.perRate.map((r) => [r.rate, r]));
  const a = draft.address;
  const orderRow = {
    id: orderId,
    tenant_id: buyer.tenantId,
    order_number: orderNumber,
    account_id: buyer.accountId,
    membership_id: buyer.membershipId,
    placed_by: buyer.userId,
    status: draft.method.initial.status,
    payment_method: draft.method.id,
    payment_status: draft.method.initial.paymentStatus,
    idempotency_key: input.idempotencyKey,
    po_number: draft.form.poNumber,
    notes: draft.form.notes,
    location_id: a.locationId,
    recipient_name: a.recipientName,
    recipient_company: a.recipientCompany,
    postal_code: a.postalCode,
    prefecture: a.prefecture,
    city: a.city,
    address_line1: a.addressLine1,
    address_line2: a.addressLine2,
    phone: a.phone,
    delivery_date: draft.delivery.date,
    delivery_slot: storedSlotCode(draft.delivery.slot?.code ?? null),
    subtotal_excl_tax: draft.cart.subtotalExclTax,
    shipping_fee_excl_tax: draft.shipping.fee,
    cod_fee_excl_tax: draft.methodFeeExclTax,
    base_10: perRate.get(10)?.base ?? 0,
    tax_10: perRate.get(10)?.tax ?? 0,
    base_8: perRate.get(8)?.base ?? 0,
    tax_8: perRate.get(8)?.tax ?? 0,
    total_incl_tax: draft.totalInclTax,
    is_synthetic: buyer.isSynthetic,
    placed_at: now,
    transfer_reference: null,
    payment_due_date: null,
    ...draft.method.orderColumns?.(ctx, orderNumber),
  };
  const lines = draft.cart.lines.map((l, index) => ({
    tenant_id: buyer.tenantId,
    order_id: orderId,
    line_no: index + 1,
    variant_id: l.variantId,
    product_id: l.snapshot.productId,
    sku: l.snapshot.sku,
    jan_code: l.snapshot.janCode,
    name: [l.snapshot.productName, l.snapshot.label].filter(Boolean).join(' ').slice(0, 300),
    capacity: l.snapshot.capacity,
    quantity: l.quantity,
    list_price_yen: l.snapshot.listPriceYen,
    unit_price_excl_tax: l.price.unitPriceYen,
    tax_rate: l.price.taxRate,
    line_total_excl_tax: l.lineTotalExclTax,
    lot_tracked: l.snapshot.lotTracked,
  }));
  await tx.insertInto('orders').values(orderRow).execute();
  // One statement (data-modifying CTEs). Not with the order itself: a salon's scope may write
  // lines and events only of an order it can already see (row-level security).
  await tx
    .with('placed_lines', (db) => db.insertInto('order_lines').values(lines))
    .with('placed_event', (db) =>
      db
        .insertInto('order_events')
        .values({ tenant_id: buyer.tenantId, order_id: orderId, kind: 'status', from_state: null, to_state: draft.method.initial.status, actor_type: 'salon_user', actor_id: buyer.userId, note: 'ご注文' }),
    )
    .deleteFrom('cart_items')
    .where('tenant_id', '=', buyer.tenantId)
    .where('user_id', '=', buyer.userId)
    .execute();
  const next = await draft.method.onPlaced(
    tx,
    {
      tenantId: buyer.tenantId,
      id: orderId,
      orderNumber,
      accountId: buyer.accountId,
      userId: buyer.userId,
      totalInclTax: draft.totalInclTax,
      isSynthetic: buyer.isSynthetic,
      clientIp: input.clientIp ?? '',
    },
    ctx,
  );
  // Composed from what was just written: no query but the outbox's.
  const shop = input.shop ?? (await tx.selectFrom('tenants').select(['display_name', 'company_name', 'legal']).where('id', '=', buyer.tenantId).executeTakeFirstOrThrow());
  await queueOrderConfirmationMailOf(tx, {
    tenantId: buyer.tenantId,
    order: orderRow,
    lines,
    shop,
    buyer: { email: buyer.email, display_name: buyer.displayName, is_synthetic: buyer.isSynthetic },
    settings,
  });
  return { kind: 'placed', orderId, orderNumber, next };
}

/** Display helper: the unit price with tax for a cart line (never summed into totals). */
export function unitInclTax(unitExclTax: number, rate: 8 | 10): number {
  return taxIncluded(unitExclTax, rate);
}
