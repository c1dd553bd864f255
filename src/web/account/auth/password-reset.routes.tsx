import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requestPasswordReset, resetPassword, resetTokenIsOpen } from '../../../domains/auth/password-reset.service.ts';
import { DomainError, RateLimitedError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { ForgotPasswordPage, ResetPasswordPage } from './account-auth.view.tsx';
import { requestContext } from './request-context.ts';

/** Forgotten password: request a link (same answer whether or not the email exists), then set a new one. */

const emailSchema = z.string().trim().min(1).max(254).email();

export function salonPasswordResetRoutes(app: FastifyInstance, platform: Platform) {
  const css = () => platform.assets.url('css/app.css');
  const forgot = '/account/password/forgot';
  const reset = '/account/password/reset';

  app.get(forgot, async (request, reply) =>
    reply.page(<ForgotPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={forgot} signInHref="/account/sign-in" />, { page: 'account-password-forgot' }),
  );

  app.post(forgot, async (request, reply) => {
    const raw = String((request.body as { email?: unknown } | undefined)?.email ?? '').slice(0, 300);
    const parsed = emailSchema.safeParse(raw);
    if (!parsed.success) {
      return reply.page(
        <ForgotPasswordPage
          stylesheetUrl={css()}
          csrf={request.csrfToken()}
          action={forgot}
          signInHref="/account/sign-in"
          email={raw}
          errors={{ email: 'メールアドレスを正しく入力してください。' }}
        />,
        { page: 'account-password-forgot', status: 400 },
      );
    }
    try {
      await requestPasswordReset(platform.database, { kind: 'salon', email: parsed.data }, requestContext(request), (token) => `${platform.config.baseOrigin}${reset}?token=${token}`);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      return reply.page(
        <ForgotPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={forgot} signInHref="/account/sign-in" email={raw} error={err.message} />,
        { page: 'account-password-forgot', status: 429 },
      );
    }
    return reply.page(<ForgotPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={forgot} signInHref="/account/sign-in" sent />, {
      page: 'account-password-forgot',
    });
  });

  app.get(reset, async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '').slice(0, 200);
    const open = await resetTokenIsOpen(platform.database, token);
    return reply.page(<ResetPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={reset} token={token} expired={!open} forgotHref={forgot} />, {
      page: 'account-password-reset',
      status: open ? 200 : 400,
    });
  });

  app.post(reset, async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown; password?: unknown };
    const token = String(body.token ?? '').slice(0, 200);
    const password = String(body.password ?? '').slice(0, 1024);
    try {
      const result = await resetPassword(platform.database, { token, password }, requestContext(request));
      if (!result.ok) {
        return reply.page(<ResetPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={reset} token="" expired forgotHref={forgot} />, {
          page: 'account-password-reset',
          status: 400,
        });
      }
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'validation_failed') throw err;
      return reply.page(<ResetPasswordPage stylesheetUrl={css()} csrf={request.csrfToken()} action={reset} token={token} errors={err.fieldErrors} forgotHref={forgot} />, {
        page: 'account-password-reset',
        status: 400,
      });
    }
    return reply.redirect('/account/sign-in?notice=password-reset', 303);
  });
}
