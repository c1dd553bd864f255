/**
 * Which page loads count as exposed, as SQL LIKE patterns over page ids. Payment pages: a buyer
 * who loaded them could have typed a card into a fake form. Credential pages: whoever loaded
 * them could have typed a password or a code.
 */
export const PAYMENT_PAGE_PATTERNS = ['cart', 'checkout', 'checkout-%', 'payment-%', 'quick-order'] as const;
export const CREDENTIAL_PAGE_PATTERNS = ['account-sign-%', 'account-password-%', 'account-invit%', 'staff-sign-in%', 'staff-password-%', 'staff-mfa%', 'staff-step-up', 'admin-invitation-accept'] as const;
export const DEFAULT_EXPOSED_PAGES: readonly string[] = [...PAYMENT_PAGE_PATTERNS, ...CREDENTIAL_PAGE_PATTERNS];

const toRegex = (pattern: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`);

export function pageMatches(page: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => toRegex(p).test(page));
}

export function isCredentialPattern(pattern: string): boolean {
  return (CREDENTIAL_PAGE_PATTERNS as readonly string[]).includes(pattern) || /sign-|password|mfa|invit|step-up/.test(pattern);
}
