-- Shop origins serve a media file only when one of the shop's own products uses it
-- (src/web/media/media.routes.ts): that lookup goes by content hash.
CREATE INDEX product_images_hash_idx ON product_images (tenant_id, content_hash);
