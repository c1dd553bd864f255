/**
 * Pages that take a payment, a password or a second factor, or act with staff rights: any
 * script-level deviation on them is treated as a skimmer until proven otherwise (critical → card
 * stop). The ids are the `page` ids handed to reply.page() and carried in the CSP report-uri.
 */
export const PROTECTED_PAGE_IDS: ReadonlySet<string> = new Set([
  'cart',
  'checkout',
  'checkout-address',
  'checkout-confirm',
  'checkout-complete',
  'payment',
  'payment-return',
  'quick-order',
  'account-sign-in',
  'account-sign-in-totp',
  'account-sign-up',
  'account-password-forgot',
  'account-password-reset',
  'account-invitation',
  'account-invite',
  'salon-profile',
]);

/** Prefixes: every staff, shop console and operator console page, and any future checkout/payment step. */
export const PROTECTED_PAGE_PREFIXES: readonly string[] = ['checkout-', 'payment-', 'staff-', 'admin-', 'operator-', 'account-password-', 'account-sign-'];

export function isProtectedPage(page: string): boolean {
  return PROTECTED_PAGE_IDS.has(page) || PROTECTED_PAGE_PREFIXES.some((prefix) => page.startsWith(prefix));
}
