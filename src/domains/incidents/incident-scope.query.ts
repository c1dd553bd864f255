import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { unsafeAcrossTenants } from '../operator/across-tenants.ts';
import { isCredentialPattern } from './exposed-pages.ts';
import type { IncidentShopView, IncidentView } from './incident.service.ts';
import type { IncidentActor } from './incident-actor.ts';

/**
 * Who was exposed in one shop during its window, in three sets:
 * 1. card payers: members who started a card payment (any outcome: succeeded, failed,
 *    abandoned, refunded) — with brand, last four and the provider's payment id per attempt;
 * 2. page-view-only: members who loaded an exposed checkout or payment page and did not start a
 *    card payment (a fake card form could have taken their card);
 * 3. credentials: members and the shop's staff who loaded an exposed sign-in or password page.
 * Synthetic monitor activity is excluded; the shop's own scope (RLS) keeps other shops out, and
 * platform page views count only for this shop's members and staff. Window bounds are inclusive
 * to the second.
 */

export interface ScopeContact {
  kind: 'salon' | 'staff';
  accountId: string | null;
  userId: string | null;
  companyName: string;
  salonName: string;
  contactName: string;
  email: string;
  postalCode: string;
  address: string;
  phone: string;
  /** No usable postal address: notify by email and flag for follow-up (never dropped). */
  postalMissing: boolean;
}

export interface CardAttempt {
  paymentId: string;
  orderId: string;
  /** '' unless the scope was computed with `orderNumbers` (exports and documents). */
  orderNumber: string;
  startedAt: Date;
  status: string;
  cardBrand: string | null;
  cardLast4: string | null;
  providerPaymentId: string | null;
  amountYen: number;
  refundedYen: number;
}

export interface ShopScope {
  tenantId: string;
  windowStart: Date;
  windowEnd: Date;
  cardPayers: (ScopeContact & { attempts: CardAttempt[] })[];
  pageViewOnly: (ScopeContact & { firstViewAt: Date; views: number; pages: string[] })[];
  credentialExposed: (ScopeContact & { firstViewAt: Date; pages: string[] })[];
  counts: { cardPayers: number; cardAttempts: number; pageViewOnly: number; members: number; credentialExposed: number; postalMissing: number };
}

const credentialPatternsOf = (shop: IncidentShopView) => shop.exposedPages.filter(isCredentialPattern);
const paymentPatternsOf = (shop: IncidentShopView) => shop.exposedPages.filter((p) => !isCredentialPattern(p));

interface PlatformCredentialView {
  user_id: string;
  account_id: string | null;
  staff_tenant_id: string | null;
  viewer: string;
  page: string;
  viewed_at: Date;
}

interface AccountRow {
  id: string;
  company_name: string;
  salon_name: string;
  representative_name: string;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: string;
  phone: string;
}

