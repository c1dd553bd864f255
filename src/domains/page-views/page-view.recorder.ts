import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import type { PageViewer } from '../incidents/incidents.tables.ts';
import { isProtectedPage } from '../security/protected-pages.ts';

/**
 * Every load of a protected page, kept for incident scope: who (member or staff, session), which
 * page, when. Pages are sent after their transaction committed, so a view cannot join the
 * request's transaction; instead each process keeps a small buffer and writes it once a second
 * (one INSERT per shop per second, not one per page). What a crash loses: the views of at most
 * the last second (and of a flush that fails, which is logged). Scope then also relies on the
 * payment attempts, which are written in their own transactions and never lost.
 */

export interface PageViewRow {
  tenantId: string | null;
  page: string;
  viewedAt: Date;
  viewer: PageViewer;
  userId: string | null;
  accountId: string | null;
  sessionId: string | null;
  /** The staff user's shop, for platform pages (staff sign-in). */
  staffTenantId?: string | null;
  browserKey: Buffer | null;
  isSynthetic?: boolean;
}

/** Writes views in the caller's transaction: shop views need that shop's scope, platform views (tenantId null) the platform scope. */
export async function recordProtectedPageView(tx: Tx, view: PageViewRow | readonly PageViewRow[]): Promise<void> {
  const views = Array.isArray(view) ? (view as readonly PageViewRow[]) : [view as PageViewRow];
  const shopRows = views.filter((v) => v.tenantId !== null);
  const platformRows = views.filter((v) => v.tenantId === null);
  if (shopRows.length) {
    await tx
      .insertInto('protected_page_views')
      .values(
        shopRows.map((v) => ({
          tenant_id: v.tenantId as string,
          viewed_at: v.viewedAt,
          page: v.page,
          viewer: v.viewer,
          user_id: v.userId,
          account_id: v.accountId,
          session_id: v.sessionId,
          browser_key: v.browserKey,
          is_synthetic: v.isSynthetic ?? false,
        })),
      )
      .execute();
  }
  if (platformRows.length) {
    await tx
      .insertInto('platform_page_views')
      .values(
        platformRows.map((v) => ({
          viewed_at: v.viewedAt,
          page: v.page,
          viewer: v.viewer,
          user_id: v.userId,
          account_id: v.accountId,
          staff_tenant_id: v.staffTenantId ?? null,
          session_id: v.sessionId,
          browser_key: v.browserKey,
          is_synthetic: v.isSynthetic ?? false,
        })),
      )
      .execute();
  }
}

/** The browser's key: 16 bytes of sha256 of its CSRF cookie (the cookie itself is never stored). */
export function browserKeyOf(csrfCookie: string | undefined): Buffer | null {
  if (!csrfCookie) return null;
  return createHash('sha256').update(`page-view:${csrfCookie}`).digest().subarray(0, 16);
}

export interface PendingView {
  tenantId: string | null;
  page: string;
  viewedAt: Date;
  sessionTokenHash: string | null;
  browserKey: Buffer | null;
}

export interface PageViewBuffer {
  /** Cheap: filters and pushes, no I/O. */
  add(view: PendingView): void;
  /** Writes what is buffered now (also called by the timer and on stop). */
  flush(): Promise<number>;
  stop(): Promise<void>;
  readonly pending: number;
}

const MAX_BUFFERED = 50_000;

export function createPageViewBuffer(database: Database, log: Pick<Logger, 'error' | 'warn'>, options: { flushMs?: number } = {}): PageViewBuffer {
  let pending: PendingView[] = [];
  let flushing: Promise<number> | null = null;
  let dropped = 0;

  async function write(batch: PendingView[]): Promise<number> {
    const hashes = [...new Set(batch.map((v) => v.sessionTokenHash).filter((h): h is string => h !== null))];
    const sessions = hashes.length
      ? await withPlatform(database, (tx) =>
          tx.selectFrom('sessions').select(['id', 'token_hash', 'audience', 'user_id', 'account_id', 'bound_tenant_id']).where('token_hash', 'in', hashes).execute(),
        )
      : [];
    const byHash = new Map(sessions.map((s) => [s.token_hash, s]));
    const rows: PageViewRow[] = batch.map((v) => {
      const s = v.sessionTokenHash ? byHash.get(v.sessionTokenHash) : undefined;
      return {
        tenantId: v.tenantId,
        page: v.page,
        viewedAt: v.viewedAt,
        viewer: s ? s.audience : 'anonymous',
        userId: s?.user_id ?? null,
        accountId: s?.account_id ?? null,
        sessionId: s?.id ?? null,
        staffTenantId: s?.audience === 'staff' ? s.bound_tenant_id : null,
        browserKey: v.browserKey,
      };
    });
    const byTenant = new Map<string | null, PageViewRow[]>();
    for (const row of rows) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
    for (const [tenantId, group] of byTenant) {
      if (tenantId === null) await withPlatform(database, (tx) => recordProtectedPageView(tx, group));
      else await withTenant(database, tenantId, (tx) => recordProtectedPageView(tx, group));
    }
    return rows.length;
  }

  async function flush(): Promise<number> {
    if (flushing) await flushing;
    if (!pending.length) return 0;
    const batch = pending;
    pending = [];
    flushing = write(batch).catch((err) => {
      log.error({ err, event: 'page_view.flush_failed', lost: batch.length }, 'protected page views not recorded');
      return 0;
    });
    try {
      return await flushing;
    } finally {
      flushing = null;
    }
  }

  const timer = setInterval(() => void flush(), options.flushMs ?? 1000);
  timer.unref();

  return {
    add(view) {
      if (!isProtectedPage(view.page)) return;
      if (pending.length >= MAX_BUFFERED) {
        // The database is not keeping up: keep serving pages, count what scope will miss.
        if (dropped++ % 1000 === 0) log.warn({ event: 'page_view.dropped', dropped }, 'page view buffer full');
        return;
      }
      pending.push(view);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
    get pending() {
      return pending.length;
    },
  };
}
