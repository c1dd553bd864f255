import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditAuth } from '../../domains/auth/login.service.ts';
import { remainingRecoveryCodes } from '../../domains/auth/recovery-codes.service.ts';
import {
  changeSalonPassword,
  confirmSalonTotp,
  disableSalonTotp,
  pendingSalonTotp,
  type Reauth,
  type ReauthOutcome,
  reissueSalonRecoveryCodes,
  type SalonSecurityUser,
  startSalonTotp,
} from '../../domains/auth/salon-security.service.ts';
import { listLiveSessions, revokeOwnSession, revokeUserSessions } from '../../domains/auth/session.service.ts';
import { hasConfirmedTotp } from '../../domains/auth/totp.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { SalonPrincipal } from '../../platform/http/auth-guard.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import type { PlatformScope } from '../../platform/http/request-scope.ts';
import type { FormState } from './account-form.tsx';
import { doneCode, inSalonAccount } from './account-scope.ts';
import { requestContext } from './auth/request-context.ts';
import { describeUserAgent, SalonRecoveryCodesPage, type SecurityForms, SecurityPage, type SessionRow, TotpSetupPage } from './security.view.tsx';

/**
 * /account/security: every salon user (any role: it is their own sign-in) changes their password,
 * turns the optional TOTP second factor on or off, reissues recovery codes and signs out devices.
 * The domain rules (re-authentication, lockout counting, audit, mail) live in
 * domains/auth/salon-security.service.ts; this file only maps forms to them.
 */

const REAUTH_MESSAGES: Record<Exclude<ReauthOutcome, 'ok'>, Record<'password' | 'totp', string>> = {
  wrong: { password: '現在のパスワードが正しくありません。', totp: '確認コードが正しくないか、使用済みです。' },
  locked: {
    password: '誤りが続いたため、しばらく操作できません。時間をおいてからもう一度お試しください。',
    totp: '誤りが続いたため、しばらく操作できません。時間をおいてからもう一度お試しください。',
  },
};

const failed = (field: string, message: string): FormState => ({ values: {}, errors: { [field]: message } });

function reauthFrom(body: Record<string, unknown>): Reauth {
  return body.method === 'password' ? { kind: 'password', password: String(body.current_password ?? '') } : { kind: 'totp', code: String(body.code ?? '') };
}

function reauthForm(proof: Reauth, outcome: Exclude<ReauthOutcome, 'ok'>): FormState {
  return failed(proof.kind === 'password' ? 'current_password' : 'code', REAUTH_MESSAGES[outcome][proof.kind]);
}

const securityUser = (p: SalonPrincipal): SalonSecurityUser => ({ userId: p.userId, accountId: p.accountId, email: p.email });

