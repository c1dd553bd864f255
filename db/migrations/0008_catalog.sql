-- Catalog per shop: categories, brands, products with variants (SKU, JAN), stock with history,
-- rank prices, volume tiers, sale prices, images, favourites. Every table is shop-owned: tenant_id,
-- forced RLS, composite keys.

CREATE TABLE categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  parent_id uuid,
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,60}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sort_order integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id)
);

CREATE TABLE brands (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,60}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_kana text NOT NULL DEFAULT '',
  maker text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, slug)
);

CREATE TABLE products (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  brand_id uuid,
  category_id uuid NOT NULL,
  -- Sanitised on every write (description-sanitizer.ts); rendered through unsafeRawHtml only.
  description_html text NOT NULL DEFAULT '' CHECK (length(description_html) <= 60000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  tax_rate smallint NOT NULL DEFAULT 10 CHECK (tax_rate IN (8, 10)),
  -- 'professional': 理美容師限定, only members whose salon verification is current.
  restriction text NOT NULL DEFAULT 'none' CHECK (restriction IN ('none', 'professional')),
  lot_tracked boolean NOT NULL DEFAULT false,
  featured boolean NOT NULL DEFAULT false,
  image_key text,
  -- normalizeForSearch(name, brand, codes, JANs): kana/width/case-folded, for pg_trgm.
  search_text text NOT NULL DEFAULT '',
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, brand_id) REFERENCES brands (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE TRIGGER products_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX products_listing_idx ON products (tenant_id, category_id, status, name);
CREATE INDEX products_new_idx ON products (tenant_id, status, published_at DESC);
CREATE INDEX products_search_trgm_idx ON products USING gin (search_text gin_trgm_ops);

CREATE TABLE product_variants (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL,
  sku text NOT NULL CHECK (sku ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
  jan_code text CHECK (jan_code ~ '^(\d{8}|\d{13})$'),
  label text NOT NULL DEFAULT '',
  capacity text NOT NULL DEFAULT '',
  pack_size integer NOT NULL DEFAULT 1 CHECK (pack_size BETWEEN 1 AND 10000),
  min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity BETWEEN 1 AND 100000),
  order_multiple integer NOT NULL DEFAULT 1 CHECK (order_multiple BETWEEN 1 AND 10000),
  list_price_yen integer NOT NULL CHECK (list_price_yen BETWEEN 0 AND 100000000),
  stock_on_hand integer NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
  stock_reserved integer NOT NULL DEFAULT 0 CHECK (stock_reserved >= 0),
  sort_order integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, sku),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CHECK (stock_reserved <= stock_on_hand)
);
CREATE UNIQUE INDEX product_variants_jan_idx ON product_variants (tenant_id, jan_code) WHERE jan_code IS NOT NULL;
CREATE INDEX product_variants_product_idx ON product_variants (tenant_id, product_id, sort_order);

-- Every stock change with who and why (adjustments by staff; orders add their own reasons later).
CREATE TABLE stock_adjustments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  variant_id uuid NOT NULL,
  delta integer NOT NULL CHECK (delta <> 0),
  reason text NOT NULL CHECK (reason IN ('receipt', 'count', 'damage', 'return', 'correction', 'import', 'order', 'cancel')),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  actor_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id)
);
CREATE INDEX stock_adjustments_variant_idx ON stock_adjustments (tenant_id, variant_id, created_at DESC);

-- A rank's price for one variant: an absolute price, or a rate overriding the rank's own 掛け率.
CREATE TABLE variant_rank_prices (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  variant_id uuid NOT NULL,
  rank_id uuid NOT NULL,
  price_yen integer CHECK (price_yen BETWEEN 0 AND 100000000),
  rate numeric(5, 4) CHECK (rate > 0 AND rate <= 1),
  PRIMARY KEY (tenant_id, variant_id, rank_id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id),
  FOREIGN KEY (tenant_id, rank_id) REFERENCES shop_price_ranks (tenant_id, id),
  CHECK ((price_yen IS NULL) <> (rate IS NULL))
);

-- Volume tiers (e.g. 12本以上 5% off) on a variant.
CREATE TABLE volume_tiers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  variant_id uuid NOT NULL,
  min_quantity integer NOT NULL CHECK (min_quantity >= 2),
  discount_rate numeric(5, 4) NOT NULL CHECK (discount_rate > 0 AND discount_rate < 1),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, variant_id, min_quantity),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id)
);

-- Time-limited sale prices (tax excluded), for every rank unless a rank's own price is lower.
CREATE TABLE sale_prices (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  variant_id uuid NOT NULL,
  price_yen integer NOT NULL CHECK (price_yen BETWEEN 0 AND 100000000),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id),
  CHECK (ends_at > starts_at)
);
CREATE INDEX sale_prices_variant_idx ON sale_prices (tenant_id, variant_id, starts_at, ends_at);

-- Uploaded product images, re-encoded (metadata and appended bytes dropped), several sizes,
-- stored under DATA_DIR/media and served from Oroshi's own origin by content hash.
CREATE TABLE product_images (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL,
  content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{16,64}$'),
  alt text NOT NULL DEFAULT '',
  width integer NOT NULL,
  height integer NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX product_images_product_idx ON product_images (tenant_id, product_id, sort_order);

-- A salon user's favourites in one shop.
CREATE TABLE favourites (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL,
  product_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, product_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['categories', 'brands', 'products', 'product_variants', 'stock_adjustments', 'variant_rank_prices',
                           'volume_tiers', 'sale_prices', 'product_images', 'favourites'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;
