import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { TaxRate } from '../tax/invoice-tax.ts';
import { computeMemberPrice, type MemberPrice, type VolumeTierRule } from './price-math.ts';

export type { MemberPrice, PriceSource, TierPrice } from './price-math.ts';

export interface MemberPriceQuery {
  /** Filter only: RLS already limits every row to the transaction's shop. */
  tenantId: string;
  /** The member's rank (memberships.rank_id); null = list prices. */
  rankId: string | null;
  variantIds: readonly string[];
  /** Quantity per variant, for volume tiers; 1 when absent. */
  quantities?: ReadonlyMap<string, number>;
  /** The moment sale prices are judged at; now by default. */
  at?: Date;
}

/** The columns MEMBER_PRICE_COLUMNS adds to a query of the variant `v` and its product `p`. */
export interface MemberPriceColumns {
  list_price_yen: number;
  tax_rate: number;
  rank_rate: string | null;
  override_price_yen: number | null;
  override_rate: string | null;
  sale_price_yen: number | null;
  sale_ends_at: Date | string | null;
  tiers: VolumeTierRule[] | string | null;
}

interface PriceRow extends MemberPriceColumns {
  variant_id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validRankId(rankId: string | null): string | null {
  return rankId && UUID.test(rankId) ? rankId : null;
}

/**
 * The price inputs of the variant `v` (with its product `p`) in an enclosing query: the rank's
 * 掛け率, the variant's own rank price, the lowest sale price active at `at` and its volume tiers.
 * A query that already reads the variant (the cart's lines) prices it in the same round trip:
 * select MEMBER_PRICE_COLUMNS and add memberPriceJoins after `FROM product_variants v JOIN products p`.
 */
export const MEMBER_PRICE_COLUMNS = sql`r.rate AS rank_rate, vrp.price_yen AS override_price_yen, vrp.rate AS override_rate,
           sale.price_yen AS sale_price_yen, sale.ends_at AS sale_ends_at,
           (SELECT json_agg(json_build_object('minQuantity', t.min_quantity, 'discountRate', t.discount_rate::text)
                            ORDER BY t.min_quantity)
              FROM volume_tiers t WHERE t.tenant_id = v.tenant_id AND t.variant_id = v.id) AS tiers`;

export function memberPriceJoins(rankId: string | null, at: Date = new Date()) {
  return sql`
      LEFT JOIN shop_price_ranks r ON r.tenant_id = v.tenant_id AND r.id = ${validRankId(rankId)}::uuid
      LEFT JOIN variant_rank_prices vrp ON vrp.tenant_id = v.tenant_id AND vrp.variant_id = v.id AND vrp.rank_id = r.id
      LEFT JOIN LATERAL (
        SELECT s.price_yen, s.ends_at FROM sale_prices s
         WHERE s.tenant_id = v.tenant_id AND s.variant_id = v.id AND s.starts_at <= ${at} AND s.ends_at > ${at}
         ORDER BY s.price_yen, s.ends_at DESC LIMIT 1) sale ON true`;
}

/** The member price of `quantity` units from a row with MEMBER_PRICE_COLUMNS (computeMemberPrice). */
export function memberPriceOf(row: MemberPriceColumns, quantity: number): MemberPrice {
  const tiers = typeof row.tiers === 'string' ? (JSON.parse(row.tiers) as VolumeTierRule[]) : (row.tiers ?? []);
  return computeMemberPrice({
    listPriceYen: Number(row.list_price_yen),
    taxRate: Number(row.tax_rate) as TaxRate,
    rankRate: row.rank_rate,
    rankOverride:
      row.override_price_yen != null || row.override_rate != null
        ? { priceYen: row.override_price_yen == null ? null : Number(row.override_price_yen), rate: row.override_rate }
        : null,
    sale: row.sale_price_yen != null ? { priceYen: Number(row.sale_price_yen), endsAt: new Date(row.sale_ends_at as string) } : null,
    tiers,
    quantity,
  });
}

/**
 * Member prices for many variants in one query: list price, tax rate, the rank's 掛け率, the
 * variant's own rank price, the lowest sale price active at `at`, and its volume tiers; the math
 * is computeMemberPrice. Variants that do not exist (or belong to another shop) are absent.
 */
export async function resolveMemberPrices(tx: Tx, query: MemberPriceQuery): Promise<Map<string, MemberPrice>> {
  const ids = [...new Set(query.variantIds)].filter((id) => UUID.test(id));
  const result = new Map<string, MemberPrice>();
  if (ids.length === 0) return result;
  const at = query.at ?? new Date();
  const rankId = validRankId(query.rankId);

  const { rows } = await sql<PriceRow>`
    SELECT v.id AS variant_id, v.list_price_yen, p.tax_rate, ${MEMBER_PRICE_COLUMNS}
      FROM product_variants v
      JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
      ${memberPriceJoins(rankId, at)}
     WHERE v.tenant_id = ${query.tenantId}::uuid AND v.id = ANY(${ids}::uuid[])`.execute(tx);

  for (const row of rows) result.set(row.variant_id, memberPriceOf(row, query.quantities?.get(row.variant_id) ?? 1));
  return result;
}
