-- Incident response: protected page views (what scope needs besides payments), incidents with
-- their shops, exposure windows, milestones and issued documents.
--
-- protected_page_views: every load of a protected page on a shop (checkout, payment step, shop
-- console…), tenant-owned, forced RLS. platform_page_views: the same for platform pages
-- (/account/sign-in, /admin/sign-in, password pages) which belong to no shop — a platform table
-- like sessions (user, session and page ids, no shop data). Both are partitioned by month on
-- viewed_at: a month is dropped whole when its retention ends, and scope reads only the months of
-- the window. The incident job creates partitions ahead (ensure_page_view_partitions); the
-- default partition catches anything outside them so a missing month never loses a view.
--
-- Who sees incidents: the operator audience sees everything; a shop's staff see only the
-- incidents their shop is on (incident_shops row for app.tenant_id), their shop's rows and the
-- incident-wide rows (tenant_id NULL: the PPC report, incident-wide milestones).

CREATE TABLE protected_page_views (
  tenant_id uuid NOT NULL,
  viewed_at timestamptz NOT NULL,
  page text NOT NULL CHECK (length(page) BETWEEN 1 AND 80),
  viewer text NOT NULL CHECK (viewer IN ('salon', 'staff', 'operator', 'anonymous')),
  user_id uuid,
  account_id uuid,
  session_id uuid,
  -- sha256 of the browser's CSRF cookie (first 16 bytes): links an anonymous sign-in page load
  -- to the user who signed in from the same browser afterwards.
  browser_key bytea,
  is_synthetic boolean NOT NULL DEFAULT false
) PARTITION BY RANGE (viewed_at);
CREATE INDEX protected_page_views_scope_idx ON protected_page_views (tenant_id, viewed_at) INCLUDE (page, account_id, user_id, viewer, is_synthetic);

CREATE TABLE platform_page_views (
  viewed_at timestamptz NOT NULL,
  page text NOT NULL CHECK (length(page) BETWEEN 1 AND 80),
  viewer text NOT NULL CHECK (viewer IN ('salon', 'staff', 'operator', 'anonymous')),
  user_id uuid,
  account_id uuid,
  -- The shop a staff user belongs to (staff sign-in is a platform page).
  staff_tenant_id uuid,
  session_id uuid,
  browser_key bytea,
  is_synthetic boolean NOT NULL DEFAULT false
) PARTITION BY RANGE (viewed_at);
CREATE INDEX platform_page_views_scope_idx ON platform_page_views (viewed_at) INCLUDE (page, account_id, user_id, staff_tenant_id, viewer, browser_key, is_synthetic);
CREATE INDEX protected_page_views_browser_idx ON protected_page_views (browser_key, viewed_at) WHERE browser_key IS NOT NULL;
CREATE INDEX platform_page_views_browser_idx ON platform_page_views (browser_key, viewed_at) WHERE browser_key IS NOT NULL;

ALTER TABLE protected_page_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE protected_page_views FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON protected_page_views
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- Platform page views are readable and writable only with no shop set (the platform scope).
ALTER TABLE platform_page_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_page_views FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON platform_page_views
  USING (nullif(current_setting('app.tenant_id', true), '') IS NULL)
  WITH CHECK (nullif(current_setting('app.tenant_id', true), '') IS NULL);

-- One month's partition of both tables (idempotent). Rows of that month already caught by the
-- default partition are moved in. Partitions are reachable only through their parent: the
-- runtime role loses its default privileges on them, and each carries the parent's policy.
CREATE FUNCTION ensure_page_view_partition(month date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  stop date := (date_trunc('month', month) + interval '1 month')::date;
  parent text;
  part text;
  created integer := 0;
BEGIN
  FOREACH parent IN ARRAY ARRAY['protected_page_views', 'platform_page_views'] LOOP
    part := format('%s_%s', parent, to_char(start, 'YYYYMM'));
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    EXECUTE format('CREATE TEMP TABLE page_views_moving ON COMMIT DROP AS WITH moved AS (DELETE FROM %I WHERE viewed_at >= %L AND viewed_at < %L RETURNING *) SELECT * FROM moved',
      parent || '_default', start, stop);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent, start, stop);
    EXECUTE format('INSERT INTO %I SELECT * FROM page_views_moving', part);
    DROP TABLE page_views_moving;
    EXECUTE format('REVOKE ALL ON %I FROM oroshi_app', part);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
    IF parent = 'protected_page_views' THEN
      EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
        USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, part);
    ELSE
      EXECUTE format($p$CREATE POLICY platform_only ON %I
        USING (nullif(current_setting('app.tenant_id', true), '') IS NULL)
        WITH CHECK (nullif(current_setting('app.tenant_id', true), '') IS NULL)$p$, part);
    END IF;
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;
REVOKE EXECUTE ON FUNCTION ensure_page_view_partition(date) FROM oroshi_app, PUBLIC;