export function securityRoutes(app: FastifyInstance, platform: Platform) {
  const box = new SecretBox(platform.secrets);
  const css = () => platform.assets.url('css/app.css');

  async function pageData(scope: PlatformScope & { principal: SalonPrincipal }) {
    const { tx, principal } = scope;
    const live = await listLiveSessions(tx, principal.userId);
    const shopIds = [...new Set(live.map((s) => s.boundTenantId).filter((id): id is string => Boolean(id)))];
    const shops = shopIds.length ? await tx.selectFrom('tenants').select(['id', 'display_name']).where('id', 'in', shopIds).execute() : [];
    const shopName = new Map(shops.map((t) => [t.id, t.display_name]));
    const sessions: SessionRow[] = live.map((s) => ({
      id: s.id,
      current: s.id === principal.sessionId,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      ip: s.ip,
      device: describeUserAgent(s.userAgent),
      shopName: s.boundTenantId ? (shopName.get(s.boundTenantId) ?? 'ショップ') : undefined,
    }));
    return {
      principal,
      totpEnabled: await hasConfirmedTotp(tx, principal.userId),
      totpPending: Boolean(await pendingSalonTotp(tx, box, securityUser(principal))),
      recoveryCodesLeft: await remainingRecoveryCodes(tx, principal.userId),
      sessions,
    };
  }

  type PageData = Awaited<ReturnType<typeof pageData>>;

  const sendPage = (request: FastifyRequest, reply: FastifyReply, data: PageData, extra: { forms?: SecurityForms; error?: string; status?: number } = {}) =>
    reply.page(
      <SecurityPage
        stylesheetUrl={css()}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        email={data.principal.email}
        totpEnabled={data.totpEnabled}
        totpPending={data.totpPending}
        recoveryCodesLeft={data.recoveryCodesLeft}
        sessions={data.sessions}
        forms={extra.forms}
        error={extra.error}
        done={extra.status ? undefined : doneCode(request)}
      />,
      { page: 'account-security', status: extra.status },
    );

  /** Runs a change; a failure's counting and audit commit with the page data read after it. */
  type Result = { redirect: string } | { forms: SecurityForms; status: number; data: PageData } | { codes: string[]; continueHref: string; principal: SalonPrincipal };
  const respond = (request: FastifyRequest, reply: FastifyReply, result: Result) => {
    if ('redirect' in result) return reply.redirect(result.redirect, 303);
    if ('codes' in result) {
      return reply.page(<SalonRecoveryCodesPage stylesheetUrl={css()} userName={result.principal.displayName} codes={result.codes} continueHref={result.continueHref} />, {
        page: 'account-security-recovery-codes',
      });
    }
    return sendPage(request, reply, result.data, { forms: result.forms, status: result.status });
  };

  /** Re-shows the page with the field errors of a ValidationError (thrown before anything was written). */
  async function withValidation(request: FastifyRequest, reply: FastifyReply, formKey: keyof SecurityForms, run: () => Promise<Result>) {
    try {
      return respond(request, reply, await run());
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const data = await inSalonAccount(platform, request, undefined, pageData);
      return sendPage(request, reply, data, { forms: { [formKey]: { values: {}, errors: error.fieldErrors } }, status: 400 });
    }
  }

  // Per session (a signed-in user's attempts; the lockout counts per user across sessions).
  const limit = (request: FastifyRequest) => consumeRateLimit(platform.database, `account-security:${request.sessionTokenHash ?? request.ip}`, 30, 300);

  app.get('/account/security', async (request, reply) => sendPage(request, reply, await inSalonAccount(platform, request, undefined, pageData)));

  app.post('/account/security/password', async (request, reply) => {
    await limit(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    return withValidation(request, reply, 'password', () =>
      inSalonAccount(platform, request, undefined, async (scope): Promise<Result> => {
        const result = await changeSalonPassword(
          scope.tx,
          box,
          securityUser(scope.principal),
          {
            currentPassword: String(body.current_password ?? ''),
            newPassword: String(body.new_password ?? ''),
            newPasswordConfirm: String(body.new_password_confirm ?? ''),
          },
          requestContext(request),
          scope.principal.sessionId,
        );
        if (result.outcome === 'changed') return { redirect: '/account/security?done=password' };
        return { forms: { password: failed('current_password', REAUTH_MESSAGES[result.outcome].password) }, status: 400, data: await pageData(scope) };
      }),
    );
  });

  app.post('/account/security/totp/start', async (request, reply) => {
    await limit(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    return withValidation(request, reply, 'totpStart', () =>
      inSalonAccount(platform, request, undefined, async (scope): Promise<Result> => {
        const result = await startSalonTotp(scope.tx, box, securityUser(scope.principal), String(body.current_password ?? ''), requestContext(request));
        if (result.outcome === 'started') return { redirect: '/account/security/totp' };
        if (result.outcome === 'already') return { redirect: '/account/security' };
        return { forms: { totpStart: failed('current_password', REAUTH_MESSAGES[result.outcome].password) }, status: 400, data: await pageData(scope) };
      }),
    );
  });

  app.get('/account/security/totp', async (request, reply) => {
    const pending = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => ({ principal, seed: await pendingSalonTotp(tx, box, securityUser(principal)) }));
    if (!pending.seed) return reply.redirect('/account/security', 303);
    return reply.page(<TotpSetupPage stylesheetUrl={css()} csrfToken={request.csrfToken()} userName={pending.principal.displayName} {...pending.seed} />, {
      page: 'account-security-totp',
    });
  });

  app.post('/account/security/totp/confirm', async (request, reply) => {
    await limit(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const outcome = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => {
      const user = securityUser(principal);
      const seed = await pendingSalonTotp(tx, box, user);
      if (!seed) return { kind: 'none' as const };
      const codes = await confirmSalonTotp(tx, box, user, String(body.code ?? ''), requestContext(request));
      return codes ? { kind: 'codes' as const, codes, principal } : { kind: 'wrong' as const, seed, principal };
    });
    if (outcome.kind === 'none') return reply.redirect('/account/security', 303);
    if (outcome.kind === 'codes') return respond(request, reply, { codes: outcome.codes, continueHref: '/account/security?done=totp-on', principal: outcome.principal });
    return reply.page(
      <TotpSetupPage
        stylesheetUrl={css()}
        csrfToken={request.csrfToken()}
        userName={outcome.principal.displayName}
        {...outcome.seed}
        error="確認コードが正しくありません。アプリに表示されている最新の6桁を入力し、スマートフォンの時刻設定もご確認ください。"
      />,
      { page: 'account-security-totp', status: 400 },
    );
  });

  app.post('/account/security/totp/disable', async (request, reply) => {
    await limit(request);
    const proof = reauthFrom((request.body ?? {}) as Record<string, unknown>);
    const result = await inSalonAccount(platform, request, undefined, async (scope): Promise<Result> => {
      const outcome = await disableSalonTotp(scope.tx, box, securityUser(scope.principal), proof, requestContext(request));
      if (outcome === 'disabled') return { redirect: '/account/security?done=totp-off' };
      if (outcome === 'not_enabled' || outcome === 'ok') return { redirect: '/account/security' };
      return { forms: { totpOff: reauthForm(proof, outcome) }, status: 400, data: await pageData(scope) };
    });
    return respond(request, reply, result);
  });

  app.post('/account/security/recovery-codes', async (request, reply) => {
    await limit(request);
    const proof = reauthFrom((request.body ?? {}) as Record<string, unknown>);
    const result = await inSalonAccount(platform, request, undefined, async (scope): Promise<Result> => {
      const outcome = await reissueSalonRecoveryCodes(scope.tx, box, securityUser(scope.principal), proof, requestContext(request));
      if (outcome.outcome === 'issued') return { codes: outcome.codes, continueHref: '/account/security?done=codes', principal: scope.principal };
      if (outcome.outcome === 'not_enabled') return { redirect: '/account/security' };
      return { forms: { codes: reauthForm(proof, outcome.outcome) }, status: 400, data: await pageData(scope) };
    });
    return respond(request, reply, result);
  });

  app.post('/account/security/sessions/:id/revoke', async (request, reply) => {
    const { id } = request.params as { id: string };
    await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => {
      // The current session is ended with "sign out", not from this list.
      if (id === principal.sessionId) return;
      if (await revokeOwnSession(tx, principal.userId, id, 'signed_out_from_security_page')) {
        await auditAuth(tx, { kind: 'salon', userId: principal.userId, tenantId: null }, 'auth.session_revoke', 'success', requestContext(request), {
          label: principal.email,
          detail: { sessionId: id },
        });
      }
    });
    return reply.redirect('/account/security?done=session', 303);
  });

  app.post('/account/security/sessions/revoke-others', async (request, reply) => {
    await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => {
      const count = await revokeUserSessions(tx, principal.userId, 'sign_out_other_devices', principal.sessionId);
      await auditAuth(tx, { kind: 'salon', userId: principal.userId, tenantId: null }, 'auth.sign_out_others', 'success', requestContext(request), {
        label: principal.email,
        detail: { sessions: count },
      });
    });
    return reply.redirect('/account/security?done=others', 303);
  });
}
