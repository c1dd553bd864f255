-- Orders, second round (decision record 0008):
--
-- refunds: what an approved return or the cancellation of a paid order gives back, one row per
-- decision. Card refunds go through the payment provider; bank-transfer and COD refunds are a
-- transfer staff make to the member's account (返金待ち → 返金済み); invoice-terms (掛け払い)
-- returns are a credit the next monthly statement nets off, recorded as completed at once. The
-- 掛け払い ledger (invoiceOutstanding) subtracts these credits, so a partial return lowers the
-- member's exposure by exactly what the 返還インボイス states.
--
-- product_variants.shelf_location: 棚番 printed on picking lists (and sorted by).
-- shop_settings.invoice_note: the issuer's fixed note on invoices (振込手数料, 社印省略 …).
-- statements: staff mark a statement sent (post/fax/mail) and paid.

CREATE TABLE refunds (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL,
  account_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('return', 'cancellation')),
  -- The approved return or cancellation request; NULL when staff cancelled a paid order themselves.
  return_id uuid,
  method text NOT NULL CHECK (method IN ('card', 'bank_transfer', 'cod', 'statement_credit')),
  status text NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
  amount_yen integer NOT NULL CHECK (amount_yen > 0),
  reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  -- bank_transfer / cod: { bankName, branchName, accountType, accountNumber, accountHolder } of the member.
  payee_bank jsonb NOT NULL DEFAULT '{}',
  -- card: the provider's refund id; every provider call is keyed by this row's id.
  provider_refund_id text,
  attempts integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '' CHECK (length(last_error) <= 500),
  -- bank_transfer / cod: the day the money left (振込日).
  paid_on date,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_by uuid,
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, return_id) REFERENCES returns (tenant_id, id),
  CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
  CHECK (kind = 'cancellation' OR return_id IS NOT NULL)
);
CREATE TRIGGER refunds_updated_at BEFORE UPDATE ON refunds FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- One refund per decision: a retried approval or a second click finds the row that exists.
CREATE UNIQUE INDEX refunds_return_idx ON refunds (tenant_id, return_id) WHERE return_id IS NOT NULL;
-- An order is cancelled once, so it has at most one cancellation refund.
CREATE UNIQUE INDEX refunds_cancellation_idx ON refunds (tenant_id, order_id) WHERE kind = 'cancellation';
CREATE INDEX refunds_account_idx ON refunds (tenant_id, account_id, method);
CREATE INDEX refunds_open_idx ON refunds (tenant_id, status, created_at) WHERE status <> 'completed';

ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refunds
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
-- Inside a shop, a salon session sees only its own refunds (its order page shows their state).
CREATE POLICY own_account_only ON refunds AS RESTRICTIVE
  USING (current_setting('app.audience', true) IS DISTINCT FROM 'salon'
         OR account_id = nullif(current_setting('app.account_id', true), '')::uuid);

-- Returns approved before this migration: their 掛け払い credits, so the ledger stays right
-- (tax once per rate per return, truncated, as on the 返還インボイス), and pending refunds for
-- the other methods so staff see what is still owed.
INSERT INTO refunds (tenant_id, order_id, account_id, kind, return_id, method, status, amount_yen, reason, completed_at)
SELECT r.tenant_id, r.order_id, r.account_id, 'return', r.id,
       CASE o.payment_method WHEN 'invoice' THEN 'statement_credit' ELSE o.payment_method END,
       CASE o.payment_method WHEN 'invoice' THEN 'completed' ELSE 'pending' END,
       t.amount, '返品（移行時に登録）',
       CASE o.payment_method WHEN 'invoice' THEN coalesce(r.decided_at, now()) END
FROM returns r
JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id
CROSS JOIN LATERAL (
  SELECT sum(per_rate.base + (per_rate.base * per_rate.rate) / 100)::integer AS amount
  FROM (
    SELECT l.tax_rate::integer AS rate, sum(l.unit_price_excl_tax::bigint * x.quantity)::bigint AS base
    FROM jsonb_to_recordset(r.lines) AS x ("lineNo" integer, quantity integer)
    JOIN order_lines l ON l.tenant_id = r.tenant_id AND l.order_id = r.order_id AND l.line_no = x."lineNo"
    GROUP BY l.tax_rate
  ) per_rate
) t
WHERE r.kind = 'return' AND r.status IN ('approved', 'completed') AND NOT o.is_synthetic AND t.amount > 0;

ALTER TABLE product_variants ADD COLUMN shelf_location text NOT NULL DEFAULT ''
  CHECK (shelf_location ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$' OR shelf_location = '');
CREATE INDEX product_variants_shelf_idx ON product_variants (tenant_id, shelf_location) WHERE shelf_location <> '';

ALTER TABLE shop_settings ADD COLUMN invoice_note text NOT NULL DEFAULT '' CHECK (length(invoice_note) <= 300);

ALTER TABLE statements
  ADD COLUMN sent_at timestamptz,
  ADD COLUMN sent_by uuid,
  ADD COLUMN sent_via text CHECK (sent_via IN ('mail', 'post', 'fax', 'hand')),
  ADD COLUMN paid_at timestamptz,
  ADD COLUMN paid_by uuid,
  ADD COLUMN paid_receipt_id uuid;
CREATE INDEX statements_period_idx ON statements (tenant_id, period_end DESC);
