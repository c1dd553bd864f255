import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0008_catalog.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric columns arrive as strings ('0.7500'). */
type Numeric = ColumnType<string, string | number, string | number>;

export type ProductStatus = 'draft' | 'active' | 'archived';
export type ProductRestriction = 'none' | 'professional';
export type StockReason = 'receipt' | 'count' | 'damage' | 'return' | 'correction' | 'import' | 'order' | 'cancel';

export interface CategoriesTable {
  tenant_id: string;
  id: Generated<string>;
  parent_id: string | null;
  slug: string;
  name: string;
  sort_order: Generated<number>;
}

export interface BrandsTable {
  tenant_id: string;
  id: Generated<string>;
  slug: string;
  name: string;
  name_kana: Generated<string>;
  maker: Generated<string>;
}

export interface ProductsTable {
  tenant_id: string;
  id: Generated<string>;
  code: string;
  name: string;
  brand_id: string | null;
  category_id: string;
  description_html: Generated<string>;
  status: Generated<ProductStatus>;
  tax_rate: Generated<8 | 10>;
  restriction: Generated<ProductRestriction>;
  lot_tracked: Generated<boolean>;
  featured: Generated<boolean>;
  image_key: string | null;
  search_text: Generated<string>;
  published_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ProductVariantsTable {
  tenant_id: string;
  id: Generated<string>;
  product_id: string;
  sku: string;
  jan_code: string | null;
  label: Generated<string>;
  capacity: Generated<string>;
  pack_size: Generated<number>;
  min_quantity: Generated<number>;
  order_multiple: Generated<number>;
  list_price_yen: number;
  stock_on_hand: Generated<number>;
  stock_reserved: Generated<number>;
  sort_order: Generated<number>;
  status: Generated<'active' | 'archived'>;
  /** 棚番 (0020): where the picker finds it; '' when not set. */
  shelf_location: Generated<string>;
}

export interface StockAdjustmentsTable {
  tenant_id: string;
  id: Generated<string>;
  variant_id: string;
  delta: number;
  reason: StockReason;
  note: Generated<string>;
  actor_id: string | null;
  created_at: DefaultedTimestamp;
}

export interface VariantRankPricesTable {
  tenant_id: string;
  variant_id: string;
  rank_id: string;
  price_yen: number | null;
  rate: Numeric | null;
}

export interface VolumeTiersTable {
  tenant_id: string;
  id: Generated<string>;
  variant_id: string;
  min_quantity: number;
  discount_rate: Numeric;
}

export interface SalePricesTable {
  tenant_id: string;
  id: Generated<string>;
  variant_id: string;
  price_yen: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
}

export interface ProductImagesTable {
  tenant_id: string;
  id: Generated<string>;
  product_id: string;
  content_hash: string;
  alt: Generated<string>;
  width: number;
  height: number;
  sort_order: Generated<number>;
  created_at: DefaultedTimestamp;
}

export interface FavouritesTable {
  tenant_id: string;
  user_id: string;
  product_id: string;
  created_at: DefaultedTimestamp;
}

export interface CatalogTables {
  categories: CategoriesTable;
  brands: BrandsTable;
  products: ProductsTable;
  product_variants: ProductVariantsTable;
  stock_adjustments: StockAdjustmentsTable;
  variant_rank_prices: VariantRankPricesTable;
  volume_tiers: VolumeTiersTable;
  sale_prices: SalePricesTable;
  product_images: ProductImagesTable;
  favourites: FavouritesTable;
}
