-- Security events: what every protection layer (browser reports, render refusal, build and
-- database-text verifier, browser monitor, egress guard, dead-man's switches) raises, the
-- evidence kept append-only for the incident, the alerts sent until someone acknowledges, and the
-- verifier's heartbeat.
--
-- Mixed tables (tenant_id NULL = platform-wide, e.g. the build itself): a shop sees its own rows;
-- the operator audience sees every row (the security officer's console), like card_kill_switches.

CREATE TABLE security_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  layer text NOT NULL CHECK (layer IN ('csp_report', 'trusted_types', 'render_refusal', 'build_verifier', 'db_text_verifier',
    'browser_monitor', 'egress', 'dead_mans_switch', 'settings_change', 'card_testing')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]{1,80}$'),
  page text NOT NULL DEFAULT '',
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
  -- Same fingerprint while the event is open = the same problem seen again (occurrences + 1).
  fingerprint text NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 200),
  -- The member whose browser reported it, when known (csp_reports.session_id → sessions.user_id).
  session_id uuid,
  principal_id uuid,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  occurrences integer NOT NULL DEFAULT 1 CHECK (occurrences > 0),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  acknowledgement text NOT NULL DEFAULT '',
  -- When the card kill switch was engaged for this event (critical events only).
  contained_at timestamptz,
  containment_scope text CHECK (containment_scope IN ('shop', 'all')),
  incident_id uuid,
  UNIQUE NULLS NOT DISTINCT (tenant_id, id)
);
CREATE UNIQUE INDEX security_events_open_fingerprint_idx ON security_events (tenant_id, fingerprint) NULLS NOT DISTINCT
  WHERE acknowledged_at IS NULL;
CREATE INDEX security_events_recent_idx ON security_events (last_seen_at DESC);
CREATE INDEX security_events_tenant_idx ON security_events (tenant_id, last_seen_at DESC);

-- Evidence: report samples, verifier results, diffs, request logs. Appended, never changed.
CREATE TABLE security_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  event_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]{1,60}$'),
  data jsonb NOT NULL,
  -- SHA-256 of the canonical JSON of data, computed at write time: an incident bundle can prove
  -- the evidence it exports is what was stored.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, event_id) REFERENCES security_events (tenant_id, id)
);
CREATE INDEX security_evidence_event_idx ON security_evidence (event_id, recorded_at);

CREATE FUNCTION security_evidence_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'security_evidence is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER security_evidence_append_only BEFORE UPDATE OR DELETE ON security_evidence
  FOR EACH ROW EXECUTE FUNCTION security_evidence_is_append_only();

-- One row per recipient and channel of a critical event: re-sent until acknowledged, escalated
-- to the platform admins when nobody answers.
CREATE TABLE security_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id),
  event_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient text NOT NULL CHECK (length(recipient) BETWEEN 1 AND 2000),
  -- 0: the security officers and the shop's admins; 1: escalated to the platform admins.
  level smallint NOT NULL DEFAULT 0 CHECK (level IN (0, 1)),
  first_sent_at timestamptz NOT NULL DEFAULT now(),
  last_sent_at timestamptz NOT NULL DEFAULT now(),
  send_count integer NOT NULL DEFAULT 1,
  acknowledged_at timestamptz,
  UNIQUE NULLS NOT DISTINCT (tenant_id, event_id, channel, recipient),
  FOREIGN KEY (tenant_id, event_id) REFERENCES security_events (tenant_id, id)
);
CREATE INDEX security_alerts_pending_idx ON security_alerts (last_sent_at) WHERE acknowledged_at IS NULL;

-- The verifier process's heartbeat (platform table: no shop data). The web process treats a
-- heartbeat older than two intervals as a stalled verifier (dead-man's switch).
CREATE TABLE verifier_heartbeats (
  instance text PRIMARY KEY CHECK (length(instance) BETWEEN 1 AND 200),
  started_at timestamptz NOT NULL DEFAULT now(),
  checked_at timestamptz NOT NULL DEFAULT now(),
  interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
  files_checked integer NOT NULL DEFAULT 0,
  texts_checked integer NOT NULL DEFAULT 0,
  problems integer NOT NULL DEFAULT 0,
  duration_ms integer NOT NULL DEFAULT 0,
  manifest_signed_at timestamptz,
  manifest_key_id text NOT NULL DEFAULT ''
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['security_events', 'security_evidence', 'security_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')
      WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.audience', true) = 'operator')$p$, t);
  END LOOP;
END $$;

REVOKE UPDATE, DELETE ON security_evidence FROM oroshi_app;
-- Events are acknowledged and contained, never removed.
REVOKE DELETE ON security_events FROM oroshi_app;
