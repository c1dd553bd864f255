import type { FastifyInstance } from 'fastify';
import { answerChallenge, CHALLENGE_CODE, submitCard } from './card-payment.flow.ts';
import { expireIfDue } from './checkout-session.flow.ts';
import { parseStripeForm } from './form-body.parse.ts';
import type { SandboxContext } from './sandbox.context.ts';

/**
 * Headless shortcut through the hosted page for tests: `number=…` pays the session as a buyer
 * would (3DS answered per `three_d_secure=authenticate|cancel`). Registered only with testHooks.
 */
export function registerTestHookRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.post<{ Params: { id: string } }>('/__sandbox/sessions/:id/complete', (request, reply) => {
    const stored = ctx.store.data.sessions.get(request.params.id);
    if (!stored) return reply.code(404).send({ error: { type: 'invalid_request_error', message: `No such checkout.session: '${request.params.id}'` } });
    expireIfDue(ctx, stored);
    const form = parseStripeForm(typeof request.body === 'string' ? request.body : '');
    const text = (name: string, fallback: string) => (typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : fallback);
    let step = submitCard(ctx, stored, {
      number: text('number', text('card', '')),
      expiry: text('expiry', '12/34'),
      cvc: text('cvc', '123'),
      holderName: text('name', 'TARO YAMADA'),
    });
    const threeDSecure = text('three_d_secure', 'authenticate') === 'cancel' ? 'cancel' : 'authenticate';
    if (step.kind === 'challenge') step = answerChallenge(ctx, stored, step.challengeId, { action: threeDSecure, code: CHALLENGE_CODE });
    const intent = ctx.store.data.paymentIntents.get(stored.object.payment_intent as string)?.object;
    return reply.send({ result: step.kind, session_status: stored.object.status, payment_intent_status: intent?.status ?? null });
  });
}
