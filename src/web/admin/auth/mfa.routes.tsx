import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mailCredentialChanged } from '../../../domains/auth/auth-mail.ts';
import { auditAuth, recordLoginFailure } from '../../../domains/auth/login.service.ts';
import { removePasskey, staffRelyingParty } from '../../../domains/auth/passkey.service.ts';
import { regenerateRecoveryCodes } from '../../../domains/auth/recovery-codes.service.ts';
import { markMfaVerified } from '../../../domains/auth/session.service.ts';
import { checkSecondFactor, factorSummary, hasSecondFactor } from '../../../domains/auth/staff-mfa.service.ts';
import { confirmTotpEnrolment, pendingTotpSecret, removeTotp, startTotpEnrolment } from '../../../domains/auth/totp.service.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import { safeNextPath, stepUpRequired } from '../../../platform/http/auth-errors.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { consumeRateLimit } from '../../../platform/http/rate-limit.ts';
import { MfaChallengePage, MfaEnrolPage, MfaManagePage, RecoveryCodesPage } from './staff-auth.view.tsx';
import { inStaffAuthScope, isLocked, type StaffAuthScope, staffContext, staffHome } from './staff-auth-scope.ts';

/**
 * /admin/mfa: where a staff session goes until its second factor passes. With no factor enrolled
 * it offers only enrolment (passkey or TOTP); with factors it asks for one (or a recovery code);
 * once verified it manages factors. Removing a factor or reissuing recovery codes needs a recent
 * step-up; the last factor cannot be removed (MFA is mandatory for staff).
 */

const STEP_UP_SECONDS = 5 * 60;

function nextOf(value: unknown): string | undefined {
  const n = safeNextPath(value, '');
  return n?.startsWith('/admin') ? n : n.startsWith('/operator') ? n : undefined;
}

function requireRecentStepUp(scope: StaffAuthScope): void {
  const at = scope.session.step_up_at ? new Date(scope.session.step_up_at).getTime() : 0;
  if (!scope.session.mfa_verified_at || Date.now() - at > STEP_UP_SECONDS * 1000) throw stepUpRequired(`/admin/step-up?next=${encodeURIComponent('/admin/mfa')}`);
}

