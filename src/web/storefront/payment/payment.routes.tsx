import type { FastifyInstance, FastifyRequest } from 'fastify';
import { transitionOrder } from '../../../domains/orders/order-state.ts';
import { CARD_STOPPED_NOTICE, cardKillState } from '../../../domains/payments/card-kill-switch.service.ts';
import {
  applyProviderStatus,
  handleCardReturn,
  isPayable,
  loadOrderForPayment,
  openPaymentsOfOrder,
  type PaymentDeps,
  PROVIDER_DOWN_MESSAGE,
  providerOf,
  startCardPayment,
} from '../../../domains/payments/card-payment.service.ts';
import { throttleCardStart } from '../../../domains/payments/card-testing.guard.ts';
import { ProviderRejectedError, ProviderUnavailableError } from '../../../domains/payments/payment-provider.ts';
import { loadProviderAccount } from '../../../domains/payments/provider-account.service.ts';
import { NotFoundError, RateLimitedError } from '../../../domains/shared/domain-error.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import { withIdentity } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inShop } from '../../../platform/http/request-scope.ts';
import { shopHomeUrl } from '../../../platform/http/shop-urls.ts';
import { requireMemberPage } from '../member-context.ts';
import { PaymentResultPage, PaymentStepPage } from './payment-step.view.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The card payment step of a placed order and the provider's way back (/payment/:orderId,
 * …/return, …/cancel). Provider calls happen after the request's own transaction has ended.
 */
