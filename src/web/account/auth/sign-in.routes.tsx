import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditAuth, completeSalonTotp, GENERIC_LOGIN_ERROR, signInWithPassword } from '../../../domains/auth/login.service.ts';
import { revokeSession, revokeUserSessions, SESSION_LIFETIMES } from '../../../domains/auth/session.service.ts';
import { issueHandoff } from '../../../domains/auth/session-handoff.service.ts';
import { RateLimitedError } from '../../../domains/shared/domain-error.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import type { Session, Tenant } from '../../../platform/db/schema.ts';
import { type Tx, withPlatform } from '../../../platform/db/tenant-scope.ts';
import { safeNextPath } from '../../../platform/http/auth-errors.ts';
import { loadSalonPrincipal, requireSalon } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inPlatformRequest } from '../../../platform/http/request-scope.ts';
import { clearSessionCookie, setSessionCookie } from '../../../platform/http/session-cookie.ts';
import { shopHomeUrl } from '../../../platform/http/shop-urls.ts';
import { SalonTotpPage, SignInPage } from './account-auth.view.tsx';
import { requestContext } from './request-context.ts';

/**
 * Salon sign-in on the platform origin (/account/sign-in), the one watched login page for every
 * shop. `?shop=<slug>&next=<path on the shop>` sends the salon on to that shop's origin through a
 * single-use handoff; a salon already signed in here is handed off at once.
 */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const SALON_HOME = '/account/';

const target = z.object({
  shop: z.string().regex(SLUG).optional().catch(undefined),
  next: z.string().max(500).optional().catch(undefined),
});

type ShopRow = Pick<Tenant, 'id' | 'slug' | 'custom_host' | 'display_name' | 'status'>;

async function findShop(tx: Tx, slug: string | undefined): Promise<ShopRow | null> {
  if (!slug) return null;
  const shop = await tx.selectFrom('tenants').select(['id', 'slug', 'custom_host', 'display_name', 'status']).where('slug', '=', slug).executeTakeFirst();
  return shop && shop.status !== 'closed' ? shop : null;
}

/** Where a salon goes after signing in: through the shop's handoff, or to its account pages. */
async function destination(platform: Platform, tx: Tx, session: Session, shop: ShopRow | null, next: string | undefined): Promise<string> {
  if (!shop) return safeNextPath(next, SALON_HOME);
  const token = await issueHandoff(tx, session, shop.id);
  const q = new URLSearchParams({ token, next: safeNextPath(next, '/') });
  return `${shopHomeUrl(platform.config, shop)}session/handoff?${q}`;
}

function formActions(platform: Platform, shop: ShopRow | null): string[] {
  // The sign-in form's redirect goes on to the shop's origin; CSP form-action covers redirects.
  if (!shop) return [];
  const home = shopHomeUrl(platform.config, shop);
  return home.startsWith('http') ? [new URL(home).origin] : [];
}

