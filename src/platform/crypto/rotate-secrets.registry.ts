/**
 * Every database column that holds a SecretBox envelope. `npm run secrets:rotate` re-encrypts
 * exactly these, so a feature that seals a new kind of secret appends its column here (and a
 * test that seals one proves the rotation covers it).
 */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** Columns that identify a row (used to write the new envelope back). */
  keyColumns: readonly string[];
  /** Further columns the aad is built from, if not only the key columns. */
  aadColumns?: readonly string[];
  /** The aad the envelope was sealed with: the same value the feature passes to seal/open. */
  aad: (row: Record<string, unknown>) => string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  // TOTP seeds, bound to their user (the aad domains/auth/totp.service.ts seals with).
  { table: 'mfa_totp', column: 'secret_encrypted', keyColumns: ['user_id'], aad: (row) => `mfa_totp:${String(row.user_id)}` },
  // Each shop's payment-provider secret key and webhook secret, bound to the shop (provider-account.service.ts).
  { table: 'provider_accounts', column: 'secret_key_sealed', keyColumns: ['tenant_id'], aad: (row) => String(row.tenant_id) },
  { table: 'provider_accounts', column: 'webhook_secret_sealed', keyColumns: ['tenant_id'], aad: (row) => String(row.tenant_id) },
];
