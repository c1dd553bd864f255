-- Accounts: one salon account across shops, per-shop memberships, shop and operator staff, MFA.
--
-- Who sees what (policies below):
-- * Shop data: tenant_id = app.tenant_id (as everywhere).
-- * A salon's own data (salon_accounts and everything hanging off it): visible to the salon itself
--   (app.account_id), to operator staff (app.audience = 'operator', set from the server-side
--   session), and to a shop only once a membership row links the salon to that shop — which exists
--   only after the salon applied (consent recorded) or accepted the shop's invitation.
-- * Credentials and second factors: only to their own user (app.principal_id). Sign-in finds a
--   user by email through auth_find_login(), the one listed SECURITY DEFINER function.
-- The request setup sets app.principal_id, app.account_id and app.audience from the session row.

ALTER TABLE sessions
  ADD COLUMN account_id uuid,
  -- The shop a session is bound to: a shop staff member's shop, or the shop origin a salon
  -- session was handed off to. Revoking "every session of a shop" revokes these.
  ADD COLUMN bound_tenant_id uuid REFERENCES tenants (id),
  ADD COLUMN step_up_at timestamptz;
CREATE INDEX sessions_bound_tenant_idx ON sessions (bound_tenant_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_account_idx ON sessions (account_id) WHERE revoked_at IS NULL;


-- The salon company (or sole proprietor) and its one verified profile.
CREATE TABLE salon_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  business_type text NOT NULL CHECK (business_type IN ('corporation', 'sole_proprietor')),
  company_name text NOT NULL CHECK (length(company_name) BETWEEN 1 AND 200),
  company_name_kana text NOT NULL DEFAULT '',
  salon_name text NOT NULL CHECK (length(salon_name) BETWEEN 1 AND 200),
  representative_name text NOT NULL CHECK (length(representative_name) BETWEEN 1 AND 100),
  -- 管理美容師 (required where a salon has two or more stylists).
  manager_name text NOT NULL DEFAULT '',
  -- 美容所 registration: issuing health centre, confirmation number, date.
  establishment_health_center text NOT NULL DEFAULT '',
  establishment_number text NOT NULL DEFAULT '',
  establishment_date date,
  postal_code text NOT NULL CHECK (postal_code ~ '^\d{7}$'),
  prefecture text NOT NULL,
  city text NOT NULL,
  address_line1 text NOT NULL,
  address_line2 text NOT NULL DEFAULT '',
  phone text NOT NULL,
  invoice_registration_number text CHECK (invoice_registration_number ~ '^T\d{13}$'),
  verification_status text NOT NULL DEFAULT 'unsubmitted'
    CHECK (verification_status IN ('unsubmitted', 'pending', 'verified', 'rejected', 'expired')),
  verification_submitted_at timestamptz,
  verified_at timestamptz,
  verified_by uuid,
  verification_expires_at date,
  verification_note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER salon_accounts_updated_at BEFORE UPDATE ON salon_accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE salon_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES salon_accounts (id),
  email citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
  email_verified_at timestamptz,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('owner', 'buyer', 'viewer')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'removed')),
  -- Monitor identity for the protection issue's browser walks; never a real buyer.
  is_synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
CREATE INDEX salon_users_account_idx ON salon_users (account_id);

-- Delivery addresses (salon locations).
CREATE TABLE salon_locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES salon_accounts (id),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  recipient_name text NOT NULL,
  postal_code text NOT NULL CHECK (postal_code ~ '^\d{7}$'),
  prefecture text NOT NULL,
  city text NOT NULL,
  address_line1 text NOT NULL,
  address_line2 text NOT NULL DEFAULT '',
  phone text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX salon_locations_account_idx ON salon_locations (account_id);

-- Uploaded certificates (美容所登録 / 免許), stored under DATA_DIR outside any public path.
CREATE TABLE salon_certificates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES salon_accounts (id),
  kind text NOT NULL CHECK (kind IN ('establishment', 'license', 'other')),
  original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text NOT NULL UNIQUE CHECK (storage_key ~ '^[0-9a-f-]{36}$'),
  uploaded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX salon_certificates_account_idx ON salon_certificates (account_id);

