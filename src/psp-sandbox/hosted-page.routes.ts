import type { FastifyInstance, FastifyReply } from 'fastify';
import { answerChallenge, type PaymentStep, submitCard } from './card-payment.flow.ts';
import { expireIfDue } from './checkout-session.flow.ts';
import { parseStripeForm } from './form-body.parse.ts';
import { HOSTED_PAGE_CSS } from './hosted-page.css.ts';
import { type OrderSummary, renderChallengePage, renderPaymentPage, renderStatusPage } from './hosted-page.view.tsx';
import type { SandboxContext } from './sandbox.context.ts';
import type { StoredSession } from './sandbox.store.ts';

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * No script at all, styles only from /pay.css, forms only to this origin and to the shop's
 * success URL (Chromium applies form-action to the redirect after a POST as well).
 */
function securityHeaders(reply: FastifyReply, session: StoredSession | undefined): FastifyReply {
  const successOrigin = originOf(session?.object.success_url ?? null);
  const formAction = successOrigin ? `'self' ${successOrigin}` : "'self'";
  return reply
    .header(
      'content-security-policy',
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8');
}

function orderOf(stored: StoredSession): OrderSummary {
  return {
    sessionId: stored.object.id,
    shopName: stored.object.metadata?.['shop_name'] ?? null,
    amount: stored.object.amount_total ?? 0,
    lineItems: stored.lineItems,
    cancelUrl: stored.object.cancel_url,
  };
}

function formField(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

export function registerHostedPageRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const findSession = (id: string): StoredSession | undefined => {
    const stored = ctx.store.data.sessions.get(id);
    if (stored) expireIfDue(ctx, stored);
    return stored;
  };

  const closedPage = (reply: FastifyReply, stored: StoredSession | undefined) => {
    const headers = securityHeaders(reply, stored);
    if (!stored) return headers.code(404).send(renderStatusPage({ title: 'ページが見つかりません', message: 'このお支払いページは存在しません。' }));
    const session = stored.object;
    if (session.status === 'complete') {
      const link = session.success_url ? { href: session.success_url.split('{CHECKOUT_SESSION_ID}').join(session.id), label: 'ショップに戻る' } : undefined;
      return headers.send(renderStatusPage({ title: 'お支払いは完了しています', message: 'このご注文のお支払いはすでに完了しています。', link }));
    }
    const link = session.cancel_url ? { href: session.cancel_url, label: 'ショップに戻る' } : undefined;
    return headers.code(410).send(renderStatusPage({ title: 'お支払いページの有効期限が切れました', message: 'もう一度ショップからお手続きください。', link }));
  };

  const answer = (reply: FastifyReply, stored: StoredSession, step: PaymentStep, holderName: string) => {
    const order = orderOf(stored);
    switch (step.kind) {
      case 'invalid':
        return securityHeaders(reply, stored).code(400).send(renderPaymentPage({ order, errors: step.errors, holderName }));
      case 'failed':
        return securityHeaders(reply, stored).code(402).send(renderPaymentPage({ order, message: step.message, holderName }));
      case 'challenge':
        return securityHeaders(reply, stored).redirect(`/pay/${stored.object.id}/3ds/${step.challengeId}`, 303);
      case 'succeeded':
        return securityHeaders(reply, stored).redirect(step.redirectUrl ?? `/pay/${stored.object.id}`, 303);
      case 'wrong_code':
      case 'closed':
        return securityHeaders(reply, stored).redirect(`/pay/${stored.object.id}`, 303);
    }
  };

  app.get('/pay.css', (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(HOSTED_PAGE_CSS),
  );

  app.get<{ Params: { id: string } }>('/pay/:id', (request, reply) => {
    const stored = findSession(request.params.id);
    if (stored?.object.status !== 'open') return closedPage(reply, stored);
    return securityHeaders(reply, stored).send(renderPaymentPage({ order: orderOf(stored) }));
  });

  app.post<{ Params: { id: string } }>('/pay/:id', (request, reply) => {
    const stored = findSession(request.params.id);
    if (stored?.object.status !== 'open') return closedPage(reply, stored);
    const form = parseStripeForm(typeof request.body === 'string' ? request.body : '');
    const holderName = formField(form, 'name');
    const step = submitCard(ctx, stored, {
      number: formField(form, 'number'),
      expiry: formField(form, 'expiry'),
      cvc: formField(form, 'cvc'),
      holderName,
    });
    return answer(reply, stored, step, holderName);
  });

  app.get<{ Params: { id: string; challengeId: string } }>('/pay/:id/3ds/:challengeId', (request, reply) => {
    const stored = findSession(request.params.id);
    const challenge = ctx.store.data.challenges.get(request.params.challengeId);
    if (stored?.object.status !== 'open') return closedPage(reply, stored);
    if (!challenge || challenge.sessionId !== stored.object.id) return reply.redirect(`/pay/${stored.object.id}`, 303);
    return securityHeaders(reply, stored).send(
      renderChallengePage({ order: orderOf(stored), challengeId: challenge.id, brand: challenge.card.brand, last4: challenge.card.last4 }),
    );
  });

  app.post<{ Params: { id: string; challengeId: string } }>('/pay/:id/3ds/:challengeId', (request, reply) => {
    const stored = findSession(request.params.id);
    if (stored?.object.status !== 'open') return closedPage(reply, stored);
    const challenge = ctx.store.data.challenges.get(request.params.challengeId);
    const form = parseStripeForm(typeof request.body === 'string' ? request.body : '');
    const action = formField(form, 'action') === 'cancel' ? 'cancel' : 'authenticate';
    const step = answerChallenge(ctx, stored, request.params.challengeId, { action, code: formField(form, 'code') });
    if (step.kind === 'wrong_code' && challenge) {
      return securityHeaders(reply, stored)
        .code(400)
        .send(
          renderChallengePage({
            order: orderOf(stored),
            challengeId: challenge.id,
            brand: challenge.card.brand,
            last4: challenge.card.last4,
            message: `認証コードが正しくありません(あと${step.attemptsLeft}回)`,
          }),
        );
    }
    return answer(reply, stored, step, challenge?.card.holderName ?? '');
  });
}