export function salonSignInRoutes(app: FastifyInstance, platform: Platform) {
  const box = new SecretBox(platform.secrets);
  const css = () => platform.assets.url('css/app.css');

  const renderSignIn = (request: FastifyRequest, reply: FastifyReply, shop: ShopRow | null, extra: { email?: string; next?: string; error?: string; notice?: string; status?: number }) =>
    reply.page(
      <SignInPage
        stylesheetUrl={css()}
        csrf={request.csrfToken()}
        shop={shop?.slug}
        shopName={shop?.display_name}
        next={extra.next}
        email={extra.email}
        error={extra.error}
        notice={extra.notice}
      />,
      { page: 'account-sign-in', status: extra.status, formActionOrigins: formActions(platform, shop) },
    );

  app.get('/account/sign-in', async (request, reply) => {
    const q = target.parse(request.query ?? {});
    const notice = (request.query as { notice?: string }).notice;
    const { shop, go } = await inPlatformRequest(platform, request, async ({ tx, session }) => {
      const found = await findShop(tx, q.shop);
      const principal = await loadSalonPrincipal({ tx, session });
      // Already signed in on the platform: straight on (the handoff for a shop origin).
      const go = principal && session ? await destination(platform, tx, session, found, q.next) : null;
      return { shop: found, go };
    });
    if (go) return reply.redirect(go, 303);
    const notices: Record<string, string> = {
      'signed-up': 'ご登録ありがとうございます。確認メールをお送りしました。サインインしてご利用ください。',
      'signed-out': 'サインアウトしました。',
      'password-reset': 'パスワードを変更しました。新しいパスワードでサインインしてください。',
    };
    return renderSignIn(request, reply, shop, { next: q.next, notice: notice ? notices[notice] : undefined });
  });

  const signInBody = z.object({
    email: z.string().trim().max(254).default(''),
    password: z.string().max(1024).default(''),
    shop: z.string().regex(SLUG).optional().catch(undefined),
    next: z.string().max(500).optional().catch(undefined),
  });

  app.post('/account/sign-in', async (request, reply) => {
    const body = signInBody.parse(request.body ?? {});
    const shop = await withPlatform(platform.database, (tx) => findShop(tx, body.shop));
    if (!body.email || !body.password) {
      return renderSignIn(request, reply, shop, { email: body.email, next: body.next, error: 'メールアドレスとパスワードを入力してください。', status: 400 });
    }
    let result: Awaited<ReturnType<typeof signInWithPassword>>;
    try {
      result = await signInWithPassword(platform.database, { kind: 'salon', email: body.email, password: body.password }, requestContext(request));
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      reply.header('retry-after', String(err.retryAfterSeconds));
      return renderSignIn(request, reply, shop, { email: body.email, next: body.next, error: 'サインインの試行が多すぎます。しばらくしてからもう一度お試しください。', status: 429 });
    }
    if (result.outcome === 'failed') return renderSignIn(request, reply, shop, { email: body.email, next: body.next, error: GENERIC_LOGIN_ERROR, status: 401 });
    if (result.outcome === 'totp_required') {
      return reply.page(<SalonTotpPage stylesheetUrl={css()} csrf={request.csrfToken()} pendingToken={result.pendingToken} shop={shop?.slug} next={body.next} />, {
        page: 'account-sign-in-totp',
        formActionOrigins: formActions(platform, shop),
      });
    }
    const { token, session } = result;
    const go = await withPlatform(platform.database, (tx) => destination(platform, tx, session, shop, body.next));
    setSessionCookie(reply, platform.config, token, SESSION_LIFETIMES.salon.absoluteSeconds);
    return reply.redirect(go, 303);
  });

  const totpBody = z.object({
    pending: z.string().max(200).default(''),
    code: z.string().max(20).default(''),
    shop: z.string().regex(SLUG).optional().catch(undefined),
    next: z.string().max(500).optional().catch(undefined),
  });

  app.post('/account/sign-in/totp', async (request, reply) => {
    const body = totpBody.parse(request.body ?? {});
    const shop = await withPlatform(platform.database, (tx) => findShop(tx, body.shop));
    let result: Awaited<ReturnType<typeof completeSalonTotp>>;
    try {
      result = await completeSalonTotp(platform.database, box, { pendingToken: body.pending, code: body.code }, requestContext(request));
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      result = { outcome: 'expired' };
    }
    if (result.outcome === 'expired') {
      return renderSignIn(request, reply, shop, { next: body.next, error: '確認の有効期限が切れました。もう一度サインインしてください。', status: 401 });
    }
    if (result.outcome === 'failed') {
      return reply.page(
        <SalonTotpPage stylesheetUrl={css()} csrf={request.csrfToken()} pendingToken={body.pending} shop={shop?.slug} next={body.next} error="確認コードが正しくないか、リカバリーコードが使用済みです。" />,
        { page: 'account-sign-in-totp', status: 401, formActionOrigins: formActions(platform, shop) },
      );
    }
    const { token, session } = result;
    const go = await withPlatform(platform.database, (tx) => destination(platform, tx, session, shop, body.next));
    setSessionCookie(reply, platform.config, token, SESSION_LIFETIMES.salon.absoluteSeconds);
    return reply.redirect(go, 303);
  });

  app.post('/account/sign-out', async (request, reply) => {
    await inPlatformRequest(platform, request, async ({ tx, session }) => {
      if (!session) return;
      await revokeSession(tx, session.id, 'sign_out');
      if (session.audience === 'salon') {
        await auditAuth(tx, { kind: 'salon', userId: session.user_id, tenantId: null }, 'auth.sign_out', 'success', requestContext(request));
      }
    });
    clearSessionCookie(reply, platform.config);
    return reply.redirect('/account/sign-in?notice=signed-out', 303);
  });

  app.post('/account/sign-out-everywhere', async (request, reply) => {
    await inPlatformRequest(platform, request, async ({ tx, session }) => {
      const me = await requireSalon({ tx, session }, '/account/sign-in');
      const count = await revokeUserSessions(tx, me.userId, 'sign_out_everywhere');
      await auditAuth(tx, { kind: 'salon', userId: me.userId, tenantId: null }, 'auth.sign_out_everywhere', 'success', requestContext(request), {
        label: me.email,
        detail: { sessions: count },
      });
    });
    clearSessionCookie(reply, platform.config);
    return reply.redirect('/account/sign-in?notice=signed-out', 303);
  });
}