-- A shop's price ranks (掛け率 per rank).
CREATE TABLE shop_price_ranks (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  code text NOT NULL CHECK (code ~ '^[a-z0-9_-]{1,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  rate numeric(5, 4) NOT NULL CHECK (rate > 0 AND rate <= 1),
  sort_order integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);

-- A salon's membership of one shop: application, decision, rank, invoice terms (掛け払い).
CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES salon_accounts (id),
  status text NOT NULL CHECK (status IN ('applied', 'approved', 'rejected', 'suspended')),
  rank_id uuid,
  customer_code text NOT NULL DEFAULT '',
  invoice_terms_enabled boolean NOT NULL DEFAULT false,
  credit_limit_yen integer NOT NULL DEFAULT 0 CHECK (credit_limit_yen >= 0),
  -- 締め日 / 支払日: 1–28, or 31 for month end; payment in the month after closing + offset.
  closing_day smallint NOT NULL DEFAULT 31 CHECK (closing_day BETWEEN 1 AND 31),
  payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
  payment_day smallint NOT NULL DEFAULT 31 CHECK (payment_day BETWEEN 1 AND 31),
  application_note text NOT NULL DEFAULT '',
  consent_at timestamptz NOT NULL,
  consent_version text NOT NULL,
  applied_by uuid,
  applied_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid,
  decision_reason text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, account_id),
  FOREIGN KEY (tenant_id, rank_id) REFERENCES shop_price_ranks (tenant_id, id)
);
CREATE INDEX memberships_account_idx ON memberships (account_id);
CREATE INDEX memberships_queue_idx ON memberships (tenant_id, status, applied_at);
CREATE TRIGGER memberships_updated_at BEFORE UPDATE ON memberships FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A salon's data is visible to itself, to operator staff, and to shops it is a member of (or applied to).
CREATE FUNCTION app_account_visible(account uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT account = nullif(current_setting('app.account_id', true), '')::uuid
      OR current_setting('app.audience', true) = 'operator'
      OR EXISTS (
        SELECT 1 FROM memberships m
        WHERE m.account_id = account
          AND m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
$$;

-- Existing customers a shop imported (CSV) and invited; accepted by signing up through the link.
CREATE TABLE customer_invitations (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  company_name text NOT NULL,
  contact_name text NOT NULL,
  email citext NOT NULL,
  phone text NOT NULL DEFAULT '',
  customer_code text NOT NULL DEFAULT '',
  rank_id uuid NOT NULL,
  invoice_terms_enabled boolean NOT NULL DEFAULT false,
  credit_limit_yen integer NOT NULL DEFAULT 0 CHECK (credit_limit_yen >= 0),
  closing_day smallint NOT NULL DEFAULT 31 CHECK (closing_day BETWEEN 1 AND 31),
  payment_month_offset smallint NOT NULL DEFAULT 1 CHECK (payment_month_offset BETWEEN 0 AND 3),
  payment_day smallint NOT NULL DEFAULT 31 CHECK (payment_day BETWEEN 1 AND 31),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
  accepted_account_id uuid REFERENCES salon_accounts (id),
  invited_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email),
  FOREIGN KEY (tenant_id, rank_id) REFERENCES shop_price_ranks (tenant_id, id)
);

-- Shop staff (tenant_id set) and operator staff (tenant_id NULL).
CREATE TABLE staff_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  email citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('shop_admin', 'order_clerk', 'catalog_editor', 'platform_admin', 'security_officer')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
  locale text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  last_login_at timestamptz,
  CHECK ((tenant_id IS NULL) = (role IN ('platform_admin', 'security_officer')))
);
CREATE INDEX staff_users_tenant_idx ON staff_users (tenant_id);

-- Passwords (argon2id) and lockout state, for salon users and staff alike.
CREATE TABLE user_credentials (
  user_id uuid PRIMARY KEY,
  user_kind text NOT NULL CHECK (user_kind IN ('salon', 'staff')),
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz
);

CREATE TABLE mfa_totp (
  user_id uuid PRIMARY KEY,
  -- Encrypted under the key-encryption key (versioned envelope, see platform/crypto).
  secret_encrypted text NOT NULL,
  confirmed_at timestamptz,
  last_used_step bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webauthn_credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  credential_id text NOT NULL UNIQUE,
  public_key text NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX webauthn_credentials_user_idx ON webauthn_credentials (user_id);

CREATE TABLE mfa_recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  code_hash text NOT NULL,
  used_at timestamptz
);
CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (user_id);

