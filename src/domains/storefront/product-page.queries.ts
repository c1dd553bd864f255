import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type MemberPrice, resolveMemberPrices } from '../pricing/member-price.ts';
import { NotFoundError } from '../shared/domain-error.ts';
import type { TaxRate } from '../tax/invoice-tax.ts';
import { type StockStatus, stockStatusOf } from './product-cards.queries.ts';
import { canSeePrice, type ProductRestriction, type StorefrontViewer } from './storefront-viewer.ts';

/** Everything the product page shows, in two queries whatever the number of variants: the product with its variants and images, then the member's prices. */

export interface ProductVariantView {
  id: string;
  sku: string;
  janCode: string | null;
  label: string;
  capacity: string;
  packSize: number;
  minQuantity: number;
  orderMultiple: number;
  stock: StockStatus;
  /** null when the member may not see the price (理美容師限定 without current verification). */
  price: MemberPrice | null;
}

export interface ProductPageData {
  id: string;
  code: string;
  name: string;
  descriptionHtml: string;
  taxRate: TaxRate;
  restriction: ProductRestriction;
  /** False for 理美容師限定 when the member's verification is not current. */
  orderable: boolean;
  lotTracked: boolean;
  imageKey: string | null;
  images: { hash: string; alt: string; width: number; height: number }[];
  brand: { slug: string; name: string } | null;
  category: { slug: string; name: string; parent: { slug: string; name: string } | null };
  isFavourite: boolean;
  variants: ProductVariantView[];
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

interface VariantRow {
  id: string;
  sku: string;
  jan_code: string | null;
  label: string;
  capacity: string;
  pack_size: number;
  min_quantity: number;
  order_multiple: number;
  available: number;
}

interface ImageRow {
  content_hash: string;
  alt: string;
  width: number;
  height: number;
}

// json_agg arrives parsed from PostgreSQL and PGlite alike, but never trust the driver: a string is parsed.
const jsonRows = <T>(value: T[] | string | null): T[] => (value == null ? [] : typeof value === 'string' ? (JSON.parse(value) as T[]) : value);

/** An active product of this shop by code, or NotFoundError (also for another shop's code: RLS). */
export async function loadProductPage(tx: Tx, viewer: StorefrontViewer, code: string): Promise<ProductPageData> {
  if (!CODE.test(code)) throw new NotFoundError('商品が見つかりませんでした。');
  const { rows } = await sql<{
    id: string;
    code: string;
    name: string;
    description_html: string;
    tax_rate: number;
    restriction: ProductRestriction;
    lot_tracked: boolean;
    image_key: string | null;
    brand_slug: string | null;
    brand_name: string | null;
    category_slug: string;
    category_name: string;
    parent_slug: string | null;
    parent_name: string | null;
    is_favourite: boolean;
    variants: VariantRow[] | string | null;
    images: ImageRow[] | string | null;
  }>`
    SELECT p.id, p.code, p.name, p.description_html, p.tax_rate, p.restriction, p.lot_tracked, p.image_key,
           b.slug AS brand_slug, b.name AS brand_name, c.slug AS category_slug, c.name AS category_name,
           pc.slug AS parent_slug, pc.name AS parent_name,
           EXISTS (SELECT 1 FROM favourites f WHERE f.tenant_id = p.tenant_id AND f.product_id = p.id AND f.user_id = ${viewer.userId}::uuid) AS is_favourite,
           (SELECT json_agg(json_build_object('id', v.id, 'sku', v.sku, 'jan_code', v.jan_code, 'label', v.label, 'capacity', v.capacity,
                                              'pack_size', v.pack_size, 'min_quantity', v.min_quantity, 'order_multiple', v.order_multiple,
                                              'available', v.stock_on_hand - v.stock_reserved) ORDER BY v.sort_order, v.sku)
              FROM product_variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.status = 'active') AS variants,
           (SELECT json_agg(json_build_object('content_hash', i.content_hash, 'alt', i.alt, 'width', i.width, 'height', i.height) ORDER BY i.sort_order)
              FROM (SELECT * FROM product_images i WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id ORDER BY i.sort_order LIMIT 8) i) AS images
      FROM products p
      JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
      LEFT JOIN categories pc ON pc.tenant_id = c.tenant_id AND pc.id = c.parent_id
      LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
     WHERE p.tenant_id = ${viewer.tenantId}::uuid AND p.code = ${code} AND p.status = 'active'`.execute(tx);
  const p = rows[0];
  if (!p) throw new NotFoundError('商品が見つかりませんでした。');
  const variants = jsonRows<VariantRow>(p.variants);
  const images = jsonRows<ImageRow>(p.images);
  const visible = canSeePrice(viewer, p.restriction);
  const prices = visible
    ? await resolveMemberPrices(tx, { tenantId: viewer.tenantId, rankId: viewer.rankId, variantIds: variants.map((v) => v.id) })
    : new Map<string, MemberPrice>();

  return {
    id: p.id,
    code: p.code,
    name: p.name,
    descriptionHtml: p.description_html,
    taxRate: Number(p.tax_rate) as TaxRate,
    restriction: p.restriction,
    orderable: visible,
    lotTracked: p.lot_tracked,
    imageKey: p.image_key,
    images: images.map((i) => ({ hash: i.content_hash, alt: i.alt, width: i.width, height: i.height })),
    brand: p.brand_slug && p.brand_name ? { slug: p.brand_slug, name: p.brand_name } : null,
    category: {
      slug: p.category_slug,
      name: p.category_name,
      parent: p.parent_slug && p.parent_name ? { slug: p.parent_slug, name: p.parent_name } : null,
    },
    isFavourite: p.is_favourite,
    variants: variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      janCode: v.jan_code,
      label: v.label,
      capacity: v.capacity,
      packSize: v.pack_size,
      minQuantity: v.min_quantity,
      orderMultiple: v.order_multiple,
      stock: stockStatusOf(v.available),
      price: prices.get(v.id) ?? null,
    })),
  };
}
