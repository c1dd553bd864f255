import type { ColumnType, Generated } from 'kysely';
import type { WalkDiff, WalkSnapshot } from './walk-snapshot.ts';

/** Kysely types of the tables in db/migrations/0017_browser_monitor.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export const MONITOR_PROFILES = ['desktop', 'mobile'] as const;
export type MonitorProfile = (typeof MONITOR_PROFILES)[number];
export type BaselineStatus = 'proposed' | 'approved' | 'superseded' | 'rejected';
export type WalkOutcome = 'clean' | 'deviation' | 'no_baseline' | 'failed';

export interface MonitorBaselinesTable {
  id: Generated<string>;
  tenant_id: string;
  profile: MonitorProfile;
  status: BaselineStatus;
  snapshot: Json<WalkSnapshot>;
  source_walk_id: string | null;
  origin: 'first_walk' | 'operator';
  proposed_at: DefaultedTimestamp;
  requested_by: string | null;
  requested_at: Timestamp | null;
  request_reason: Generated<string>;
  approved_by: string | null;
  approved_at: Timestamp | null;
  approver_step_up_at: Timestamp | null;
  auto_approved: Generated<boolean>;
  decision_note: Generated<string>;
  superseded_at: Timestamp | null;
}

export interface MonitorWalksTable {
  id: Generated<string>;
  tenant_id: string;
  profile: MonitorProfile;
  reason: Generated<string>;
  instance: string;
  started_at: DefaultedTimestamp;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  outcome: WalkOutcome | null;
  baseline_id: string | null;
  snapshot: Json<WalkSnapshot> | null;
  diff: Json<WalkDiff> | null;
  error: Generated<string>;
  deviations: Generated<number>;
}

export type ScriptApprovalStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn';

export interface ScriptInventoryApprovalsTable {
  id: Generated<string>;
  script_id: string;
  sha384: string;
  file: string;
  purpose: string;
  owner: string;
  pages: string[];
  change_reason: string;
  status: ScriptApprovalStatus;
  requested_by: string;
  requested_at: DefaultedTimestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decider_step_up_at: Timestamp | null;
  decision_note: Generated<string>;
}

export interface MonitorTables {
  monitor_baselines: MonitorBaselinesTable;
  monitor_walks: MonitorWalksTable;
  script_inventory_approvals: ScriptInventoryApprovalsTable;
}
