import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0018_incidents.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export type PageViewer = 'salon' | 'staff' | 'operator' | 'anonymous';

export interface ProtectedPageViewsTable {
  tenant_id: string;
  viewed_at: Timestamp;
  page: string;
  viewer: PageViewer;
  user_id: string | null;
  account_id: string | null;
  session_id: string | null;
  browser_key: Buffer | null;
  is_synthetic: Generated<boolean>;
}

export interface PlatformPageViewsTable {
  viewed_at: Timestamp;
  page: string;
  viewer: PageViewer;
  user_id: string | null;
  account_id: string | null;
  staff_tenant_id: string | null;
  session_id: string | null;
  browser_key: Buffer | null;
  is_synthetic: Generated<boolean>;
}

export const INCIDENT_SOURCES = ['customer_inquiry', 'card_company', 'police', 'security_event', 'internal'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const INCIDENT_STATUSES = ['open', 'contained', 'investigating', 'reporting', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentsTable {
  id: Generated<string>;
  number: string;
  title: string;
  summary: Generated<string>;
  cause: Generated<string>;
  source: IncidentSource;
  security_event_id: string | null;
  status: Generated<IncidentStatus>;
  aware_at: Timestamp;
  unauthorised_access: Generated<boolean>;
  preliminary_days: Generated<number>;
  data_items: Generated<string[]>;
  secondary_damage: Generated<string>;
  prevention: Generated<string>;
  inquiry_desk: Generated<string>;
  opened_by: string | null;
  opened_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export type WindowSource = 'monitor_walk' | 'csp_report' | 'verifier' | 'security_event' | 'manual';

export interface IncidentShopsTable {
  tenant_id: string;
  incident_id: string;
  window_start: Timestamp;
  window_end: Timestamp;
  window_source: WindowSource;
  window_reason: Generated<string>;
  exposed_pages: string[];
  platform_pages_exposed: Generated<boolean>;
  added_at: DefaultedTimestamp;
}

export const MILESTONE_KINDS = [
  'contained',
  'forensic_started',
  'forensic_finished',
  'police_report',
  'ppc_preliminary',
  'ppc_final',
  'card_company_notified',
  'acquirer_notified',
  'shops_notified',
  'letters_sent',
  'notices_published',
  'recurrence_prevention',
  'note',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

export interface IncidentMilestonesTable {
  id: Generated<string>;
  incident_id: string;
  tenant_id: string | null;
  kind: MilestoneKind;
  at: Timestamp;
  note: Generated<string>;
  recorded_by: string | null;
  recorded_at: DefaultedTimestamp;
}

export const DOCUMENT_KINDS = ['member_letter', 'public_notice', 'ppc_preliminary', 'ppc_final', 'card_company_csv', 'shop_notice'] as const;
export type IncidentDocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface IncidentDocumentsTable {
  id: Generated<string>;
  incident_id: string;
  tenant_id: string | null;
  kind: IncidentDocumentKind;
  recipient_key: Generated<string>;
  version: Generated<number>;
  supersedes: string | null;
  superseded_by: string | null;
  title: string;
  body_text: Generated<string>;
  fields: Json<Record<string, unknown>>;
  file_name: string;
  content_type: string;
  storage_key: string;
  sha256: string;
  size_bytes: number;
  created_at: DefaultedTimestamp;
  created_by: string | null;
  sent_at: Timestamp | null;
  sent_by: string | null;
}

export interface IncidentTables {
  protected_page_views: ProtectedPageViewsTable;
  platform_page_views: PlatformPageViewsTable;
  incidents: IncidentsTable;
  incident_shops: IncidentShopsTable;
  incident_milestones: IncidentMilestonesTable;
  incident_documents: IncidentDocumentsTable;
}
