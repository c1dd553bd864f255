/**
 * How long each kind of record stays online. Orders, invoices and every issued document are kept
 * 7 years (電子帳簿保存法: 7 years from the filing deadline of the business year) and are NOT in
 * the purge list at all — no code path deletes them. Security logs stay 12 months online (PCI DSS
 * 10.5.1 keeps audit logs a year with three months immediately available). Sessions are part of
 * the security log (who was signed in, from where: the incident response asks exactly this), so
 * they follow the 12 months too.
 */
export const RETENTION = {
  ordersAndInvoicesYears: 7,
  securityLogMonths: 12,
  /** Rate-limit windows are useless once they have closed; the longest window in use is 1 h. */
  rateLimitWindowSeconds: 3600,
  /** Used or expired single-use tokens (reset links, invitations, handoffs) kept for questions. */
  authTokenDays: 30,
} as const;

/** Tables the purge job may touch. Anything else — orders above all — is never purged by it. */
export const PURGEABLE_TABLES = ['csp_reports', 'rate_limit_counters', 'auth_tokens', 'sessions'] as const;
