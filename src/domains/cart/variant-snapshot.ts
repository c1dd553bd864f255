import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { MEMBER_PRICE_COLUMNS, type MemberPrice, type MemberPriceColumns, memberPriceJoins, memberPriceOf } from '../pricing/member-price.ts';
import type { TaxRate } from '../tax/invoice-tax.ts';
import { RESTRICTED_MESSAGE } from './buyer.ts';

/** What the cart, quick order and checkout need to know about a variant, read in one query. */
export interface VariantSnapshot {
  variantId: string;
  productId: string;
  productCode: string;
  productName: string;
  label: string;
  sku: string;
  janCode: string | null;
  capacity: string;
  minQuantity: number;
  orderMultiple: number;
  listPriceYen: number;
  available: number;
  taxRate: TaxRate;
  restricted: boolean;
  lotTracked: boolean;
  orderable: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  variant_id: string;
  product_id: string;
  product_code: string;
  product_name: string;
  label: string;
  sku: string;
  jan_code: string | null;
  capacity: string;
  min_quantity: number;
  order_multiple: number;
  list_price_yen: number;
  stock_on_hand: number;
  stock_reserved: number;
  tax_rate: number;
  restriction: string;
  lot_tracked: boolean;
  variant_status: string;
  product_status: string;
}

const COLUMNS = sql`v.id AS variant_id, p.id AS product_id, p.code AS product_code, p.name AS product_name, v.label, v.sku, v.jan_code,
         v.capacity, v.min_quantity, v.order_multiple, v.list_price_yen, v.stock_on_hand, v.stock_reserved,
         p.tax_rate, p.restriction, p.lot_tracked, v.status AS variant_status, p.status AS product_status`;
const FROM = sql`product_variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id`;
const SELECT = sql`
  SELECT ${COLUMNS}
    FROM ${FROM}`;

/** The member's rank and the moment prices are judged at: the snapshot is read with its member price. */
export interface PricedFor {
  rankId: string | null;
  at?: Date;
}

// The snapshot with the member-price inputs: the cart prices its lines in the query that reads them.
const pricedSelect = (pricing: PricedFor) => sql`
  SELECT ${COLUMNS}, ${MEMBER_PRICE_COLUMNS}
    FROM ${FROM} ${memberPriceJoins(pricing.rankId, pricing.at)}`;

function toSnapshot(r: Row): VariantSnapshot {
  return {
    variantId: r.variant_id,
    productId: r.product_id,
    productCode: r.product_code,
    productName: r.product_name,
    label: r.label,
    sku: r.sku,
    janCode: r.jan_code,
    capacity: r.capacity,
    minQuantity: Number(r.min_quantity),
    orderMultiple: Number(r.order_multiple),
    listPriceYen: Number(r.list_price_yen),
    available: Math.max(0, Number(r.stock_on_hand) - Number(r.stock_reserved)),
    taxRate: Number(r.tax_rate) as TaxRate,
    restricted: r.restriction === 'professional',
    lotTracked: r.lot_tracked,
    orderable: r.variant_status === 'active' && r.product_status === 'active',
  };
}

export async function loadVariantSnapshots(tx: Tx, tenantId: string, variantIds: readonly string[]): Promise<Map<string, VariantSnapshot>> {
  const ids = [...new Set(variantIds)].filter((id) => UUID.test(id));
  if (ids.length === 0) return new Map();
  const { rows } = await sql<Row>`${SELECT} WHERE v.tenant_id = ${tenantId}::uuid AND v.id = ANY(${ids}::uuid[])`.execute(tx);
  return new Map(rows.map((r) => [r.variant_id, toSnapshot(r)]));
}

/** Variants by SKU (any case) or JAN; keys of the result are the codes as given, upper-cased. */
export async function findVariantsByCodes(tx: Tx, tenantId: string, codes: readonly string[]): Promise<Map<string, VariantSnapshot>> {
  const wanted = [...new Set(codes.map((c) => c.toUpperCase()))].filter((c) => /^[A-Z0-9][A-Z0-9_.-]{0,39}$/.test(c));
  if (wanted.length === 0) return new Map();
  const { rows } = await sql<Row>`${SELECT}
    WHERE v.tenant_id = ${tenantId}::uuid AND (upper(v.sku) = ANY(${wanted}::text[]) OR v.jan_code = ANY(${wanted}::text[]))`.execute(tx);
  const found = new Map<string, VariantSnapshot>();
  for (const row of rows) {
    const snap = toSnapshot(row);
    // A JAN wins over a SKU that happens to be the same digits.
    if (snap.janCode && wanted.includes(snap.janCode)) found.set(snap.janCode, snap);
    if (wanted.includes(snap.sku.toUpperCase()) && !found.has(snap.sku.toUpperCase())) found.set(snap.sku.toUpperCase(), snap);
  }
  return found;
}

