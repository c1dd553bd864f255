-- Card payments by hosted redirect: each shop's provider account (keys sealed under the
-- key-encryption key, never shown again), webhook events applied once, and the card kill switch.

CREATE TABLE provider_accounts (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  provider text NOT NULL CHECK (provider IN ('stripe')),
  -- The provider's API origin and its hosted-page origin: a redirect target must be on the latter
  -- (BRIEF catalogue 4). For Stripe: https://api.stripe.com and https://checkout.stripe.com.
  api_base_url text NOT NULL CHECK (api_base_url ~ '^https?://[^/]+$'),
  hosted_page_origin text NOT NULL CHECK (hosted_page_origin ~ '^https?://[^/]+$'),
  secret_key_sealed text NOT NULL,
  webhook_secret_sealed text,
  webhook_endpoint_id text,
  key_hint text NOT NULL DEFAULT '',
  capture_method text NOT NULL DEFAULT 'automatic' CHECK (capture_method IN ('automatic', 'manual')),
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every webhook event, applied once (dedupe by provider event id), kept for the incident evidence.
CREATE TABLE webhook_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  provider text NOT NULL,
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  event_type text NOT NULL,
  provider_created_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  outcome text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, provider, event_id)
);

-- The card kill switch. One row per shop (tenant_id) plus the platform-wide switch (tenant_id
-- NULL, operator only). Engaged → checkout hides card; other methods keep working.
CREATE TABLE card_kill_switches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  engaged boolean NOT NULL DEFAULT false,
  -- An automatic stop (from the protection monitor) needs an operator's approval to release.
  automatic boolean NOT NULL DEFAULT false,
  reason text NOT NULL DEFAULT '',
  changed_by uuid,
  changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id)
);

CREATE TABLE card_kill_switch_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  engaged boolean NOT NULL,
  automatic boolean NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  actor_type text NOT NULL CHECK (actor_type IN ('staff', 'operator', 'system')),
  actor_id uuid,
  approved_by uuid,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_kill_switch_history_idx ON card_kill_switch_history (tenant_id, at DESC);

ALTER TABLE provider_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON provider_accounts
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_events
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- A shop sees its own switch and the platform-wide one (checkout must honour both); only the
-- operator changes the platform-wide row.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['card_kill_switches', 'card_kill_switch_history'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR tenant_id IS NULL
             OR current_setting('app.audience', true) = 'operator')
      WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')$p$, t);
  END LOOP;
END $$;
