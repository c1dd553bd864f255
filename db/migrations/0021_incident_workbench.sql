-- Incident workbench: what the scope benchmark (npm run bench:scope, 1M orders) needed, and the
-- look-ups of the screens, the public notices and automatic opening.
--
-- Order numbers of the exposed card payments (card-company CSV, letters) are read by one
-- semi-join of the window's payments against orders: a covering index lets it read orders
-- without touching the heap (account_id is included because the orders policy reads it).
CREATE INDEX orders_number_lookup_idx ON orders (tenant_id, id) INCLUDE (account_id, order_number);

-- Members who loaded a payment page: only salon views of real members count, so a narrower
-- partial index per month (created on every partition, present and future).
CREATE INDEX protected_page_views_salon_scope_idx ON protected_page_views (tenant_id, viewed_at) INCLUDE (account_id, user_id, page)
  WHERE viewer = 'salon' AND NOT is_synthetic AND account_id IS NOT NULL;

-- Automatic opening: the open incident a shop is on (attach instead of opening another).
CREATE INDEX incidents_open_idx ON incidents (opened_at DESC) WHERE status <> 'closed';

-- Public notices of a shop, newest first (the public /s/:shop/notices pages).
CREATE INDEX incident_documents_published_idx ON incident_documents (tenant_id, sent_at DESC) WHERE kind = 'public_notice' AND sent_at IS NOT NULL;
DROP INDEX incident_documents_public_idx;
