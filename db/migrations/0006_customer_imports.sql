-- Customer CSV imports: the uploaded file is kept (decoded) between preview and commit, so the
-- commit re-validates exactly what staff previewed, on any process, without a second upload.
CREATE TABLE customer_import_batches (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  source_encoding text NOT NULL CHECK (source_encoding IN ('utf-8', 'cp932')),
  csv_text text NOT NULL,
  row_count integer NOT NULL DEFAULT 0 CHECK (row_count >= 0),
  status text NOT NULL DEFAULT 'previewed' CHECK (status IN ('previewed', 'committed', 'discarded')),
  imported_count integer NOT NULL DEFAULT 0 CHECK (imported_count >= 0),
  uploaded_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  committed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customer_import_batches_recent_idx ON customer_import_batches (tenant_id, created_at DESC);

ALTER TABLE customer_import_batches ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_import_batches FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customer_import_batches
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
