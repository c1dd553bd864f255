import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setCardKillSwitch } from '../../../domains/payments/card-kill-switch.service.ts';
import type { PaymentDeps } from '../../../domains/payments/card-payment.service.ts';
import { refundCardPayment } from '../../../domains/payments/card-refund.service.ts';
import { ProviderRejectedError, ProviderUnavailableError } from '../../../domains/payments/payment-provider.ts';
import { loadProviderAccount, providerFor, saveProviderKey, saveWebhookEndpoint, validateProviderKeyInput, webhookUrlFor } from '../../../domains/payments/provider-account.service.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { StaffActor } from '../../../domains/staff/staff-actor.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import type { RouteModule } from '../../../platform/http/app.ts';
import { requireStepUp } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { type AdminScope, formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { adminBase } from '../admin-layout.tsx';
import { navRoles } from '../admin-nav.ts';
import { loadPaymentsAdmin } from './payments-admin.read.ts';
import { PAYMENTS_NOTICES, PaymentsAdminPage, type PaymentsForm } from './payments-admin.view.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function killActor(actor: StaffActor) {
  return { type: 'staff' as const, id: actor.id, label: actor.label, sourceIp: actor.sourceIp, requestId: actor.requestId };
}

/**
 * 決済 (shop admins): the provider key (step-up, sealed, shown never again), the webhook
 * registration, card payments with refunds (step-up), and the shop's card kill switch (engage at
 * once; release with step-up, never an automatic stop). Provider calls run outside transactions.
 */
export function adminPaymentRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('payments');
  const config = { staffRoles: roles };
  const box = new SecretBox(platform.secrets);
  const deps: PaymentDeps = { database: platform.database, box, log: platform.log };
  const pagePath = (slug: string) => `${adminBase(slug)}/payments`;

  async function render(request: FastifyRequest, reply: FastifyReply, form?: PaymentsForm, status = 400) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, payments: await loadPaymentsAdmin(s.tx, s.tenant.id) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <PaymentsAdminPage
        {...frameOf(platform, request, data)}
        data={data.payments}
        webhookUrl={webhookUrlFor(platform.config.baseOrigin, data.tenant.slug)}
        notice={!form && done && PAYMENTS_NOTICES[done] ? done : undefined}
        form={form}
        refundKey={randomUUID()}
      />,
      { page: 'admin-payments', status: form ? status : 200 },
    );
  }

  /** Role, shop and (for sensitive actions) a fresh step-up, checked in one short transaction. */
  const authorise = (request: FastifyRequest, stepUp: boolean) =>
    inAdmin(platform, request, roles, async (s: AdminScope) => {
      if (stepUp) requireStepUp(s.principal, pagePath(s.tenant.slug));
      return { tenant: s.tenant, actor: s.actor };
    });

  app.get('/payments', { config }, (request, reply) => render(request, reply));

  app.post('/payments/key', { config }, async (request, reply) => {
    const body = formBody(request);
    const values = { apiBaseUrl: body.apiBaseUrl, hostedPageOrigin: body.hostedPageOrigin, captureMethod: body.captureMethod };
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        requireStepUp(s.principal, pagePath(s.tenant.slug));
        await saveProviderKey(s.tx, box, s.actor, s.tenant.id, validateProviderKeyInput(body));
        return s.tenant.slug;
      });
      return reply.redirect(`${pagePath(slug)}?done=key`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { kind: 'key', values, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post('/payments/webhook', { config }, async (request, reply) => {
    const { tenant, actor } = await authorise(request, true);
    const url = webhookUrlFor(platform.config.baseOrigin, tenant.slug);
    try {
      const account = await inAdmin(platform, request, roles, (s) => loadProviderAccount(s.tx, s.tenant.id));
      if (!account) throw new ConflictError('先にシークレットキーを設定してください。');
      const endpoint = await providerFor(account, box, { timeoutMs: 10_000 }).registerWebhook(url);
      await inAdmin(platform, request, roles, (s) => saveWebhookEndpoint(s.tx, box, actor, s.tenant.id, { ...endpoint, url }));
      return reply.redirect(`${pagePath(tenant.slug)}?done=webhook`, 303);
    } catch (err) {
      const message =
        err instanceof ConflictError
          ? err.message
          : err instanceof ProviderUnavailableError
            ? '決済サービスに接続できませんでした。しばらくしてからもう一度お試しください。'
            : err instanceof ProviderRejectedError
              ? `決済サービスが登録を受け付けませんでした: ${err.message}`
              : null;
      if (message) return render(request, reply, { kind: 'webhook', errors: { _form: message } }, 409);
      throw err;
    }
  });

  app.post('/payments/:paymentId/refund', { config }, async (request, reply) => {
    const { paymentId } = request.params as { paymentId: string };
    const body = formBody(request);
    const values = { amountYen: body.amountYen, reason: body.reason, requestKey: body.requestKey };
    const { tenant, actor } = await authorise(request, true);
    const payment = UUID.test(paymentId)
      ? await inAdmin(platform, request, roles, (s) =>
          s.tx.selectFrom('payments').select(['order_id']).where('tenant_id', '=', s.tenant.id).where('id', '=', paymentId).where('method', '=', 'card').executeTakeFirst(),
        )
      : undefined;
    const form = (errors: Record<string, string>) => ({ kind: 'refund' as const, paymentId, values, errors });
    if (!payment) return render(request, reply, form({ _form: '返金できるカード決済がありません。' }), 404);
    const amount = (body.amountYen ?? '').normalize('NFKC').replace(/[,円\s]/g, '');
    const requestKey = /^[0-9a-f-]{36}$/.test(body.requestKey ?? '') ? (body.requestKey as string) : randomUUID();
    try {
      await refundCardPayment(deps, { tenantId: tenant.id, orderId: payment.order_id, amountYen: /^\d{1,9}$/.test(amount) ? Number(amount) : Number.NaN, reason: body.reason ?? '', actor, requestKey });
      return reply.redirect(`${pagePath(tenant.slug)}?done=refund`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, form({ ...err.fieldErrors }));
      if (err instanceof ConflictError) return render(request, reply, form({ _form: err.message }), 409);
      throw err;
    }
  });

  const killSwitch = (engaged: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        if (!engaged) requireStepUp(s.principal, pagePath(s.tenant.slug));
        await setCardKillSwitch(s.tx, { tenantId: s.tenant.id, engaged, reason: body.reason ?? '', actor: killActor(s.actor) });
        return s.tenant.slug;
      });
      return reply.redirect(`${pagePath(slug)}?done=${engaged ? 'stopped' : 'resumed'}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { kind: 'kill', values: { reason: body.reason }, errors: { ...err.fieldErrors } });
      // Only reachable if the page was stale: an automatic stop never offers the release form to the shop.
      if (err instanceof ForbiddenError && !engaged && err.message.includes('自動停止')) return render(request, reply, { kind: 'kill', values: {}, errors: { _form: '監視による自動停止です。解除には運営者の承認が必要です。' } }, 403);
      throw err;
    }
  };
  app.post('/payments/kill-switch/engage', { config }, killSwitch(true));
  app.post('/payments/kill-switch/release', { config }, killSwitch(false));
}

/** For web/routes.ts: the 決済 pages under the shop console's prefix. */
export const adminPaymentRouteModule: RouteModule = async (app, platform) => {
  await app.register(async (shopApp) => adminPaymentRoutes(shopApp, platform), { prefix: '/admin/:shop' });
};
