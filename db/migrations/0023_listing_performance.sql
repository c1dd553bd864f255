-- Catalog listings that read an index instead of the whole category (issue 9's bench: a 10,000-
-- product shop spent its time aggregating every variant of every product in the category, then
-- counting the categories and brands again, on every listing page).

-- 1. Listings show only active products with at least one active variant. That fact is kept on the
--    product by a trigger on product_variants, so the page's 24 ids come from an ordered index
--    and the count from an index-only scan, without visiting a variant. Stock moves do not fire it.
ALTER TABLE products ADD COLUMN has_active_variant boolean NOT NULL DEFAULT false;

ALTER TABLE products DISABLE TRIGGER products_updated_at;
UPDATE products p SET has_active_variant = true
 WHERE EXISTS (SELECT 1 FROM product_variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.status = 'active');
ALTER TABLE products ENABLE TRIGGER products_updated_at;

CREATE FUNCTION refresh_product_has_active_variant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE products p SET has_active_variant = x.has
      FROM (SELECT EXISTS (SELECT 1 FROM product_variants v
                            WHERE v.tenant_id = OLD.tenant_id AND v.product_id = OLD.product_id AND v.status = 'active') AS has) x
     WHERE p.tenant_id = OLD.tenant_id AND p.id = OLD.product_id AND p.has_active_variant IS DISTINCT FROM x.has;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'active' THEN
    UPDATE products SET has_active_variant = true
     WHERE tenant_id = NEW.tenant_id AND id = NEW.product_id AND NOT has_active_variant;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER product_variants_active_flag AFTER INSERT OR DELETE OR UPDATE OF status, product_id ON product_variants
  FOR EACH ROW EXECUTE FUNCTION refresh_product_has_active_variant();

-- The default order (おすすめ順) over the whole shop, walked until the page is full; category and
-- brand are in the index so the walk filters (and returns ids) without reading the table.
CREATE INDEX products_recommended_idx ON products (tenant_id, featured DESC, published_at DESC NULLS LAST, code)
  INCLUDE (category_id, brand_id, id) WHERE status = 'active' AND has_active_variant;
-- One category in that order (a small category would be a long walk through the shop-wide index);
-- also the counts per category and brand (category tree, listing total, brand facets).
CREATE INDEX products_category_listed_idx ON products (tenant_id, category_id, featured DESC, published_at DESC NULLS LAST, code)
  INCLUDE (brand_id, id) WHERE status = 'active' AND has_active_variant;

-- A search visits every listed product of the shop (substring match, then relevance): this index
-- holds what it reads, so it scans one shop's entries instead of every shop's rows with their
-- descriptions.
CREATE INDEX products_search_listed_idx ON products (tenant_id)
  INCLUDE (search_text, featured, published_at, name, code, id, category_id, brand_id) WHERE status = 'active' AND has_active_variant;

-- 2. A version per shop catalog, raised in the same transaction as any change to what the category
--    tree and the brand facets show (categories, brands, a product's status, category, brand or
--    listed state). The request's setup reads it, so a process may keep the tree and facets
--    computed for a version and know without a query when they are stale — on every instance.
CREATE TABLE catalog_versions (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  version bigint NOT NULL DEFAULT 1
);
ALTER TABLE catalog_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON catalog_versions
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shop uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
  -- Once per shop and transaction: an import changes thousands of rows, readers see them all at
  -- commit together with the one new version.
  IF current_setting('app.catalog_version_bumped', true) = shop::text THEN RETURN NULL; END IF;
  INSERT INTO catalog_versions (tenant_id) VALUES (shop)
    ON CONFLICT (tenant_id) DO UPDATE SET version = catalog_versions.version + 1;
  PERFORM set_config('app.catalog_version_bumped', shop::text, true);
  RETURN NULL;
END $$;
CREATE TRIGGER categories_catalog_version AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER brands_catalog_version AFTER INSERT OR UPDATE OR DELETE ON brands
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER products_catalog_version AFTER INSERT OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION bump_catalog_version();
CREATE TRIGGER products_catalog_version_update AFTER UPDATE ON products
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id
                     OR OLD.brand_id IS DISTINCT FROM NEW.brand_id OR OLD.has_active_variant IS DISTINCT FROM NEW.has_active_variant)
  EXECUTE FUNCTION bump_catalog_version();