CREATE TABLE protected_page_views_default PARTITION OF protected_page_views DEFAULT;
CREATE TABLE platform_page_views_default PARTITION OF platform_page_views DEFAULT;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['protected_page_views_default', 'platform_page_views_default'] LOOP
    EXECUTE format('REVOKE ALL ON %I FROM oroshi_app', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;
CREATE POLICY tenant_isolation ON protected_page_views_default
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_only ON platform_page_views_default
  USING (nullif(current_setting('app.tenant_id', true), '') IS NULL)
  WITH CHECK (nullif(current_setting('app.tenant_id', true), '') IS NULL);
SELECT ensure_page_view_partition((date_trunc('month', now()) + make_interval(months => m))::date) FROM generate_series(-1, 2) AS m;

-- Scope reads card payment attempts of one shop in a window: one index-only range scan.
CREATE INDEX payments_card_scope_idx ON payments (tenant_id, started_at)
  INCLUDE (account_id, user_id, order_id, status, card_brand, card_last4, provider_payment_id, amount_yen, refunded_yen)
  WHERE method = 'card' AND NOT is_synthetic;

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE CHECK (number ~ '^INC-\d{4}-\d{3,}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 4000),
  cause text NOT NULL DEFAULT '' CHECK (length(cause) <= 4000),
  -- How it came to be known: a customer's inquiry, a card company, the police, a security event.
  source text NOT NULL CHECK (source IN ('customer_inquiry', 'card_company', 'police', 'security_event', 'internal')),
  security_event_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contained', 'investigating', 'reporting', 'closed')),
  -- 個人情報保護委員会への報告期限の起算点 (the moment the operator became aware).
  aware_at timestamptz NOT NULL,
  -- 不正の目的をもって行われたおそれがある漏えい: 確報 within 60 days instead of 30.
  unauthorised_access boolean NOT NULL DEFAULT true,
  preliminary_days smallint NOT NULL DEFAULT 5 CHECK (preliminary_days BETWEEN 3 AND 5),
  data_items text[] NOT NULL DEFAULT '{}',
  secondary_damage text NOT NULL DEFAULT '' CHECK (length(secondary_damage) <= 4000),
  prevention text NOT NULL DEFAULT '' CHECK (length(prevention) <= 4000),
  inquiry_desk text NOT NULL DEFAULT '' CHECK (length(inquiry_desk) <= 1000),
  opened_by uuid,
  opened_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER incidents_updated_at BEFORE UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE UNIQUE INDEX incidents_security_event_idx ON incidents (security_event_id) WHERE security_event_id IS NOT NULL;

CREATE TABLE incident_shops (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  CHECK (window_end > window_start),
  -- What the window was prefilled from, and why it was last changed.
  window_source text NOT NULL CHECK (window_source IN ('monitor_walk', 'csp_report', 'verifier', 'security_event', 'manual')),
  window_reason text NOT NULL DEFAULT '' CHECK (length(window_reason) <= 1000),
  -- Page ids whose loads count as exposed (checkout/payment pages, sign-in/password pages).
  exposed_pages text[] NOT NULL,
  -- Whether the platform's own sign-in and password pages were exposed too (build or platform tamper).
  platform_pages_exposed boolean NOT NULL DEFAULT false,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, incident_id)
);
CREATE INDEX incident_shops_incident_idx ON incident_shops (incident_id);

-- Milestones of the timeline (contained, forensic, police, PPC 速報/確報, card company, …).
CREATE TABLE incident_milestones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  tenant_id uuid REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind IN ('contained', 'forensic_started', 'forensic_finished', 'police_report', 'ppc_preliminary',
    'ppc_final', 'card_company_notified', 'acquirer_notified', 'shops_notified', 'letters_sent', 'notices_published',
    'recurrence_prevention', 'note')),
  at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  recorded_by uuid,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_milestones_incident_idx ON incident_milestones (incident_id, at);

-- Issued documents. Sent or published ones are never changed: a correction is a new version
-- that supersedes the old (the trigger allows only that link to be set on a sent row).
CREATE TABLE incident_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id),
  tenant_id uuid REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind IN ('member_letter', 'public_notice', 'ppc_preliminary', 'ppc_final', 'card_company_csv', 'shop_notice')),
  -- Whom it is for within its kind: a salon account (letters), '' for one-per-shop/incident documents.
  recipient_key text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  supersedes uuid,
  superseded_by uuid,
  title text NOT NULL,
  -- Email text where the document is also mailed; the merged fields as rendered.
  body_text text NOT NULL DEFAULT '',
  fields jsonb NOT NULL DEFAULT '{}',
  file_name text NOT NULL,
  content_type text NOT NULL,
  storage_key text NOT NULL UNIQUE,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  sent_at timestamptz,
  sent_by uuid,
  UNIQUE (incident_id, tenant_id, kind, recipient_key, version)
);
CREATE INDEX incident_documents_incident_idx ON incident_documents (incident_id, kind, tenant_id);
CREATE INDEX incident_documents_public_idx ON incident_documents (tenant_id, kind) WHERE kind = 'public_notice' AND sent_at IS NOT NULL;

CREATE FUNCTION incident_document_sent_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'incident documents are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.sent_at IS NOT NULL AND (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'a sent incident document is never edited; issue a corrected version' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER incident_documents_final BEFORE UPDATE OR DELETE ON incident_documents
  FOR EACH ROW EXECUTE FUNCTION incident_document_sent_is_final();

-- An incident is visible to the operator and to the shops on it.
CREATE FUNCTION app_incident_visible(incident uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.audience', true) = 'operator'
      OR EXISTS (SELECT 1 FROM incident_shops s WHERE s.incident_id = incident
                   AND s.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
$$;

ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents FORCE ROW LEVEL SECURITY;
-- Only the operator audience opens and changes incidents (jobs act as the operator audience).
CREATE POLICY incident_visibility ON incidents USING (app_incident_visible(id))
  WITH CHECK (current_setting('app.audience', true) = 'operator');

ALTER TABLE incident_shops ENABLE ROW LEVEL SECURITY;
ALTER TABLE incident_shops FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON incident_shops
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.audience', true) = 'operator')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid OR current_setting('app.audience', true) = 'operator');

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['incident_milestones', 'incident_documents'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    -- Shop rows to their shop; incident-wide rows (tenant_id NULL) to every shop on the incident.
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator'
             OR (tenant_id IS NULL AND app_incident_visible(incident_id)))
      WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')$p$, t);
  END LOOP;
END $$;

REVOKE DELETE ON incidents, incident_milestones, incident_documents FROM oroshi_app;
