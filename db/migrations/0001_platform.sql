-- Platform foundation: tenants, sessions, audit chain, outbox, mail, CSP reports, rate limits.
--
-- Conventions every later migration follows:
-- * A tenant-owned table has `tenant_id uuid NOT NULL`, RLS ENABLED and FORCED, and the policy
--   `tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid` (nullif: once a session
--   has set the variable, an unset one reads as '' and a bare ::uuid cast would error).
-- * A table that mixes platform rows (tenant_id NULL) with shop rows uses IS NOT DISTINCT FROM:
--   platform rows are visible only with no shop set, shop rows only to that shop.
-- * Keys between tenant tables are composite (tenant_id, id), so a row can never point into
--   another shop even if a policy were wrong.
-- * The runtime role oroshi_app owns nothing; default privileges below give it DML on new tables.

CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

GRANT USAGE ON SCHEMA public TO oroshi_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO oroshi_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO oroshi_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO oroshi_app;

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- The operator running the platform: one row.
CREATE TABLE platform_operator (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  company_name text NOT NULL,
  platform_name text NOT NULL,
  representative text NOT NULL,
  postal_code text NOT NULL,
  address text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  security_contact text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
  kind text NOT NULL DEFAULT 'supplier' CHECK (kind IN ('operator_mall', 'supplier')),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  company_name text NOT NULL CHECK (length(company_name) BETWEEN 1 AND 200),
  tagline text NOT NULL DEFAULT '',
  -- 特定商取引法に基づく表記: validated by the domain schema (tenant.legal.ts) on every write.
  legal jsonb NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
  custom_host text UNIQUE CHECK (custom_host ~ '^[a-z0-9.-]{1,253}$'),
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER tenants_updated_at BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Server-side sessions for every audience. The token itself is never stored, only its SHA-256.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  audience text NOT NULL CHECK (audience IN ('salon', 'staff', 'operator')),
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  absolute_expires_at timestamptz NOT NULL,
  mfa_verified_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  ip inet,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- Fixed-window counters shared by every process (a limit kept in memory would be per process).
CREATE TABLE rate_limit_counters (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, window_start)
);

-- Append-only audit log, one hash chain per shop and one for the platform (tenant_id NULL).
CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  seq bigint NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('salon_user', 'staff', 'operator', 'system', 'anonymous')),
  actor_id uuid,
  actor_label text NOT NULL DEFAULT '',
  action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]{1,80}$'),
  resource_type text NOT NULL DEFAULT '',
  resource_id text NOT NULL DEFAULT '',
  result text NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  source_ip text NOT NULL DEFAULT '',
  request_id text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  detail jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  UNIQUE NULLS NOT DISTINCT (tenant_id, seq)
);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at DESC);

CREATE TABLE audit_heads (
  tenant_id uuid REFERENCES tenants (id),
  seq bigint NOT NULL,
  hash text NOT NULL,
  UNIQUE NULLS NOT DISTINCT (tenant_id)
);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Side effects decided inside a transaction, delivered by jobs after commit.
CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{1,60}$'),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  UNIQUE NULLS NOT DISTINCT (tenant_id, id)
);
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE delivered_at IS NULL;

-- Every email Oroshi produced; with no SMTP_URL this is where the operator reads them.
CREATE TABLE mail_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  outbox_id uuid NOT NULL UNIQUE,
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  transport text NOT NULL CHECK (transport IN ('smtp', 'console')),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, outbox_id) REFERENCES outbox (tenant_id, id)
);

-- CSP (and Trusted Types) violation reports from real browsers.
CREATE TABLE csp_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  received_at timestamptz NOT NULL DEFAULT now(),
  page text NOT NULL,
  document_uri text NOT NULL,
  blocked_uri text NOT NULL DEFAULT '',
  violated_directive text NOT NULL DEFAULT '',
  effective_directive text NOT NULL DEFAULT '',
  disposition text NOT NULL DEFAULT '',
  source_file text NOT NULL DEFAULT '',
  line_number integer,
  column_number integer,
  script_sample text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  client_ip text NOT NULL DEFAULT '',
  session_id uuid
);
CREATE INDEX csp_reports_tenant_received_idx ON csp_reports (tenant_id, received_at DESC);

-- Row-level security.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audit_log', 'audit_heads', 'outbox', 'mail_messages', 'csp_reports'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
END $$;

-- The runtime role may read the operator and shops but only the operator path changes them.
REVOKE INSERT, DELETE ON platform_operator FROM oroshi_app;
-- Audit rows are appended, never changed.
REVOKE UPDATE, DELETE ON audit_log FROM oroshi_app;
