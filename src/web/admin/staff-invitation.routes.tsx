import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { acceptStaffInvitation, findStaffInvitation, type InvitedStaff } from '../../domains/staff/staff-invitation.flow.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { setSessionCookie } from '../../platform/http/session-cookie.ts';
import { Field, type FieldErrors, FormErrors } from '../../platform/views/console-form.tsx';
import { CsrfField, Layout } from '../../platform/views/layout.tsx';

function AcceptPage(props: { stylesheetUrl: string; csrfToken: string; token: string; staff: InvitedStaff | null; errors?: FieldErrors }) {
  return (
    <Layout title="管理画面への招待 | Oroshi" brand={{ name: 'Oroshi', href: '/', sub: '管理画面' }} stylesheetUrl={props.stylesheetUrl}>
      <section class="panel panel--narrow">
        <h1>管理画面への招待</h1>
        {props.staff ? (
          <form method="post" action="/admin/invitations/accept">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="token" value={props.token} />
            <p>
              {props.staff.displayName} 様({props.staff.email})のパスワードを設定してください。次の画面で二段階認証(パスキーまたは認証アプリ)を登録します。
            </p>
            <FormErrors errors={props.errors} />
            <input type="email" name="username" value={props.staff.email} autocomplete="username" class="visually-hidden" readonly tabIndex={-1} aria-hidden="true" />
            <Field name="password" label="パスワード" type="password" required autocomplete="new-password" hint="10文字以上。長いフレーズがおすすめです。" errors={props.errors} />
            <Field name="passwordConfirm" label="パスワード(確認)" type="password" required autocomplete="new-password" errors={props.errors} />
            <button type="submit">設定して次へ</button>
          </form>
        ) : (
          <p class="alert alert--error" role="alert">
            {props.errors?._form ?? '招待リンクが無効か、有効期限が切れています。管理者に再送を依頼してください。'}
          </p>
        )}
      </section>
    </Layout>
  );
}

/** /admin/invitations/accept: an invited staff member sets a password, then goes on to MFA enrolment. */
export function staffInvitationRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  app.get('/admin/invitations/accept', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '');
    const staff = await findStaffInvitation(platform.database, token);
    return reply.page(<AcceptPage stylesheetUrl={stylesheetUrl()} csrfToken={request.csrfToken()} token={token} staff={staff} />, {
      page: 'admin-invitation-accept',
      status: staff ? 200 : 404,
    });
  });

  app.post('/admin/invitations/accept', async (request, reply) => {
    await consumeRateLimit(platform.database, `staff-invite:${request.ip}`, 20, 600);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : '';
    try {
      const result = await acceptStaffInvitation(platform.database, {
        token,
        password: typeof body.password === 'string' ? body.password : '',
        passwordConfirm: typeof body.passwordConfirm === 'string' ? body.passwordConfirm : '',
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: String(request.id),
      });
      setSessionCookie(reply, platform.config, result.sessionToken, result.sessionMaxAge);
      const home = result.staff.shopSlug ? `/admin/${result.staff.shopSlug}` : '/operator';
      return reply.redirect(`/admin/mfa?next=${encodeURIComponent(home)}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const staff = await findStaffInvitation(platform.database, token);
      return reply.page(<AcceptPage stylesheetUrl={stylesheetUrl()} csrfToken={request.csrfToken()} token={token} staff={staff} errors={{ ...err.fieldErrors }} />, {
        page: 'admin-invitation-accept',
        status: 400,
      });
    }
  });
}
