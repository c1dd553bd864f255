import type { FastifyInstance } from 'fastify';
import { mailCredentialChanged } from '../../../domains/auth/auth-mail.ts';
import { auditAuth, recordLoginFailure } from '../../../domains/auth/login.service.ts';
import {
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  staffRelyingParty,
  verifyPasskeyAuthentication,
  verifyPasskeyRegistration,
} from '../../../domains/auth/passkey.service.ts';
import { markMfaVerified, markSteppedUp } from '../../../domains/auth/session.service.ts';
import { factorSummary, hasSecondFactor } from '../../../domains/auth/staff-mfa.service.ts';
import { ForbiddenError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { safeNextPath } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { consumeRateLimit } from '../../../platform/http/rate-limit.ts';
import { inStaffAuthScope, isLocked, staffContext, staffHome } from './staff-auth-scope.ts';

/**
 * The JSON half of the passkey ceremonies, called by static/js/passkey.js (CSRF token in the
 * x-csrf-token header). Registration: while nothing is enrolled (first factor) or from a verified
 * session. Authentication: as the second factor of a sign-in ('mfa') or as a step-up.
 */

type Body = { response?: unknown; purpose?: unknown; next?: unknown; name?: unknown };

export function staffPasskeyRoutes(app: FastifyInstance, platform: Platform) {
  const rp = staffRelyingParty(platform.config);

  app.post('/admin/mfa/passkey/register/options', async (request) =>
    inStaffAuthScope(platform, request, async (scope) => {
      if (!scope.session.mfa_verified_at && hasSecondFactor(await factorSummary(scope.tx, scope.user.userId))) throw new ForbiddenError();
      return passkeyRegistrationOptions(scope.tx, rp, { id: scope.staff.id, email: scope.staff.email, displayName: scope.staff.display_name });
    }),
  );

  app.post('/admin/mfa/passkey/register/verify', async (request) => {
    const body = (request.body ?? {}) as Body;
    if (!body.response || typeof body.response !== 'object') throw new ValidationError({ response: 'パスキーの応答がありません。' });
    await consumeRateLimit(platform.database, `mfa:ip:${request.ip}`, 60, 300);
    return inStaffAuthScope(platform, request, async (scope) => {
      const before = await factorSummary(scope.tx, scope.user.userId);
      if (!scope.session.mfa_verified_at && hasSecondFactor(before)) throw new ForbiddenError();
      const name = typeof body.name === 'string' ? body.name.replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 60) : '';
      const result = await verifyPasskeyRegistration(scope.tx, rp, scope.user.userId, body.response as never, name || 'パスキー');
      if (!result.ok) throw new ValidationError({ response: 'パスキーを登録できませんでした。もう一度お試しください。' }, 'パスキーを登録できませんでした。');
      const ctx = staffContext(request);
      await auditAuth(scope.tx, scope.user, 'mfa.enrol', 'success', ctx, { label: scope.staff.email, detail: { factor: 'passkey', credentialId: result.credentialId } });
      await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, 'パスキーの登録', ctx);
      if (!scope.session.mfa_verified_at) await markMfaVerified(scope.tx, scope.session.id);
      return { ok: true, redirect: before.recoveryCodesLeft === 0 ? '/admin/mfa?notice=enrolled' : '/admin/mfa' };
    });
  });

  app.post('/admin/mfa/passkey/authenticate/options', async (request) =>
    inStaffAuthScope(platform, request, async (scope) => {
      const options = await passkeyAuthenticationOptions(scope.tx, rp, scope.user.userId);
      if (!options) throw new ValidationError({ response: 'パスキーが登録されていません。' }, 'パスキーが登録されていません。');
      return options;
    }),
  );

  app.post('/admin/mfa/passkey/authenticate/verify', async (request) => {
    const body = (request.body ?? {}) as Body;
    const purpose = body.purpose === 'step-up' ? 'step-up' : 'mfa';
    if (!body.response || typeof body.response !== 'object') throw new ValidationError({ response: 'パスキーの応答がありません。' });
    await consumeRateLimit(platform.database, `mfa:ip:${request.ip}`, 60, 300);
    const outcome = await inStaffAuthScope(platform, request, async (scope) => {
      if (purpose === 'step-up' && !scope.session.mfa_verified_at) throw new ForbiddenError();
      const ctx = staffContext(request);
      const ok = !(await isLocked(scope.tx, scope.user.userId)) && (await verifyPasskeyAuthentication(scope.tx, rp, scope.user.userId, body.response as never));
      if (!ok) {
        await recordLoginFailure(scope.tx, scope.user, scope.staff.email, ctx, 'bad_passkey');
        return { ok: false as const };
      }
      if (purpose === 'mfa') {
        await markMfaVerified(scope.tx, scope.session.id);
        await scope.tx.updateTable('user_credentials').set({ failed_attempts: 0 }).where('user_id', '=', scope.user.userId).execute();
      } else {
        await markSteppedUp(scope.tx, scope.session.id);
      }
      await auditAuth(scope.tx, scope.user, purpose === 'mfa' ? 'auth.mfa' : 'auth.step_up', 'success', ctx, { label: scope.staff.email, detail: { method: 'passkey' } });
      const next = safeNextPath(body.next, '');
      return { ok: true as const, redirect: next.startsWith('/admin') || next.startsWith('/operator') ? next : await staffHome(scope.tx, scope.staff.tenant_id) };
    });
    // A failure is committed (counted, audited) before it is reported.
    if (!outcome.ok) throw new ValidationError({ response: 'パスキーを確認できませんでした。' }, 'パスキーを確認できませんでした。');
    return outcome;
  });
}
