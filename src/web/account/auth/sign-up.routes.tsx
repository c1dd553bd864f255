import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { signUpSalon, verifySalonEmail } from '../../../domains/auth/salon-sign-up.service.ts';
import { DomainError, RateLimitedError } from '../../../domains/shared/domain-error.ts';
import { parseInput } from '../../../platform/http/input.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { AuthMessagePage, SignUpPage, type SignUpValues } from './account-auth.view.tsx';
import { requestContext } from './request-context.ts';

/** Salon sign-up (account, owner user, password) and the email verification link. */

const required = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .trim()
    .min(1, `${label}を入力してください。`)
    .max(max, `${label}は${max}文字以内で入力してください。`);

const signUpSchema = z.object({
  email: z
    .string({ error: 'メールアドレスを入力してください。' })
    .trim()
    .min(1, 'メールアドレスを入力してください。')
    .max(254, 'メールアドレスが長すぎます。')
    .email('メールアドレスの形式が正しくありません。'),
  password: z.string({ error: 'パスワードを入力してください。' }).min(1, 'パスワードを入力してください。'),
  displayName: required('お名前', 100),
  businessType: z.enum(['corporation', 'sole_proprietor'], { error: '事業形態を選んでください。' }),
  companyName: required('会社名・屋号', 200),
  salonName: required('サロン名', 200),
  representativeName: required('代表者名', 100),
  postalCode: z
    .string({ error: '郵便番号を入力してください。' })
    .trim()
    .transform((v) => v.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[-ー－‐\s]/g, ''))
    .pipe(z.string().regex(/^\d{7}$/, '郵便番号は7桁の数字で入力してください。')),
  prefecture: required('都道府県', 10),
  city: required('市区町村', 100),
  addressLine1: required('町名・番地', 200),
  addressLine2: z.string().trim().max(200, '建物名・部屋番号は200文字以内で入力してください。').default(''),
  phone: z
    .string({ error: '電話番号を入力してください。' })
    .trim()
    .regex(/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/, '電話番号の形式が正しくありません（例: 03-1234-5678）。'),
});

function keptValues(body: Record<string, unknown>): SignUpValues {
  const v: Record<string, string> = {};
  for (const k of ['email', 'displayName', 'businessType', 'companyName', 'salonName', 'representativeName', 'postalCode', 'prefecture', 'city', 'addressLine1', 'addressLine2', 'phone']) {
    if (typeof body[k] === 'string') v[k] = (body[k] as string).slice(0, 300);
  }
  return v;
}

export function salonSignUpRoutes(app: FastifyInstance, platform: Platform) {
  const css = () => platform.assets.url('css/app.css');
  const origin = platform.config.baseOrigin;

  app.get('/account/sign-up', async (request, reply) => {
    const q = request.query as { shop?: string; next?: string };
    return reply.page(<SignUpPage stylesheetUrl={css()} csrf={request.csrfToken()} values={{}} shop={q.shop} next={q.next} />, { page: 'account-sign-up' });
  });

  app.post('/account/sign-up', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const shop = typeof body.shop === 'string' && /^[a-z0-9-]{1,40}$/.test(body.shop) ? body.shop : undefined;
    const next = typeof body.next === 'string' ? body.next.slice(0, 500) : undefined;
    try {
      const input = parseInput(signUpSchema, body);
      await signUpSalon(platform.database, input, requestContext(request), {
        verify: (token) => `${origin}/account/verify-email?token=${token}`,
        signIn: `${origin}/account/sign-in`,
        reset: `${origin}/account/password/forgot`,
      });
    } catch (err) {
      if (err instanceof RateLimitedError || !(err instanceof DomainError) || err.code !== 'validation_failed') {
        if (err instanceof RateLimitedError) {
          return reply.page(
            <SignUpPage stylesheetUrl={css()} csrf={request.csrfToken()} values={keptValues(body)} shop={shop} next={next} error={err.message} />,
            { page: 'account-sign-up', status: 429 },
          );
        }
        throw err;
      }
      return reply.page(
        <SignUpPage
          stylesheetUrl={css()}
          csrf={request.csrfToken()}
          values={keptValues(body)}
          errors={err.fieldErrors}
          error="入力内容を確認してください。"
          shop={shop}
          next={next}
        />,
        { page: 'account-sign-up', status: 400 },
      );
    }
    const q = new URLSearchParams({ notice: 'signed-up' });
    if (shop) q.set('shop', shop);
    if (next) q.set('next', next);
    return reply.redirect(`/account/sign-in?${q}`, 303);
  });

  app.get('/account/verify-email', async (request, reply) => {
    const token = String((request.query as { token?: string }).token ?? '');
    const ok = await verifySalonEmail(platform.database, token, requestContext(request));
    return reply.page(
      <AuthMessagePage
        stylesheetUrl={css()}
        title="メールアドレスの確認"
        kind={ok ? 'ok' : 'error'}
        message={ok ? 'メールアドレスを確認しました。' : 'このリンクは無効か、有効期限が切れています。'}
        link={{ href: '/account/sign-in', label: 'サインインへ' }}
      />,
      { page: 'account-verify-email', status: ok ? 200 : 400 },
    );
  });
}
