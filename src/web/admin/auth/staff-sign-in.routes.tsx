import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditAuth, GENERIC_LOGIN_ERROR, signInWithPassword } from '../../../domains/auth/login.service.ts';
import { staffRelyingParty } from '../../../domains/auth/passkey.service.ts';
import { requestPasswordReset, resetPassword, resetTokenIsOpen } from '../../../domains/auth/password-reset.service.ts';
import { revokeSession, revokeUserSessions, SESSION_LIFETIMES } from '../../../domains/auth/session.service.ts';
import { DomainError, RateLimitedError } from '../../../domains/shared/domain-error.ts';
import { withIdentity } from '../../../platform/db/tenant-scope.ts';
import { safeNextPath } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inPlatformRequest } from '../../../platform/http/request-scope.ts';
import { clearSessionCookie, setSessionCookie } from '../../../platform/http/session-cookie.ts';
import { StaffForgotPage, StaffResetPage, StaffSignInPage } from './staff-auth.view.tsx';
import { inStaffAuthScope, staffContext } from './staff-auth-scope.ts';

/**
 * Staff sign-in on the staff origin (shop staff and operator staff alike). A password opens a
 * session that reaches only /admin/mfa until a second factor passes; every new sign-in is mailed
 * to the staff member. Sign out, sign out everywhere, and password reset by emailed link.
 */

const signInBody = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(500).optional().catch(undefined),
});

export function staffSignInRoutes(app: FastifyInstance, platform: Platform) {
  const css = () => platform.assets.url('css/app.css');

  app.get('/admin/sign-in', async (request, reply) => {
    const q = request.query as { next?: string; notice?: string };
    const next = q.next ? safeNextPath(q.next, '') || undefined : undefined;
    const notice = q.notice === 'signed-out' ? 'サインアウトしました。' : q.notice === 'password-reset' ? 'パスワードを変更しました。新しいパスワードでサインインしてください。' : undefined;
    return reply.page(<StaffSignInPage stylesheetUrl={css()} csrf={request.csrfToken()} next={next} notice={notice} />, { page: 'staff-sign-in' });
  });

  app.post('/admin/sign-in', async (request, reply) => {
    const body = signInBody.parse(request.body ?? {});
    const next = body.next ? safeNextPath(body.next, '') || undefined : undefined;
    const again = (error: string, status: number) =>
      reply.page(<StaffSignInPage stylesheetUrl={css()} csrf={request.csrfToken()} next={next} email={body.email} error={error} />, { page: 'staff-sign-in', status });
    if (!body.email || !body.password) return again('メールアドレスとパスワードを入力してください。', 400);
    let result: Awaited<ReturnType<typeof signInWithPassword>>;
    try {
      result = await signInWithPassword(platform.database, { kind: 'staff', email: body.email, password: body.password }, staffContext(request));
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      reply.header('retry-after', String(err.retryAfterSeconds));
      return again('サインインの試行が多すぎます。しばらくしてからもう一度お試しください。', 429);
    }
    if (result.outcome !== 'session') return again(GENERIC_LOGIN_ERROR, 401);
    setSessionCookie(reply, platform.config, result.token, SESSION_LIFETIMES[result.session.audience].absoluteSeconds);
    return reply.redirect(`/admin/mfa${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
  });

  app.post('/admin/sign-out', async (request, reply) => {
    const session = await inPlatformRequest(platform, request, async ({ session }) => session);
    if (session && (session.audience === 'staff' || session.audience === 'operator')) {
      await withIdentity(platform.database, { tenantId: session.bound_tenant_id, principalId: session.user_id, audience: session.audience }, async (tx) => {
        await revokeSession(tx, session.id, 'sign_out');
        await auditAuth(tx, { kind: 'staff', userId: session.user_id, tenantId: session.bound_tenant_id }, 'auth.sign_out', 'success', staffContext(request));
      });
    }
    clearSessionCookie(reply, platform.config);
    return reply.redirect('/admin/sign-in?notice=signed-out', 303);
  });

  app.post('/admin/sign-out-everywhere', async (request, reply) => {
    await inStaffAuthScope(platform, request, async ({ tx, user, staff }) => {
      const count = await revokeUserSessions(tx, user.userId, 'sign_out_everywhere');
      await auditAuth(tx, user, 'auth.sign_out_everywhere', 'success', staffContext(request), { label: staff.email, detail: { sessions: count } });
    });
    clearSessionCookie(reply, platform.config);
    return reply.redirect('/admin/sign-in?notice=signed-out', 303);
  });

  app.get('/admin/password/forgot', async (request, reply) => reply.page(<StaffForgotPage stylesheetUrl={css()} csrf={request.csrfToken()} />, { page: 'staff-password-forgot' }));

  app.post('/admin/password/forgot', async (request, reply) => {
    const raw = String((request.body as { email?: unknown } | undefined)?.email ?? '').slice(0, 300);
    const email = z.string().trim().min(3).max(254).email().safeParse(raw);
    if (!email.success) {
      return reply.page(<StaffForgotPage stylesheetUrl={css()} csrf={request.csrfToken()} email={raw} error="メールアドレスを正しく入力してください。" />, {
        page: 'staff-password-forgot',
        status: 400,
      });
    }
    const origin = staffRelyingParty(platform.config).origin;
    try {
      await requestPasswordReset(platform.database, { kind: 'staff', email: email.data }, staffContext(request), (t) => `${origin}/admin/password/reset?token=${t}`);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      return reply.page(<StaffForgotPage stylesheetUrl={css()} csrf={request.csrfToken()} email={raw} error={err.message} />, { page: 'staff-password-forgot', status: 429 });
    }
    return reply.page(<StaffForgotPage stylesheetUrl={css()} csrf={request.csrfToken()} sent />, { page: 'staff-password-forgot' });
  });

  app.get('/admin/password/reset', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '').slice(0, 200);
    const open = await resetTokenIsOpen(platform.database, token);
    return reply.page(<StaffResetPage stylesheetUrl={css()} csrf={request.csrfToken()} token={token} expired={!open} />, { page: 'staff-password-reset', status: open ? 200 : 400 });
  });

  app.post('/admin/password/reset', async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown; password?: unknown };
    const token = String(body.token ?? '').slice(0, 200);
    try {
      const result = await resetPassword(platform.database, { token, password: String(body.password ?? '').slice(0, 1024) }, staffContext(request));
      if (!result.ok) return reply.page(<StaffResetPage stylesheetUrl={css()} csrf={request.csrfToken()} token="" expired />, { page: 'staff-password-reset', status: 400 });
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      return reply.page(<StaffResetPage stylesheetUrl={css()} csrf={request.csrfToken()} token={token} errors={err.fieldErrors} />, { page: 'staff-password-reset', status: 400 });
    }
    return reply.redirect('/admin/sign-in?notice=password-reset', 303);
  });
}