-- Single-use, expiring tokens (password reset, email verification, invitations, origin handoff).
-- Only hashes and ids: a platform table like sessions.
CREATE TABLE auth_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('password_reset', 'email_verify', 'salon_invite', 'staff_invite', 'customer_invite', 'handoff', 'webauthn_challenge')),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid,
  subject text NOT NULL DEFAULT '',
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, kind) WHERE used_at IS NULL;

-- Staff routes only from these networks, per shop (tenant_id) or for the operator (NULL).
CREATE TABLE staff_ip_allowlist (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  cidr cidr NOT NULL,
  label text NOT NULL DEFAULT '',
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, cidr)
);

-- Sign-in looks a user up by email before anyone is signed in: the one SECURITY DEFINER function,
-- returning only what verifying a password needs.
CREATE FUNCTION auth_find_login(kind text, login_email citext)
RETURNS TABLE (user_id uuid, tenant_id uuid, account_id uuid, status text, password_hash text, failed_attempts integer, locked_until timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s.id, NULL::uuid, s.account_id, s.status, c.password_hash, c.failed_attempts, c.locked_until
    FROM salon_users s JOIN user_credentials c ON c.user_id = s.id
   WHERE kind = 'salon' AND s.email = login_email
  UNION ALL
  SELECT f.id, f.tenant_id, NULL::uuid, f.status, c.password_hash, c.failed_attempts, c.locked_until
    FROM staff_users f JOIN user_credentials c ON c.user_id = f.id
   WHERE kind = 'staff' AND f.email = login_email
$$;
REVOKE ALL ON FUNCTION auth_find_login(text, citext) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_login(text, citext) TO oroshi_app;

-- Row-level security for the tables above.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['salon_accounts', 'salon_users', 'salon_locations', 'salon_certificates', 'shop_price_ranks',
                           'memberships', 'customer_invitations', 'staff_users', 'user_credentials', 'mfa_totp',
                           'webauthn_credentials', 'mfa_recovery_codes', 'staff_ip_allowlist'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

CREATE POLICY account_scope ON salon_accounts USING (app_account_visible(id))
  WITH CHECK (id = nullif(current_setting('app.account_id', true), '')::uuid OR current_setting('app.audience', true) = 'operator');
CREATE POLICY account_scope ON salon_users USING (app_account_visible(account_id))
  WITH CHECK (account_id = nullif(current_setting('app.account_id', true), '')::uuid OR current_setting('app.audience', true) = 'operator');
CREATE POLICY account_scope ON salon_locations USING (app_account_visible(account_id))
  WITH CHECK (account_id = nullif(current_setting('app.account_id', true), '')::uuid);
CREATE POLICY account_scope ON salon_certificates USING (app_account_visible(account_id))
  WITH CHECK (account_id = nullif(current_setting('app.account_id', true), '')::uuid);

CREATE POLICY tenant_isolation ON shop_price_ranks
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY tenant_isolation ON customer_invitations
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

-- Memberships: the shop manages its own; a salon sees its own across shops and may only apply.
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY salon_reads_own ON memberships FOR SELECT
  USING (account_id = nullif(current_setting('app.account_id', true), '')::uuid);
CREATE POLICY salon_applies ON memberships FOR INSERT
  WITH CHECK (account_id = nullif(current_setting('app.account_id', true), '')::uuid AND status = 'applied' AND decided_at IS NULL);

-- Staff: a shop sees its own staff; operator staff see all; everyone sees themselves.
CREATE POLICY staff_scope ON staff_users
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         OR id = nullif(current_setting('app.principal_id', true), '')::uuid
         OR current_setting('app.audience', true) = 'operator')
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         OR current_setting('app.audience', true) = 'operator');
CREATE POLICY staff_scope ON staff_ip_allowlist
  USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
         OR current_setting('app.audience', true) = 'operator')
  WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
         OR current_setting('app.audience', true) = 'operator');

-- Credentials and factors: their own user only.
CREATE POLICY own_user ON user_credentials
  USING (user_id = nullif(current_setting('app.principal_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('app.principal_id', true), '')::uuid);
CREATE POLICY own_user ON mfa_totp
  USING (user_id = nullif(current_setting('app.principal_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('app.principal_id', true), '')::uuid);
CREATE POLICY own_user ON webauthn_credentials
  USING (user_id = nullif(current_setting('app.principal_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('app.principal_id', true), '')::uuid);
CREATE POLICY own_user ON mfa_recovery_codes
  USING (user_id = nullif(current_setting('app.principal_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('app.principal_id', true), '')::uuid);