async function accountsById(tx: Tx, ids: readonly string[]): Promise<Map<string, AccountRow>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .selectFrom('salon_accounts')
    .select(['id', 'company_name', 'salon_name', 'representative_name', 'postal_code', 'prefecture', 'city', 'address_line1', 'address_line2', 'phone'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function salonUsers(tx: Tx, accountIds: readonly string[]) {
  if (!accountIds.length) return [];
  return tx.selectFrom('salon_users').select(['id', 'account_id', 'email', 'display_name', 'role', 'is_synthetic', 'status']).where('account_id', 'in', [...accountIds]).execute();
}

function salonContact(account: AccountRow, user: { id: string; email: string; display_name: string } | undefined): ScopeContact {
  const postalMissing = !/^\d{7}$/.test(account.postal_code) || !account.prefecture.trim() || !account.city.trim() || !account.address_line1.trim();
  return {
    kind: 'salon',
    accountId: account.id,
    userId: user?.id ?? null,
    companyName: account.company_name,
    salonName: account.salon_name,
    contactName: user?.display_name ?? account.representative_name,
    email: user?.email ?? '',
    postalCode: account.postal_code,
    address: `${account.prefecture}${account.city}${account.address_line1}${account.address_line2 ? ` ${account.address_line2}` : ''}`,
    phone: account.phone,
    postalMissing,
  };
}

/** Credential-page loads on platform pages (sign-in on the platform origin), read in the platform scope. */
async function platformCredentialViews(tx: Tx, shop: IncidentShopView): Promise<PlatformCredentialView[]> {
  const start = shop.windowStart;
  const end = shop.windowEnd;
  const credentialPatterns = credentialPatternsOf(shop);
  if (!shop.platformPagesExposed || !credentialPatterns.length) return [];

  // Platform pages live outside every shop: read here, in the platform scope; the shop's scope
  // then keeps only its own members and staff.
          const views = await sql<{ user_id: string | null; account_id: string | null; staff_tenant_id: string | null; viewer: string; page: string; viewed_at: Date; browser_key: string | null }>`
            SELECT user_id, account_id, staff_tenant_id, viewer, page, viewed_at, encode(browser_key, 'hex') AS browser_key FROM platform_page_views
            WHERE viewed_at >= ${start} AND viewed_at <= ${end} AND NOT is_synthetic AND page LIKE ANY (${sql.val(credentialPatterns)}::text[])`.execute(tx);
          // Anonymous loads (the sign-in form before signing in): the user who signed in from
          // that browser within a day after is attributed through the browser key.
          const anonymousKeys = [...new Set(views.rows.filter((v) => !v.user_id && v.browser_key).map((v) => v.browser_key!))];
          const linked = anonymousKeys.length
            ? (
                await sql<{ key: string; user_id: string; account_id: string | null; staff_tenant_id: string | null; viewer: string }>`
                SELECT DISTINCT ON (encode(browser_key, 'hex'), user_id) encode(browser_key, 'hex') AS key, user_id, account_id, staff_tenant_id, viewer FROM platform_page_views
                WHERE encode(browser_key, 'hex') = ANY (${sql.val(anonymousKeys)}::text[]) AND user_id IS NOT NULL
                  AND viewed_at >= ${start} AND viewed_at <= ${new Date(end.getTime() + 86_400_000)}`.execute(tx)
              ).rows
            : [];
          const out = views.rows.filter((v) => v.user_id).map((v) => ({ ...v, user_id: v.user_id! }));
          for (const v of views.rows.filter((r) => !r.user_id && r.browser_key)) {
            for (const l of linked.filter((x) => x.key === v.browser_key!)) {
              out.push({ ...v, user_id: l.user_id, account_id: l.account_id, staff_tenant_id: l.staff_tenant_id, viewer: l.viewer });
            }
          }
          return out;
}

/** The three sets of one shop, in that shop's scope (`platformViews` read before, in the platform scope). */
export async function shopScopeIn(tx: Tx, shop: IncidentShopView, platformViews: readonly PlatformCredentialView[]): Promise<ShopScope> {
  const start = shop.windowStart;
  const end = shop.windowEnd;
  const paymentPatterns = paymentPatternsOf(shop);
  const credentialPatterns = credentialPatternsOf(shop);
    // One row per member with their attempts packed as text (fields split by U+001F, attempts by
    // U+001E): cheaper for the database than building JSON and far fewer rows to send than one per
    // attempt. No join to orders: a payment carries its own synthetic flag and account; order
    // numbers are read only for exports (withOrderNumbers).
    const attempts = await sql<{ account_id: string; attempts: string }>`
      SELECT account_id,
        string_agg(concat_ws(chr(31), id, coalesce(user_id::text, ''), floor(extract(epoch FROM started_at) * 1000)::bigint, status,
          coalesce(card_brand, ''), coalesce(card_last4, ''), coalesce(provider_payment_id, ''), amount_yen, refunded_yen, order_id), chr(30)) AS attempts
      FROM payments
      WHERE tenant_id = ${shop.tenantId} AND method = 'card' AND NOT is_synthetic AND started_at >= ${start} AND started_at <= ${end}
      GROUP BY account_id`.execute(tx);

    // Grouped by page too, so the database can hash-aggregate instead of sorting every view.
    const views = paymentPatterns.length
      ? (
          await sql<{ account_id: string; user_id: string | null; page: string; first_at: Date; n: number }>`
          SELECT account_id, user_id, page, min(viewed_at) AS first_at, count(*)::int AS n
          FROM protected_page_views
          WHERE tenant_id = ${shop.tenantId} AND viewed_at >= ${start} AND viewed_at <= ${end}
            AND account_id IS NOT NULL AND viewer = 'salon' AND NOT is_synthetic AND page LIKE ANY (${sql.val(paymentPatterns)}::text[])
          GROUP BY account_id, user_id, page`.execute(tx)
        ).rows
      : [];

    const shopCredentialViews = credentialPatterns.length
      ? (
          await sql<{ user_id: string; account_id: string | null; viewer: string; page: string; viewed_at: Date }>`
          SELECT user_id, account_id, viewer, page, viewed_at FROM protected_page_views
          WHERE tenant_id = ${shop.tenantId} AND viewed_at >= ${start} AND viewed_at <= ${end}
            AND user_id IS NOT NULL AND NOT is_synthetic AND page LIKE ANY (${sql.val(credentialPatterns)}::text[])`.execute(tx)
        ).rows
      : [];

    const credentialViews = [
      ...shopCredentialViews,
      ...platformViews.filter((v) => v.viewer === 'salon' || (v.viewer === 'staff' && v.staff_tenant_id === shop.tenantId)),
    ];

    const accountIds = [
      ...new Set([...attempts.rows.map((a) => a.account_id), ...views.map((v) => v.account_id), ...credentialViews.filter((v) => v.viewer === 'salon' && v.account_id).map((v) => v.account_id!)]),
    ];
    // Salon accounts visible in this scope are exactly this shop's members (RLS through memberships).
    const accounts = await accountsById(tx, accountIds);
    const users = await salonUsers(tx, [...accounts.keys()]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const ownerOf = new Map<string, (typeof users)[number]>();
    for (const u of users) if (u.role === 'owner' && !u.is_synthetic && (!ownerOf.has(u.account_id) || u.status === 'active')) ownerOf.set(u.account_id, u);
    const isSyntheticUser = (id: string | null) => (id ? userById.get(id)?.is_synthetic === true : false);
    const contactFor = (accountId: string, userId: string | null) => {
      const account = accounts.get(accountId);
      if (!account) return null;
      const user = (userId ? userById.get(userId) : undefined) ?? ownerOf.get(accountId);
      return salonContact(account, user);
    };

    const payers = new Map<string, ScopeContact & { attempts: CardAttempt[] }>();
    const orNull = (v: string | undefined) => (v ? v : null);
    for (const row of attempts.rows) {
      const packed = row.attempts.split('\u001e').map((a) => a.split('\u001f'));
      packed.sort((a, b) => Number(a[2]) - Number(b[2]) || (a[0]! < b[0]! ? -1 : 1));
      for (const [paymentId, userId, startedAt, status, cardBrand, cardLast4, providerPaymentId, amountYen, refundedYen, orderId] of packed) {
        if (isSyntheticUser(orNull(userId))) continue;
        let entry = payers.get(row.account_id);
        if (!entry) {
          const contact = contactFor(row.account_id, orNull(userId));
          if (!contact) break;
          entry = { ...contact, attempts: [] };
          payers.set(row.account_id, entry);
        }
        entry.attempts.push({
          paymentId: paymentId!,
          orderId: orderId!,
          orderNumber: '',
          startedAt: new Date(Number(startedAt)),
          status: status!,
          cardBrand: orNull(cardBrand),
          cardLast4: orNull(cardLast4),
          providerPaymentId: orNull(providerPaymentId),
          amountYen: Number(amountYen),
          refundedYen: Number(refundedYen),
        });
      }
    }

    const viewers = new Map<string, ScopeContact & { firstViewAt: Date; views: number; pages: string[] }>();
    for (const v of views) {
      if (payers.has(v.account_id) || isSyntheticUser(v.user_id)) continue;
      const existing = viewers.get(v.account_id);
      if (existing) {
        existing.views += Number(v.n);
        if (!existing.pages.includes(v.page)) existing.pages.push(v.page);
        if (new Date(v.first_at) < existing.firstViewAt) existing.firstViewAt = new Date(v.first_at);
        continue;
      }
      const contact = contactFor(v.account_id, v.user_id);
      if (contact) viewers.set(v.account_id, { ...contact, firstViewAt: new Date(v.first_at), views: Number(v.n), pages: [v.page] });
    }

    const staffIds = [...new Set(credentialViews.filter((v) => v.viewer === 'staff').map((v) => v.user_id))];
    const staff = staffIds.length
      ? await tx.selectFrom('staff_users').select(['id', 'email', 'display_name', 'tenant_id']).where('id', 'in', staffIds).where('tenant_id', '=', shop.tenantId).execute()
      : [];
    const staffById = new Map(staff.map((s) => [s.id, s]));
    const credentials = new Map<string, ScopeContact & { firstViewAt: Date; pages: string[] }>();
    for (const v of credentialViews) {
      if (isSyntheticUser(v.user_id)) continue;
      const at = new Date(v.viewed_at);
      const existing = credentials.get(v.user_id);
      if (existing) {
        if (!existing.pages.includes(v.page)) existing.pages.push(v.page);
        if (at < existing.firstViewAt) existing.firstViewAt = at;
        continue;
      }
      let contact: ScopeContact | null = null;
      if (v.viewer === 'salon' && v.account_id && accounts.has(v.account_id)) {
        const user = userById.get(v.user_id);
        if (user) contact = salonContact(accounts.get(v.account_id)!, user);
      } else if (v.viewer === 'staff') {
        const s = staffById.get(v.user_id);
        if (s) {
          contact = { kind: 'staff', accountId: null, userId: s.id, companyName: '', salonName: '', contactName: s.display_name, email: s.email, postalCode: '', address: '', phone: '', postalMissing: true };
        }
      }
      if (contact) credentials.set(v.user_id, { ...contact, firstViewAt: at, pages: [v.page] });
    }

    const byFirst = (a: Date, b: Date) => a.getTime() - b.getTime();
    const cardPayers = [...payers.values()].sort((a, b) => byFirst(a.attempts[0]!.startedAt, b.attempts[0]!.startedAt));
    const pageViewOnly = [...viewers.values()].sort((a, b) => byFirst(a.firstViewAt, b.firstViewAt));
    for (const v of pageViewOnly) v.pages.sort();
    const credentialExposed = [...credentials.values()];
    const members = new Set([...cardPayers, ...pageViewOnly].map((c) => c.accountId));
    return {
      tenantId: shop.tenantId,
      windowStart: start,
      windowEnd: end,
      cardPayers,
      pageViewOnly,
      credentialExposed,
      counts: {
        cardPayers: cardPayers.length,
        cardAttempts: cardPayers.reduce((n, p) => n + p.attempts.length, 0),
        pageViewOnly: pageViewOnly.length,
        members: members.size,
        credentialExposed: credentialExposed.length,
        postalMissing: [...cardPayers, ...pageViewOnly].filter((c) => c.postalMissing).length,
      },
    };
  }

/**
 * Fills each attempt's order number (exports and documents only). One semi-join of the window's
 * payments against orders, both read from covering indexes (0021), instead of a lookup per row.
 */
export async function withOrderNumbers(tx: Tx, scope: ShopScope): Promise<ShopScope> {
  if (!scope.cardPayers.length) return scope;
  const rows = await sql<{ id: string; order_number: string }>`
    SELECT o.id, o.order_number FROM orders o
    WHERE o.tenant_id = ${scope.tenantId} AND o.id IN (
      SELECT p.order_id FROM payments p
      WHERE p.tenant_id = ${scope.tenantId} AND p.method = 'card' AND NOT p.is_synthetic AND p.started_at >= ${scope.windowStart} AND p.started_at <= ${scope.windowEnd})`.execute(tx);
  const numberOf = new Map(rows.rows.map((r) => [r.id, r.order_number]));
  for (const payer of scope.cardPayers) for (const a of payer.attempts) a.orderNumber = numberOf.get(a.orderId) ?? '';
  return scope;
}

/**
 * Scope of every shop of an incident (or the given ones): one audited cross-shop run
 * (unsafeAcrossTenants records who, why and which shops), each shop in its own scope.
 * `orderNumbers`: also read each attempt's order number (for the CSVs and documents).
 */
export async function computeIncidentScope(
  database: Database,
  actor: IncidentActor,
  view: IncidentView,
  tenantIds?: readonly string[],
  options: { orderNumbers?: boolean } = {},
): Promise<Map<string, ShopScope>> {
  const shops = view.shops.filter((s) => !tenantIds || tenantIds.includes(s.tenantId));
  if (!shops.length) return new Map();
  const platformViews = await withPlatform(database, async (tx) => {
    const out = new Map<string, PlatformCredentialView[]>();
    for (const shop of shops) out.set(shop.tenantId, await platformCredentialViews(tx, shop));
    return out;
  });
  return unsafeAcrossTenants(
    database,
    { actor: { type: actor.type, id: actor.id, label: actor.label }, reason: `インシデント ${view.incident.number} の影響範囲の特定`, tenantIds: shops.map((s) => s.tenantId) },
    async (tenantId, tx) => {
      const scope = await shopScopeIn(tx, shops.find((s) => s.tenantId === tenantId)!, platformViews.get(tenantId) ?? []);
      return options.orderNumbers ? withOrderNumbers(tx, scope) : scope;
    },
  );
}

/**
 * One shop's own scope, for its staff: the shop's rows in its own scope (no cross-shop path), and
 * the platform's sign-in page loads narrowed to this shop's members and staff as for the operator.
 */
export async function computeOwnShopScope(database: Database, shop: IncidentShopView): Promise<ShopScope> {
  const platformViews = await withPlatform(database, (tx) => platformCredentialViews(tx, shop));
  return withTenant(database, shop.tenantId, (tx) => shopScopeIn(tx, shop, platformViews));
}
