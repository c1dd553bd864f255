-- Commerce: shop settings, carts, orders with one state machine, payments (every attempt),
-- shipments with lots, returns, issued documents, invoice-terms receivables and statements.
--
-- All shop-owned (tenant_id, forced RLS). In addition, a RESTRICTIVE policy keeps a salon's
-- session to its own rows inside the shop: a member can never read another salon's orders, cart,
-- payments or documents, even through a query that forgot its filter.

CREATE TABLE shop_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  -- 適格請求書発行事業者: name, address and registration number printed on qualified invoices.
  registration_number text CHECK (registration_number ~ '^T\d{13}$'),
  issuer_name text NOT NULL,
  issuer_postal_code text NOT NULL DEFAULT '',
  issuer_address text NOT NULL DEFAULT '',
  issuer_phone text NOT NULL DEFAULT '',
  -- { bankName, branchName, accountType, accountNumber, accountHolder }
  bank_account jsonb NOT NULL DEFAULT '{}',
  bank_transfer_due_business_days smallint NOT NULL DEFAULT 7 CHECK (bank_transfer_due_business_days BETWEEN 1 AND 30),
  lead_days smallint NOT NULL DEFAULT 1 CHECK (lead_days BETWEEN 0 AND 30),
  cutoff_hour smallint NOT NULL DEFAULT 15 CHECK (cutoff_hour BETWEEN 0 AND 23),
  max_days_ahead smallint NOT NULL DEFAULT 30 CHECK (max_days_ahead BETWEEN 1 AND 90),
  closed_weekdays smallint[] NOT NULL DEFAULT '{0,6}',
  closed_dates date[] NOT NULL DEFAULT '{}',
  -- { flatFeeYen, freeOverYen, regionalSurcharges: [{label, prefectures, feeYen}], remoteIslandSurchargeYen, remoteIslandPostalPrefixes }
  shipping_rules jsonb NOT NULL DEFAULT '{}',
  -- [{ upToYen, feeYen }] by tax-included amount; above the last band COD is unavailable.
  cod_fee_bands jsonb NOT NULL DEFAULT '[]',
  payment_methods text[] NOT NULL DEFAULT '{bank_transfer,invoice,cod,card}',
  cancellation_terms text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER shop_settings_updated_at BEFORE UPDATE ON shop_settings FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- The cart of one member user in one shop: kept in the database, so it follows the buyer across devices.
CREATE TABLE cart_items (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  user_id uuid NOT NULL,
  account_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
  -- The unit price shown when added: checkout tells the buyer when it changed.
  unit_price_seen_yen integer NOT NULL CHECK (unit_price_seen_yen >= 0),
  added_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id, variant_id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id)
);

