import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0015_security_events.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, T | string, T | string>;

export const SECURITY_LAYERS = [
  'csp_report',
  'trusted_types',
  'render_refusal',
  'build_verifier',
  'db_text_verifier',
  'browser_monitor',
  'egress',
  'dead_mans_switch',
  'settings_change',
  'card_testing',
  'browser_integrity',
] as const;
export type SecurityLayer = (typeof SECURITY_LAYERS)[number];
export type SecuritySeverity = 'info' | 'warning' | 'critical';

export interface SecurityEventsTable {
  id: Generated<string>;
  tenant_id: string | null;
  layer: SecurityLayer;
  severity: SecuritySeverity;
  kind: string;
  page: Generated<string>;
  summary: string;
  fingerprint: string;
  session_id: string | null;
  principal_id: string | null;
  first_seen_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  occurrences: Generated<number>;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  acknowledgement: Generated<string>;
  contained_at: Timestamp | null;
  containment_scope: 'shop' | 'all' | null;
  incident_id: string | null;
}

export interface SecurityEvidenceTable {
  id: Generated<string>;
  tenant_id: string | null;
  event_id: string;
  kind: string;
  data: Json<Record<string, unknown>>;
  sha256: string;
  recorded_at: DefaultedTimestamp;
}

export interface SecurityAlertsTable {
  id: Generated<string>;
  tenant_id: string | null;
  event_id: string;
  channel: 'email' | 'webhook';
  recipient: string;
  level: Generated<number>;
  first_sent_at: DefaultedTimestamp;
  last_sent_at: DefaultedTimestamp;
  send_count: Generated<number>;
  acknowledged_at: Timestamp | null;
}

export interface VerifierHeartbeatsTable {
  instance: string;
  started_at: DefaultedTimestamp;
  checked_at: DefaultedTimestamp;
  interval_seconds: number;
  files_checked: Generated<number>;
  texts_checked: Generated<number>;
  problems: Generated<number>;
  duration_ms: Generated<number>;
  manifest_signed_at: Timestamp | null;
  manifest_key_id: Generated<string>;
}

export interface SecurityTables {
  security_events: SecurityEventsTable;
  security_evidence: SecurityEvidenceTable;
  security_alerts: SecurityAlertsTable;
  verifier_heartbeats: VerifierHeartbeatsTable;
}