export function staffMfaRoutes(app: FastifyInstance, platform: Platform) {
  const box = new SecretBox(platform.secrets);
  const rp = staffRelyingParty(platform.config);
  const css = () => platform.assets.url('css/app.css');
  const scripts = ['passkey'] as const;

  type View =
    | { kind: 'redirect'; to: string }
    | { kind: 'challenge'; totp: boolean; passkeys: number; error?: string }
    | { kind: 'enrol'; secret: string; uri: string; error?: string }
    | { kind: 'manage'; props: Omit<Parameters<typeof MfaManagePage>[0], 'stylesheetUrl' | 'csrf'> }
    | { kind: 'codes'; codes: string[]; continueHref: string };

  const send = (request: FastifyRequest, reply: FastifyReply, view: View, next: string | undefined, status = 200) => {
    const base = { stylesheetUrl: css(), csrf: request.csrfToken() };
    switch (view.kind) {
      case 'redirect':
        return reply.redirect(view.to, 303);
      case 'challenge':
        return reply.page(<MfaChallengePage {...base} next={next} totp={view.totp} passkeys={view.passkeys} error={view.error} />, { page: 'staff-mfa', scripts, status });
      case 'enrol':
        return reply.page(<MfaEnrolPage {...base} next={next} secret={view.secret} uri={view.uri} error={view.error} />, { page: 'staff-mfa', scripts, status });
      case 'manage':
        return reply.page(<MfaManagePage {...base} {...view.props} />, { page: 'staff-mfa', scripts, status });
      case 'codes':
        return reply.page(<RecoveryCodesPage stylesheetUrl={css()} codes={view.codes} continueHref={view.continueHref} />, { page: 'staff-mfa-recovery-codes' });
    }
  };

  async function currentView(scope: StaffAuthScope, extra: { error?: string; notice?: string } = {}): Promise<View> {
    const factors = await factorSummary(scope.tx, scope.user.userId);
    if (!scope.session.mfa_verified_at) {
      if (hasSecondFactor(factors)) return { kind: 'challenge', totp: factors.totp, passkeys: factors.passkeys.length, error: extra.error };
      const totp = (await pendingTotpSecret(scope.tx, box, scope.staff)) ?? (await startTotpEnrolment(scope.tx, box, scope.staff));
      return { kind: 'enrol', ...totp, error: extra.error };
    }
    const pendingTotp = factors.totp ? null : ((await pendingTotpSecret(scope.tx, box, scope.staff)) ?? (await startTotpEnrolment(scope.tx, box, scope.staff)));
    return {
      kind: 'manage',
      props: {
        home: await staffHome(scope.tx, scope.staff.tenant_id),
        totp: factors.totp,
        pendingTotp,
        passkeys: factors.passkeys,
        recoveryCodesLeft: factors.recoveryCodesLeft,
        notice: extra.notice,
        error: extra.error,
      },
    };
  }

  const notices: Record<string, string> = {
    enrolled: '二段階認証を登録しました。',
    removed: '登録を解除しました。',
  };

  app.get('/admin/mfa', async (request, reply) => {
    const q = request.query as { next?: string; notice?: string };
    const next = nextOf(q.next);
    const view = await inStaffAuthScope(platform, request, (scope) => currentView(scope, { notice: q.notice ? notices[q.notice] : undefined }));
    return send(request, reply, view, next);
  });

  app.post('/admin/mfa/totp/confirm', async (request, reply) => {
    const body = (request.body ?? {}) as { code?: unknown; next?: unknown };
    const next = nextOf(body.next);
    await consumeRateLimit(platform.database, `mfa:ip:${request.ip}`, 60, 300);
    const { view, status } = await inStaffAuthScope(platform, request, async (scope) => {
      const factors = await factorSummary(scope.tx, scope.user.userId);
      // Before the second factor passed, enrolling is allowed only while nothing is enrolled.
      if (!scope.session.mfa_verified_at && hasSecondFactor(factors)) return { view: await currentView(scope), status: 403 };
      if (!(await confirmTotpEnrolment(scope.tx, box, scope.user.userId, String(body.code ?? '')))) {
        return { view: await currentView(scope, { error: '確認コードが正しくありません。アプリの時刻設定もご確認ください。' }), status: 400 };
      }
      const ctx = staffContext(request);
      await auditAuth(scope.tx, scope.user, 'mfa.enrol', 'success', ctx, { label: scope.staff.email, detail: { factor: 'totp' } });
      await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, '認証アプリ（TOTP）の登録', ctx);
      if (!scope.session.mfa_verified_at) await markMfaVerified(scope.tx, scope.session.id);
      const to = next ?? (factors.recoveryCodesLeft === 0 ? '/admin/mfa?notice=enrolled' : await staffHome(scope.tx, scope.staff.tenant_id));
      return { view: { kind: 'redirect', to } as View, status: 303 };
    });
    return send(request, reply, view, next, status);
  });

  app.post('/admin/mfa/verify', async (request, reply) => {
    const body = (request.body ?? {}) as { code?: unknown; method?: unknown; next?: unknown };
    const next = nextOf(body.next);
    const method = body.method === 'recovery' ? 'recovery' : 'totp';
    await consumeRateLimit(platform.database, `mfa:ip:${request.ip}`, 60, 300);
    const { view, status } = await inStaffAuthScope(platform, request, async (scope) => {
      if (scope.session.mfa_verified_at) return { view: { kind: 'redirect', to: next ?? (await staffHome(scope.tx, scope.staff.tenant_id)) } as View, status: 303 };
      const ctx = staffContext(request);
      const ok = !(await isLocked(scope.tx, scope.user.userId)) && (await checkSecondFactor(scope.tx, box, rp, scope.user.userId, { kind: method, code: String(body.code ?? '') }));
      if (!ok) {
        await recordLoginFailure(scope.tx, scope.user, scope.staff.email, ctx, method === 'recovery' ? 'bad_recovery_code' : 'bad_totp');
        const error = method === 'recovery' ? 'リカバリーコードが正しくないか、使用済みです。' : '確認コードが正しくないか、使用済みです。';
        return { view: await currentView(scope, { error }), status: 401 };
      }
      await markMfaVerified(scope.tx, scope.session.id);
      await scope.tx.updateTable('user_credentials').set({ failed_attempts: 0 }).where('user_id', '=', scope.user.userId).execute();
      await auditAuth(scope.tx, scope.user, 'auth.mfa', 'success', ctx, { label: scope.staff.email, detail: { method } });
      if (method === 'recovery') {
        await auditAuth(scope.tx, scope.user, 'mfa.recovery_code_used', 'success', ctx, { label: scope.staff.email });
        await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, 'リカバリーコードの使用', ctx);
      }
      return { view: { kind: 'redirect', to: next ?? (await staffHome(scope.tx, scope.staff.tenant_id)) } as View, status: 303 };
    });
    return send(request, reply, view, next, status);
  });

  app.post('/admin/mfa/recovery-codes', async (request, reply) => {
    const view = await inStaffAuthScope(platform, request, async (scope): Promise<View> => {
      requireRecentStepUp(scope);
      const codes = await regenerateRecoveryCodes(scope.tx, scope.user.userId);
      const ctx = staffContext(request);
      await auditAuth(scope.tx, scope.user, 'mfa.recovery_codes_issued', 'success', ctx, { label: scope.staff.email });
      await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, 'リカバリーコードの発行（以前のコードは無効）', ctx);
      return { kind: 'codes', codes, continueHref: '/admin/mfa' };
    });
    return send(request, reply, view, undefined);
  });

  app.post('/admin/mfa/totp/remove', async (request, reply) => {
    const view = await inStaffAuthScope(platform, request, async (scope): Promise<View> => {
      requireRecentStepUp(scope);
      const factors = await factorSummary(scope.tx, scope.user.userId);
      if (!factors.totp || factors.passkeys.length === 0) return currentView(scope, { error: '最後の二段階認証は解除できません。先に別の方法を登録してください。' });
      await removeTotp(scope.tx, scope.user.userId);
      const ctx = staffContext(request);
      await auditAuth(scope.tx, scope.user, 'mfa.remove', 'success', ctx, { label: scope.staff.email, detail: { factor: 'totp' } });
      await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, '認証アプリ（TOTP）の登録解除', ctx);
      return { kind: 'redirect', to: '/admin/mfa?notice=removed' };
    });
    return send(request, reply, view, undefined);
  });

  app.post('/admin/mfa/passkeys/:id/remove', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const view = await inStaffAuthScope(platform, request, async (scope): Promise<View> => {
      requireRecentStepUp(scope);
      const factors = await factorSummary(scope.tx, scope.user.userId);
      if ((factors.totp ? 1 : 0) + factors.passkeys.length <= 1) return currentView(scope, { error: '最後の二段階認証は解除できません。先に別の方法を登録してください。' });
      if (!(await removePasskey(scope.tx, scope.user.userId, id))) return currentView(scope, { error: 'パスキーが見つかりません。' });
      const ctx = staffContext(request);
      await auditAuth(scope.tx, scope.user, 'mfa.remove', 'success', ctx, { label: scope.staff.email, detail: { factor: 'passkey', id } });
      await mailCredentialChanged(scope.tx, { email: scope.staff.email, tenantId: scope.user.tenantId }, 'パスキーの削除', ctx);
      return { kind: 'redirect', to: '/admin/mfa?notice=removed' };
    });
    return send(request, reply, view, undefined);
  });
}