CREATE TABLE orders (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_number text NOT NULL CHECK (order_number ~ '^[A-Z0-9-]{6,20}$'),
  account_id uuid NOT NULL REFERENCES salon_accounts (id),
  membership_id uuid NOT NULL,
  placed_by uuid NOT NULL,
  -- One state machine (domains/orders/order-state.ts): every change goes through it and is recorded in order_events.
  status text NOT NULL CHECK (status IN ('pending_payment', 'confirmed', 'picking', 'shipped', 'delivered', 'cancelled', 'return_requested', 'returned')),
  payment_method text NOT NULL CHECK (payment_method IN ('bank_transfer', 'invoice', 'cod', 'card')),
  payment_status text NOT NULL CHECK (payment_status IN ('unpaid', 'pending', 'authorized', 'paid', 'failed', 'cancelled', 'refunded', 'partially_refunded')),
  -- A double click or a retried POST carries the same key and makes one order.
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 16 AND 100),
  po_number text NOT NULL DEFAULT '' CHECK (length(po_number) <= 50),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 500),
  location_id uuid,
  recipient_name text NOT NULL,
  recipient_company text NOT NULL DEFAULT '',
  postal_code text NOT NULL CHECK (postal_code ~ '^\d{7}$'),
  prefecture text NOT NULL,
  city text NOT NULL,
  address_line1 text NOT NULL,
  address_line2 text NOT NULL DEFAULT '',
  phone text NOT NULL,
  delivery_date date,
  delivery_slot text CHECK (delivery_slot IN ('0812', '1416', '1618', '1820', '1921')),
  subtotal_excl_tax integer NOT NULL CHECK (subtotal_excl_tax >= 0),
  shipping_fee_excl_tax integer NOT NULL DEFAULT 0 CHECK (shipping_fee_excl_tax >= 0),
  cod_fee_excl_tax integer NOT NULL DEFAULT 0 CHECK (cod_fee_excl_tax >= 0),
  base_10 integer NOT NULL DEFAULT 0,
  tax_10 integer NOT NULL DEFAULT 0,
  base_8 integer NOT NULL DEFAULT 0,
  tax_8 integer NOT NULL DEFAULT 0,
  total_incl_tax integer NOT NULL CHECK (total_incl_tax >= 0),
  transfer_reference text,
  payment_due_date date,
  -- Orders placed by the protection monitor's synthetic member: excluded from stock, reports and incident scope.
  is_synthetic boolean NOT NULL DEFAULT false,
  placed_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, order_number),
  UNIQUE (tenant_id, account_id, idempotency_key),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id)
);
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX orders_account_idx ON orders (tenant_id, account_id, placed_at DESC);
CREATE INDEX orders_status_idx ON orders (tenant_id, status, placed_at DESC);
CREATE INDEX orders_due_idx ON orders (tenant_id, payment_method, payment_status, payment_due_date);

CREATE TABLE order_lines (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  order_id uuid NOT NULL,
  line_no smallint NOT NULL CHECK (line_no > 0),
  variant_id uuid NOT NULL,
  product_id uuid NOT NULL,
  sku text NOT NULL,
  jan_code text,
  name text NOT NULL,
  capacity text NOT NULL DEFAULT '',
  quantity integer NOT NULL CHECK (quantity > 0),
  list_price_yen integer NOT NULL,
  unit_price_excl_tax integer NOT NULL CHECK (unit_price_excl_tax >= 0),
  tax_rate smallint NOT NULL CHECK (tax_rate IN (8, 10)),
  line_total_excl_tax integer NOT NULL,
  lot_tracked boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, order_id, line_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES product_variants (tenant_id, id)
);
CREATE INDEX order_lines_variant_idx ON order_lines (tenant_id, variant_id);

-- Every state transition of an order or its payment, in order.
CREATE TABLE order_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  order_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('status', 'payment')),
  from_state text,
  to_state text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('salon_user', 'staff', 'operator', 'system', 'provider')),
  actor_id uuid,
  note text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_events_order_idx ON order_events (tenant_id, order_id, id);

-- Every payment attempt, whatever its outcome: the incident scope needs member, time, amount,
-- outcome, card brand, last four and the provider's payment id (never the card number).
CREATE TABLE payments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  account_id uuid NOT NULL,
  user_id uuid,
  method text NOT NULL CHECK (method IN ('bank_transfer', 'invoice', 'cod', 'card')),
  provider text NOT NULL DEFAULT 'none',
  provider_session_id text,
  provider_payment_id text,
  status text NOT NULL CHECK (status IN ('started', 'pending', 'authorized', 'succeeded', 'failed', 'abandoned', 'cancelled', 'refunded', 'partially_refunded')),
  amount_yen integer NOT NULL CHECK (amount_yen >= 0),
  captured_yen integer NOT NULL DEFAULT 0,
  refunded_yen integer NOT NULL DEFAULT 0,
  card_brand text,
  card_last4 text CHECK (card_last4 ~ '^\d{4}$'),
  three_d_secure text,
  failure_code text,
  client_ip text NOT NULL DEFAULT '',
  is_synthetic boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE TRIGGER payments_updated_at BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id);