export function paymentStepRoutes(app: FastifyInstance, platform: Platform, deps?: Partial<PaymentDeps>) {
  const paymentDeps: PaymentDeps = { database: platform.database, box: new SecretBox(platform.secrets), log: platform.log, ...deps };
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  /** The shop's absolute base for the provider's success/cancel URLs. */
  function shopOrigin(request: FastifyRequest, tenant: { slug: string; custom_host: string | null }): string {
    const home = shopHomeUrl(platform.config, tenant);
    if (!home.startsWith('/')) return home.replace(/\/$/, '');
    // Development: everything on one host, reached as the buyer reached this page.
    return `${request.protocol}://${request.host}${request.shopBase}`;
  }

  function orderIdOf(request: FastifyRequest): string {
    const { orderId } = request.params as { orderId: string };
    if (!UUID.test(orderId)) throw new NotFoundError('ご注文が見つかりません。');
    return orderId;
  }

  async function loadStep(request: FastifyRequest) {
    const orderId = orderIdOf(request);
    return inShop(platform, request, async (scope) => {
      const { member } = await requireMemberPage(platform, scope, request);
      const order = await loadOrderForPayment(scope.tx, scope.tenant.id, orderId);
      if (!order || order.accountId !== member.principal.accountId || order.paymentMethod !== 'card') throw new NotFoundError('ご注文が見つかりません。');
      const kill = await cardKillState(scope.tx, scope.tenant.id);
      const account = await loadProviderAccount(scope.tx, scope.tenant.id);
      return { tenant: scope.tenant, member, order, kill, providerOrigin: account?.hosted_page_origin ?? null };
    });
  }

  function renderStep(request: FastifyRequest, reply: import('fastify').FastifyReply, data: Awaited<ReturnType<typeof loadStep>>, message: string | null, status = 200) {
    return reply.page(
      <PaymentStepPage
        tenant={data.tenant}
        base={request.shopBase}
        stylesheetUrl={stylesheetUrl()}
        csrfToken={request.csrfToken()}
        order={data.order}
        payable={isPayable(data.order)}
        cardStopped={data.kill.engaged ? CARD_STOPPED_NOTICE : data.providerOrigin ? null : 'このショップではカード決済の準備中です。'}
        message={message}
        providerOrigin={data.providerOrigin}
      />,
      // The button's POST is answered with a redirect to the provider: form-action must allow that origin.
      { page: 'payment-step', status, formActionOrigins: data.providerOrigin ? [data.providerOrigin] : [] },
    );
  }

  app.get('/payment/:orderId', async (request, reply) => {
    const data = await loadStep(request);
    const cancelled = (request.query as { cancelled?: string }).cancelled === '1';
    return renderStep(request, reply, data, cancelled ? 'カード決済は完了していません。もう一度お試しいただくか、ご注文をキャンセルしてください。' : null);
  });

  app.post('/payment/:orderId', async (request, reply) => {
    const data = await loadStep(request);
    const identity = { tenantId: data.tenant.id, accountId: data.member.principal.accountId, principalId: data.member.principal.userId, audience: 'salon' as const };
    try {
      await throttleCardStart(paymentDeps, { tenantId: data.tenant.id, userId: identity.principalId, clientIp: request.ip });
    } catch (err) {
      if (err instanceof RateLimitedError) return renderStep(request, reply, data, err.message, 429);
      throw err;
    }
    const base = shopOrigin(request, data.tenant);
    const result = await startCardPayment(paymentDeps, {
      identity,
      orderId: data.order.id,
      shopName: data.tenant.display_name,
      customerEmail: data.member.principal.email,
      clientIp: request.ip,
      successUrl: `${base}/payment/${data.order.id}/return?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${base}/payment/${data.order.id}?cancelled=1`,
    });
    switch (result.kind) {
      case 'redirect':
        return reply.redirect(result.url, 303);
      case 'already_paid':
        return reply.redirect(`${request.shopBase}/payment/${data.order.id}`, 303);
      case 'card_stopped':
        return renderStep(request, reply, { ...data, kill: { ...data.kill, engaged: true } }, result.message, 409);
      default:
        return renderStep(request, reply, data, result.message, result.kind === 'unavailable' ? 503 : 409);
    }
  });

  app.get('/payment/:orderId/return', async (request, reply) => {
    const data = await loadStep(request);
    const sessionId = String((request.query as { session_id?: string }).session_id ?? '');
    const identity = { tenantId: data.tenant.id, accountId: data.member.principal.accountId, principalId: data.member.principal.userId };
    const result = await handleCardReturn(paymentDeps, { identity, orderId: data.order.id, sessionId });
    const page = (tone: 'ok' | 'error' | 'info', title: string, message: string, status = 200) =>
      reply.page(<PaymentResultPage tenant={data.tenant} base={request.shopBase} stylesheetUrl={stylesheetUrl()} tone={tone} title={title} message={message} orderId={data.order.id} />, {
        page: 'payment-return',
        status,
      });
    if (result.kind === 'mismatch') return page('error', 'お支払いを確認できません', 'このお支払い情報はこのご注文のものではありません。ご注文の状態は変わっていません。', 400);
    if (result.kind === 'unavailable') return page('info', 'お支払いを確認中です', '決済サービスに接続できないため、結果を確認できませんでした。確認でき次第ご注文に反映されます。');
    if (result.outcome === 'succeeded' || result.outcome === 'authorized') return page('ok', 'お支払いが完了しました', `ご注文 ${result.orderNumber} のカード決済が完了し、ご注文を承りました。`);
    return page('info', 'お支払いは完了していません', '決済はまだ完了していません。お支払い画面からもう一度お試しください。');
  });

  app.post('/payment/:orderId/cancel', async (request, reply) => {
    const data = await loadStep(request);
    if (!isPayable(data.order)) return renderStep(request, reply, data, 'このご注文はキャンセルできる状態ではありません。', 409);
    const identity = { tenantId: data.tenant.id, accountId: data.member.principal.accountId, principalId: data.member.principal.userId, audience: 'salon' as const };
    // Close the provider's open sessions first, so nothing can be paid after the order is gone.
    const open = await withIdentity(platform.database, identity, async (tx) => ({
      payments: await openPaymentsOfOrder(tx, data.tenant.id, data.order.id),
      account: await loadProviderAccount(tx, data.tenant.id),
    }));
    if (open.payments.length && open.account) {
      const provider = providerOf(paymentDeps, open.account);
      try {
        for (const payment of open.payments) {
          await provider.cancel({ sessionId: payment.provider_session_id });
          const status = await provider.fetchStatus({ sessionId: payment.provider_session_id });
          const applied = await withIdentity(platform.database, identity, (tx) => applyProviderStatus(tx, data.tenant.id, payment, status, platform.log));
          if (applied.kind === 'applied' && (applied.orderPaymentStatus === 'paid' || applied.orderPaymentStatus === 'authorized')) {
            return reply.redirect(`${request.shopBase}/payment/${data.order.id}`, 303);
          }
        }
      } catch (err) {
        if (err instanceof ProviderUnavailableError || err instanceof ProviderRejectedError) return renderStep(request, reply, data, PROVIDER_DOWN_MESSAGE, 503);
        throw err;
      }
    }
    await withIdentity(platform.database, identity, (tx) =>
      transitionOrder(tx, { tenantId: data.tenant.id, orderId: data.order.id, to: 'cancelled', actor: { type: 'salon_user', id: identity.principalId }, note: 'お客様がお支払い前にキャンセルしました' }),
    );
    return reply.redirect(`${request.shopBase}/payment/${data.order.id}`, 303);
  });
}
