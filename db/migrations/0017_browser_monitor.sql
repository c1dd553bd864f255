-- Browser monitor (PCI DSS 11.6.1) and the script inventory's approval trail (PCI DSS 6.4.3).
--
-- monitor_baselines: what a buyer's browser received on each protected page of a shop, per
-- profile (desktop, mobile), as approved by two people. One approved baseline per shop and
-- profile at a time; approving a new one supersedes the old (kept for the history).
-- monitor_walks: every walk of the headless browser, its snapshot and its diff against the
-- baseline. Both are shop-owned; the operator audience reads every shop (the security console),
-- like security_events.
--
-- script_inventory_approvals: platform table. The code inventory (src/platform/http/
-- script-inventory.ts) decides what ships; these rows are the evidence that each shipped hash
-- was requested by one staff member and approved by another after a fresh re-authentication.

CREATE TABLE monitor_baselines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  profile text NOT NULL CHECK (profile IN ('desktop', 'mobile')),
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'superseded', 'rejected')),
  snapshot jsonb NOT NULL,
  -- The walk whose snapshot this is (null when proposed by hand).
  source_walk_id uuid,
  -- How it came to be proposed: the first walk of a shop, or a person adopting a walk.
  origin text NOT NULL CHECK (origin IN ('first_walk', 'operator')),
  proposed_at timestamptz NOT NULL DEFAULT now(),
  -- The staff member who asks for approval (a first-walk proposal has none until someone asks).
  requested_by uuid,
  requested_at timestamptz,
  request_reason text NOT NULL DEFAULT '' CHECK (length(request_reason) <= 500),
  approved_by uuid,
  approved_at timestamptz,
  approver_step_up_at timestamptz,
  -- Development only: the first baseline of a shop is approved by the system so the demo works.
  auto_approved boolean NOT NULL DEFAULT false,
  decision_note text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
  superseded_at timestamptz,
  UNIQUE (tenant_id, id),
  CHECK (approved_by IS NULL OR requested_by IS NULL OR approved_by <> requested_by),
  CHECK (status <> 'approved' OR auto_approved OR (approved_by IS NOT NULL AND requested_by IS NOT NULL AND approver_step_up_at IS NOT NULL))
);
CREATE UNIQUE INDEX monitor_baselines_one_approved_idx ON monitor_baselines (tenant_id, profile) WHERE status = 'approved';
CREATE INDEX monitor_baselines_history_idx ON monitor_baselines (tenant_id, profile, proposed_at DESC);

CREATE TABLE monitor_walks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  profile text NOT NULL CHECK (profile IN ('desktop', 'mobile')),
  reason text NOT NULL DEFAULT 'schedule' CHECK (length(reason) BETWEEN 1 AND 100),
  -- hostname:pid of the process that walked (several processes share the work).
  instance text NOT NULL CHECK (length(instance) BETWEEN 1 AND 200),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms integer,
  outcome text CHECK (outcome IN ('clean', 'deviation', 'no_baseline', 'failed')),
  baseline_id uuid,
  snapshot jsonb,
  diff jsonb,
  error text NOT NULL DEFAULT '' CHECK (length(error) <= 2000),
  deviations integer NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, baseline_id) REFERENCES monitor_baselines (tenant_id, id)
);
CREATE INDEX monitor_walks_recent_idx ON monitor_walks (tenant_id, started_at DESC);
CREATE INDEX monitor_walks_good_idx ON monitor_walks (tenant_id, finished_at DESC) WHERE outcome IN ('clean', 'deviation', 'no_baseline');

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['monitor_baselines', 'monitor_walks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')$p$, t);
  END LOOP;
END $$;

-- Walks and baselines are history: never deleted.
REVOKE DELETE ON monitor_baselines, monitor_walks FROM oroshi_app;

CREATE TABLE script_inventory_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  script_id text NOT NULL CHECK (script_id ~ '^[a-z][a-z0-9-]{1,60}$'),
  sha384 text NOT NULL CHECK (sha384 ~ '^sha384-[A-Za-z0-9+/]{64}$'),
  file text NOT NULL CHECK (length(file) BETWEEN 1 AND 200),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  owner text NOT NULL CHECK (length(owner) BETWEEN 1 AND 100),
  pages text[] NOT NULL,
  change_reason text NOT NULL CHECK (length(change_reason) BETWEEN 1 AND 1000),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'withdrawn')),
  requested_by uuid NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid,
  decided_at timestamptz,
  decider_step_up_at timestamptz,
  decision_note text NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK (status NOT IN ('approved', 'rejected') OR (decided_by IS NOT NULL AND decider_step_up_at IS NOT NULL))
);
CREATE INDEX script_inventory_approvals_script_idx ON script_inventory_approvals (script_id, requested_at DESC);
-- One open request per script and hash.
CREATE UNIQUE INDEX script_inventory_approvals_open_idx ON script_inventory_approvals (script_id, sha384) WHERE status = 'requested';

REVOKE DELETE ON script_inventory_approvals FROM oroshi_app;
