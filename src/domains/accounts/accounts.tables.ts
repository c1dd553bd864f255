import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0003_accounts.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A business date, 'YYYY-MM-DD' (no time zone). */
type BusinessDate = string;

export type VerificationStatus = 'unsubmitted' | 'pending' | 'verified' | 'rejected' | 'expired';

export interface SalonAccountsTable {
  id: Generated<string>;
  business_type: 'corporation' | 'sole_proprietor';
  company_name: string;
  company_name_kana: Generated<string>;
  salon_name: string;
  representative_name: string;
  manager_name: Generated<string>;
  establishment_health_center: Generated<string>;
  establishment_number: Generated<string>;
  establishment_date: BusinessDate | null;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: Generated<string>;
  phone: string;
  invoice_registration_number: string | null;
  verification_status: Generated<VerificationStatus>;
  verification_submitted_at: Timestamp | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  verification_expires_at: BusinessDate | null;
  verification_note: Generated<string>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export type SalonUserRole = 'owner' | 'buyer' | 'viewer';

export interface SalonUsersTable {
  id: Generated<string>;
  account_id: string;
  email: string;
  email_verified_at: Timestamp | null;
  display_name: string;
  role: SalonUserRole;
  status: Generated<'invited' | 'active' | 'removed'>;
  is_synthetic: Generated<boolean>;
  created_at: DefaultedTimestamp;
  last_login_at: Timestamp | null;
}

export interface SalonLocationsTable {
  id: Generated<string>;
  account_id: string;
  label: string;
  recipient_name: string;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: Generated<string>;
  phone: string;
  is_default: Generated<boolean>;
  archived_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface SalonCertificatesTable {
  id: Generated<string>;
  account_id: string;
  kind: 'establishment' | 'license' | 'other';
  original_name: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  created_at: DefaultedTimestamp;
}

export interface ShopPriceRanksTable {
  tenant_id: string;
  id: Generated<string>;
  code: string;
  name: string;
  /** numeric(5,4) arrives as a string, e.g. '0.7500'. */
  rate: ColumnType<string, string | number, string | number>;
  sort_order: Generated<number>;
}

export type MembershipStatus = 'applied' | 'approved' | 'rejected' | 'suspended';

export interface MembershipsTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  status: MembershipStatus;
  rank_id: string | null;
  customer_code: Generated<string>;
  invoice_terms_enabled: Generated<boolean>;
  credit_limit_yen: Generated<number>;
  closing_day: Generated<number>;
  payment_month_offset: Generated<number>;
  payment_day: Generated<number>;
  application_note: Generated<string>;
  consent_at: Timestamp;
  consent_version: string;
  applied_by: string | null;
  applied_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_reason: Generated<string>;
  updated_at: DefaultedTimestamp;
}

export interface CustomerInvitationsTable {
  tenant_id: string;
  id: Generated<string>;
  company_name: string;
  contact_name: string;
  email: string;
  phone: Generated<string>;
  customer_code: Generated<string>;
  rank_id: string;
  invoice_terms_enabled: Generated<boolean>;
  credit_limit_yen: Generated<number>;
  closing_day: Generated<number>;
  payment_month_offset: Generated<number>;
  payment_day: Generated<number>;
  status: Generated<'pending' | 'accepted' | 'revoked'>;
  accepted_account_id: string | null;
  invited_by: string;
  created_at: DefaultedTimestamp;
}

export type StaffRole = 'shop_admin' | 'order_clerk' | 'catalog_editor' | 'platform_admin' | 'security_officer';

export interface StaffUsersTable {
  id: Generated<string>;
  tenant_id: string | null;
  email: string;
  display_name: string;
  role: StaffRole;
  status: Generated<'invited' | 'active' | 'disabled'>;
  locale: Generated<'ja' | 'en'>;
  created_at: DefaultedTimestamp;
  created_by: string | null;
  last_login_at: Timestamp | null;
}

export interface UserCredentialsTable {
  user_id: string;
  user_kind: 'salon' | 'staff';
  password_hash: string;
  password_changed_at: DefaultedTimestamp;
  failed_attempts: Generated<number>;
  locked_until: Timestamp | null;
}

export interface MfaTotpTable {
  user_id: string;
  secret_encrypted: string;
  confirmed_at: Timestamp | null;
  last_used_step: Generated<number>;
  created_at: DefaultedTimestamp;
}

export interface WebauthnCredentialsTable {
  id: Generated<string>;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: Generated<number>;
  transports: Generated<string[]>;
  device_name: Generated<string>;
  created_at: DefaultedTimestamp;
  last_used_at: Timestamp | null;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export type AuthTokenKind = 'password_reset' | 'email_verify' | 'salon_invite' | 'staff_invite' | 'customer_invite' | 'handoff' | 'webauthn_challenge';

export interface AuthTokensTable {
  id: Generated<string>;
  kind: AuthTokenKind;
  token_hash: string;
  user_id: string | null;
  subject: Generated<string>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface StaffIpAllowlistTable {
  id: Generated<string>;
  tenant_id: string | null;
  cidr: string;
  label: Generated<string>;
  created_by: string;
  created_at: DefaultedTimestamp;
}

export interface AccountsTables {
  salon_accounts: SalonAccountsTable;
  salon_users: SalonUsersTable;
  salon_locations: SalonLocationsTable;
  salon_certificates: SalonCertificatesTable;
  shop_price_ranks: ShopPriceRanksTable;
  memberships: MembershipsTable;
  customer_invitations: CustomerInvitationsTable;
  staff_users: StaffUsersTable;
  user_credentials: UserCredentialsTable;
  mfa_totp: MfaTotpTable;
  webauthn_credentials: WebauthnCredentialsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  auth_tokens: AuthTokensTable;
  staff_ip_allowlist: StaffIpAllowlistTable;
}

/** Column added by db/migrations/0005_salon_verification_reminders.sql (merged into the table type above). */
export interface SalonAccountsTable {
  verification_reminded_at: Timestamp | null;
}
