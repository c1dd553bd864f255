import type { FastifyInstance } from 'fastify';
import { checkCurrentPassword } from '../../../domains/auth/credentials.service.ts';
import { auditAuth, recordLoginFailure } from '../../../domains/auth/login.service.ts';
import { staffRelyingParty } from '../../../domains/auth/passkey.service.ts';
import { markSteppedUp } from '../../../domains/auth/session.service.ts';
import { checkSecondFactor, factorSummary } from '../../../domains/auth/staff-mfa.service.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import { mfaRequired, safeNextPath } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { consumeRateLimit } from '../../../platform/http/rate-limit.ts';
import { StepUpPage } from './staff-auth.view.tsx';
import { inStaffAuthScope, isLocked, staffContext, staffHome } from './staff-auth-scope.ts';

/**
 * /admin/step-up?next=…: re-authentication before a sensitive action (requireStepUp sends staff
 * here). Password, TOTP code or passkey; success marks the session stepped up and returns to next.
 */

function consoleNext(value: unknown, fallback: string): string {
  const n = safeNextPath(value, '');
  return n.startsWith('/admin') || n.startsWith('/operator') ? n : fallback;
}

export function staffStepUpRoutes(app: FastifyInstance, platform: Platform) {
  const box = new SecretBox(platform.secrets);
  const rp = staffRelyingParty(platform.config);
  const css = () => platform.assets.url('css/app.css');

  app.get('/admin/step-up', async (request, reply) => {
    const view = await inStaffAuthScope(platform, request, async (scope) => {
      if (!scope.session.mfa_verified_at) throw mfaRequired(`/admin/mfa?next=${encodeURIComponent(request.url)}`);
      const f = await factorSummary(scope.tx, scope.user.userId);
      return { next: consoleNext((request.query as { next?: string }).next, await staffHome(scope.tx, scope.staff.tenant_id)), totp: f.totp, passkeys: f.passkeys.length };
    });
    return reply.page(<StepUpPage stylesheetUrl={css()} csrf={request.csrfToken()} {...view} />, { page: 'staff-step-up', scripts: ['passkey'] });
  });

  app.post('/admin/step-up', async (request, reply) => {
    const body = (request.body ?? {}) as { method?: unknown; password?: unknown; code?: unknown; next?: unknown };
    const method = body.method === 'totp' ? 'totp' : 'password';
    await consumeRateLimit(platform.database, `step-up:ip:${request.ip}`, 30, 300);
    const result = await inStaffAuthScope(platform, request, async (scope) => {
      if (!scope.session.mfa_verified_at) throw mfaRequired('/admin/mfa');
      const next = consoleNext(body.next, await staffHome(scope.tx, scope.staff.tenant_id));
      const ctx = staffContext(request);
      const locked = await isLocked(scope.tx, scope.user.userId);
      const ok =
        !locked &&
        (method === 'password'
          ? await checkCurrentPassword(scope.tx, scope.user.userId, String(body.password ?? '').slice(0, 1024))
          : await checkSecondFactor(scope.tx, box, rp, scope.user.userId, { kind: 'totp', code: String(body.code ?? '') }));
      if (!ok) {
        await recordLoginFailure(scope.tx, scope.user, scope.staff.email, ctx, `step_up_${method}`);
        await auditAuth(scope.tx, scope.user, 'auth.step_up', 'failure', ctx, { label: scope.staff.email, detail: { method } });
        const f = await factorSummary(scope.tx, scope.user.userId);
        return { ok: false as const, next, totp: f.totp, passkeys: f.passkeys.length };
      }
      await markSteppedUp(scope.tx, scope.session.id);
      await scope.tx.updateTable('user_credentials').set({ failed_attempts: 0 }).where('user_id', '=', scope.user.userId).execute();
      await auditAuth(scope.tx, scope.user, 'auth.step_up', 'success', ctx, { label: scope.staff.email, detail: { method } });
      return { ok: true as const, next };
    });
    if (result.ok) return reply.redirect(result.next, 303);
    const error = method === 'password' ? 'パスワードが正しくありません。' : '確認コードが正しくないか、使用済みです。';
    return reply.page(<StepUpPage stylesheetUrl={css()} csrf={request.csrfToken()} next={result.next} totp={result.totp} passkeys={result.passkeys} error={error} />, {
      page: 'staff-step-up',
      scripts: ['passkey'],
      status: 401,
    });
  });
}
