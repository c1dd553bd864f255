import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0013_payments.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ProviderAccountsTable {
  tenant_id: string;
  provider: 'stripe';
  api_base_url: string;
  hosted_page_origin: string;
  secret_key_sealed: string;
  webhook_secret_sealed: string | null;
  webhook_endpoint_id: string | null;
  key_hint: Generated<string>;
  capture_method: Generated<'automatic' | 'manual'>;
  updated_by: string | null;
  updated_at: DefaultedTimestamp;
}

export interface WebhookEventsTable {
  tenant_id: string;
  provider: string;
  event_id: string;
  event_type: string;
  provider_created_at: Timestamp | null;
  received_at: DefaultedTimestamp;
  processed_at: Timestamp | null;
  outcome: Generated<string>;
  /** 0014: the newest signature timestamp accepted for this event (replay detection). */
  last_signature_at: Timestamp | null;
}

export interface CardKillSwitchesTable {
  id: Generated<string>;
  tenant_id: string | null;
  engaged: Generated<boolean>;
  automatic: Generated<boolean>;
  reason: Generated<string>;
  changed_by: string | null;
  changed_at: DefaultedTimestamp;
}

export interface CardKillSwitchHistoryTable {
  id: Generated<string>;
  tenant_id: string | null;
  engaged: boolean;
  automatic: boolean;
  reason: string;
  actor_type: 'staff' | 'operator' | 'system';
  actor_id: string | null;
  approved_by: string | null;
  at: DefaultedTimestamp;
}

export interface PaymentsTables {
  provider_accounts: ProviderAccountsTable;
  webhook_events: WebhookEventsTable;
  card_kill_switches: CardKillSwitchesTable;
  card_kill_switch_history: CardKillSwitchHistoryTable;
}
