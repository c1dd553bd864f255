-- Fulfilment and invoicing additions: the shop's carrier contracts (needed on every Yamato B2
-- Cloud row and optionally on Sagawa e飛伝 rows), and issued documents made immutable in the
-- database itself, so no code path (or a forgotten UPDATE) can alter an issued invoice: a
-- correction is a new row whose `supersedes` names the old one.

CREATE TABLE shop_carrier_accounts (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  -- ヤマト運輸 B2クラウド: ご請求先顧客コード (10–12 digits), 分類コード, 運賃管理番号 (2 digits).
  yamato_billing_customer_code text NOT NULL DEFAULT '' CHECK (yamato_billing_customer_code ~ '^(\d{10,12})?$'),
  yamato_billing_class_code text NOT NULL DEFAULT '' CHECK (yamato_billing_class_code ~ '^\d{0,3}$'),
  yamato_freight_management_number text NOT NULL DEFAULT '' CHECK (yamato_freight_management_number ~ '^(\d{2})?$'),
  -- 佐川急便 e飛伝: お客様コード (optional when the login identifies the customer).
  sagawa_customer_code text NOT NULL DEFAULT '' CHECK (sagawa_customer_code ~ '^\d{0,12}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER shop_carrier_accounts_updated_at BEFORE UPDATE ON shop_carrier_accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
ALTER TABLE shop_carrier_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop_carrier_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON shop_carrier_accounts
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

CREATE FUNCTION documents_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'issued documents are immutable: issue a new document that supersedes this one'
    USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_are_immutable();

-- One current document per superseded document: two corrections of the same invoice cannot both win.
CREATE UNIQUE INDEX documents_supersedes_idx ON documents (tenant_id, supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX documents_statement_idx ON documents (tenant_id, statement_id);
CREATE INDEX receipts_account_idx ON receipts (tenant_id, account_id, received_on);
CREATE INDEX returns_order_idx ON returns (tenant_id, order_id);
CREATE INDEX shipments_tracking_idx ON shipments USING gin (tracking_numbers);