CREATE INDEX payments_started_idx ON payments (tenant_id, method, started_at);
CREATE UNIQUE INDEX payments_provider_idx ON payments (tenant_id, provider, provider_payment_id) WHERE provider_payment_id IS NOT NULL;

CREATE TABLE shipments (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  carrier text NOT NULL CHECK (carrier IN ('yamato', 'sagawa', 'japanpost', 'other')),
  tracking_numbers text[] NOT NULL DEFAULT '{}',
  shipped_at timestamptz,
  delivered_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX shipments_order_idx ON shipments (tenant_id, order_id);

CREATE TABLE shipment_lines (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  shipment_id uuid NOT NULL,
  order_id uuid NOT NULL,
  line_no smallint NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  lot_number text NOT NULL DEFAULT '' CHECK (length(lot_number) <= 40),
  PRIMARY KEY (tenant_id, shipment_id, line_no, lot_number),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, line_no) REFERENCES order_lines (tenant_id, order_id, line_no)
);

CREATE TABLE returns (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  account_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('cancellation', 'return')),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'refused', 'completed')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  -- [{ lineNo, quantity }]
  lines jsonb NOT NULL DEFAULT '[]',
  requested_by uuid NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid,
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

-- Issued documents (qualified invoices, 返還インボイス, delivery slips, statements). Never edited:
-- a correction is a new row that supersedes the old one.
CREATE TABLE documents (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('qualified_invoice', 'return_invoice', 'delivery_slip', 'picking_list', 'monthly_statement')),
  document_number text NOT NULL,
  account_id uuid,
  order_id uuid,
  statement_id uuid,
  storage_key text NOT NULL UNIQUE,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes integer NOT NULL,
  supersedes uuid,
  issued_at timestamptz NOT NULL DEFAULT now(),
  issued_by uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, kind, document_number)
);
CREATE INDEX documents_order_idx ON documents (tenant_id, order_id);
CREATE INDEX documents_account_idx ON documents (tenant_id, account_id, issued_at DESC);

-- 掛け払い: payments received against invoice-terms balances.
CREATE TABLE receipts (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL,
  amount_yen integer NOT NULL CHECK (amount_yen > 0),
  received_on date NOT NULL,
  note text NOT NULL DEFAULT '',
  recorded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- Monthly statements for invoice-terms members, made on each closing day.
CREATE TABLE statements (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL,
  membership_id uuid NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  due_date date NOT NULL,
  previous_balance integer NOT NULL,
  payments_received integer NOT NULL,
  purchases_incl_tax integer NOT NULL,
  amount_due integer NOT NULL,
  document_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, account_id, period_end),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id)
);

-- Order numbers: per shop and month, gap-free under a row lock.
CREATE TABLE order_number_counters (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  year_month text NOT NULL CHECK (year_month ~ '^\d{4}$'),
  last_value integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, year_month)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['shop_settings', 'cart_items', 'orders', 'order_lines', 'order_events', 'payments', 'shipments',
                           'shipment_lines', 'returns', 'documents', 'receipts', 'statements', 'order_number_counters'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
  END LOOP;
  -- Inside a shop, a salon session reaches only its own account's rows.
  FOREACH t IN ARRAY ARRAY['cart_items', 'orders', 'payments', 'returns', 'documents', 'receipts', 'statements'] LOOP
    EXECUTE format($p$CREATE POLICY own_account_only ON %I AS RESTRICTIVE
      USING (current_setting('app.audience', true) IS DISTINCT FROM 'salon'
             OR account_id = nullif(current_setting('app.account_id', true), '')::uuid)$p$, t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['order_lines', 'order_events', 'shipments', 'shipment_lines'] LOOP
    EXECUTE format($p$CREATE POLICY own_account_only ON %I AS RESTRICTIVE
      USING (current_setting('app.audience', true) IS DISTINCT FROM 'salon'
             OR EXISTS (SELECT 1 FROM orders o WHERE o.tenant_id = %I.tenant_id AND o.id = %I.order_id))$p$, t, t, t);
  END LOOP;
END $$;