/** Why this member cannot order this variant at all, or null. */
export function orderabilityError(snapshot: VariantSnapshot, professionalVerified: boolean): string | null {
  if (!snapshot.orderable) return 'この商品は現在お取り扱いしていません。';
  if (snapshot.restricted && !professionalVerified) return RESTRICTED_MESSAGE;
  return null;
}

export function variantDisplayName(s: Pick<VariantSnapshot, 'productName' | 'label' | 'capacity'>): string {
  return [s.productName, s.label, s.capacity].filter((part, i, all) => part && all.indexOf(part) === i).join(' ');
}

export interface CartItemWithSnapshot {
  variantId: string;
  quantity: number;
  unitPriceSeenYen: number;
  /** Absent when the variant is gone (deleted, or another shop's id). */
  snapshot: VariantSnapshot | undefined;
  /** The member price of the line's quantity; absent with the snapshot. */
  price: MemberPrice | undefined;
}

/** A member user's cart lines with their variants' snapshots and member prices, in the cart's order: one query. */
export async function loadCartItemsWithSnapshots(tx: Tx, tenantId: string, userId: string, pricing: PricedFor): Promise<CartItemWithSnapshot[]> {
  const { rows } = await sql<Partial<Row & MemberPriceColumns> & { item_variant_id: string; quantity: number; unit_price_seen_yen: number }>`
    SELECT ci.variant_id AS item_variant_id, ci.quantity, ci.unit_price_seen_yen, s.*
      FROM cart_items ci
      LEFT JOIN LATERAL (${pricedSelect(pricing)} WHERE v.tenant_id = ci.tenant_id AND v.id = ci.variant_id) s ON true
     WHERE ci.tenant_id = ${tenantId}::uuid AND ci.user_id = ${userId}::uuid
     ORDER BY ci.added_at, ci.variant_id`.execute(tx);
  return rows.map((r) => {
    const quantity = Number(r.quantity);
    const found = Boolean(r.variant_id);
    return {
      variantId: r.item_variant_id,
      quantity,
      unitPriceSeenYen: Number(r.unit_price_seen_yen),
      snapshot: found ? toSnapshot(r as Row) : undefined,
      price: found ? memberPriceOf(r as MemberPriceColumns, quantity) : undefined,
    };
  });
}

/**
 * One variant's snapshot with the quantity of it already in the member user's cart (0 when none)
 * and the inputs of its member price (`priceOf(quantity)`, for the quantity the cart will hold): one query.
 */
export async function loadVariantSnapshotWithCartQuantity(
  tx: Tx,
  tenantId: string,
  userId: string,
  variantId: string,
  pricing: PricedFor,
): Promise<{ snapshot: VariantSnapshot | undefined; inCart: number; priceOf: (quantity: number) => MemberPrice | undefined }> {
  if (!UUID.test(variantId)) return { snapshot: undefined, inCart: 0, priceOf: () => undefined };
  const { rows } = await sql<Row & MemberPriceColumns & { in_cart: number | null }>`
    SELECT s.*, (SELECT ci.quantity FROM cart_items ci
                  WHERE ci.tenant_id = ${tenantId}::uuid AND ci.user_id = ${userId}::uuid AND ci.variant_id = s.variant_id) AS in_cart
      FROM (${pricedSelect(pricing)} WHERE v.tenant_id = ${tenantId}::uuid AND v.id = ${variantId}::uuid) s`.execute(tx);
  const row = rows[0];
  return {
    snapshot: row ? toSnapshot(row) : undefined,
    inCart: Number(row?.in_cart ?? 0),
    priceOf: (quantity) => (row ? memberPriceOf(row, quantity) : undefined),
  };
}
