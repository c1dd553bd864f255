import type Stripe from 'stripe';
import { newObjectId } from './object-id.generate.ts';

export const SANDBOX_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.expired',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.amount_capturable_updated',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.refunded',
  'refund.created',
] as const;

export type SandboxEventType = (typeof SANDBOX_EVENT_TYPES)[number];
export type EventOf<T extends SandboxEventType> = Extract<Stripe.Event, { type: T }>;
export type EventObjectOf<T extends SandboxEventType> = EventOf<T>['data']['object'];

export interface EventRequestInfo {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** The event carries a copy of the object as it was when the event happened, as Stripe's do. */
export function newEvent<T extends SandboxEventType>(
  type: T,
  object: EventObjectOf<T>,
  created: number,
  apiVersion: string,
  request: EventRequestInfo | null,
): EventOf<T> {
  const event = {
    id: newObjectId('evt'),
    object: 'event',
    api_version: apiVersion,
    created,
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 0,
    request: { id: request?.requestId ?? null, idempotency_key: request?.idempotencyKey ?? null },
    type,
  };
  // TypeScript cannot narrow a generic union member from its literal; the shape above is that member.
  return event as unknown as EventOf<T>;
}
