import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AccountsTables } from '../../domains/accounts/accounts.tables.ts';
import type { CatalogTables } from '../../domains/catalog/catalog.tables.ts';
import type { CustomerImportTables } from '../../domains/customers-import/customer-import.tables.ts';
import type { FulfilmentTables } from '../../domains/fulfilment/fulfilment.tables.ts';
import type { IncidentTables } from '../../domains/incidents/incidents.tables.ts';
import type { MonitorTables } from '../../domains/monitor/monitor.tables.ts';
import type { OrdersTables } from '../../domains/orders/orders.tables.ts';
import type { PaymentsTables } from '../../domains/payments/payments.tables.ts';
import type { SecurityTables } from '../../domains/security/security.tables.ts';

/**
 * Kysely's view of the tables. One interface per table, named after it; domains that add tables
 * in their migrations add their interfaces here.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, T | string, T | string>;

export interface PlatformOperatorTable {
  id: Generated<boolean>;
  company_name: string;
  platform_name: string;
  representative: string;
  postal_code: string;
  address: string;
  phone: string;
  email: string;
  security_contact: string;
  updated_at: DefaultedTimestamp;
}

export interface TenantLegal {
  seller: string;
  representative: string;
  postal_code: string;
  address: string;
  phone: string;
  email: string;
  business_hours: string;
  prices: string;
  extra_fees: string;
  payment_methods: string;
  payment_timing: string;
  delivery_timing: string;
  returns: string;
  members_only: string;
}

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  kind: Generated<'operator_mall' | 'supplier'>;
  display_name: string;
  company_name: string;
  tagline: Generated<string>;
  legal: Json<TenantLegal>;
  status: Generated<'active' | 'suspended' | 'closed'>;
  custom_host: string | null;
  sort_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  audience: 'salon' | 'staff' | 'operator';
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: DefaultedTimestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  mfa_verified_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  /** The salon account of a salon session (sets app.account_id). */
  account_id: string | null;
  /** The shop a session is bound to: a shop staff member's shop, or the shop origin a salon session was handed off to. */
  bound_tenant_id: string | null;
  /** Last step-up re-authentication (password or second factor) in this session. */
  step_up_at: Timestamp | null;
}

export interface RateLimitCountersTable {
  bucket: string;
  window_start: Timestamp;
  hits: Generated<number>;
}

export type AuditActorType = 'salon_user' | 'staff' | 'operator' | 'system' | 'anonymous';
export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string | null;
  seq: number;
  at: Timestamp;
  actor_type: AuditActorType;
  actor_id: string | null;
  actor_label: string;
  action: string;
  resource_type: string;
  resource_id: string;
  result: AuditResult;
  source_ip: string;
  request_id: string;
  reason: string;
  detail: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  tenant_id: string | null;
  seq: number;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  tenant_id: string | null;
  kind: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface MailMessagesTable {
  id: Generated<string>;
  tenant_id: string | null;
  outbox_id: string;
  to_address: string;
  subject: string;
  body_text: string;
  transport: 'smtp' | 'console';
  created_at: CreatedAt;
}

export interface CspReportsTable {
  id: Generated<string>;
  tenant_id: string | null;
  received_at: CreatedAt;
  page: string;
  document_uri: string;
  blocked_uri: string;
  violated_directive: string;
  effective_directive: string;
  disposition: string;
  source_file: string;
  line_number: number | null;
  column_number: number | null;
  script_sample: string;
  user_agent: string;
  client_ip: string;
  session_id: string | null;
}

export interface DB extends AccountsTables, CatalogTables, CustomerImportTables, FulfilmentTables, OrdersTables, PaymentsTables, SecurityTables, MonitorTables, IncidentTables {
  platform_operator: PlatformOperatorTable;
  tenants: TenantsTable;
  sessions: SessionsTable;
  rate_limit_counters: RateLimitCountersTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  outbox: OutboxTable;
  mail_messages: MailMessagesTable;
  csp_reports: CspReportsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type Session = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
