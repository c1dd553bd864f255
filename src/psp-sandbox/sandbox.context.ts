import type Stripe from 'stripe';
import type { SandboxStore } from './sandbox.store.ts';
import { type EventObjectOf, type EventRequestInfo, newEvent, type SandboxEventType } from './sandbox-event.build.ts';
import type { WebhookDispatcher } from './webhook.delivery.ts';

/** The API version the installed SDK (stripe@23) speaks; events are rendered in it. */
export const SANDBOX_API_VERSION = '2026-10-28.endive';

/** What every flow needs: state, the clock, where the hosted pages live, and the event sink. */
export interface SandboxContext {
  store: SandboxStore;
  publicOrigin: string;
  nowMs(): number;
  emit<T extends SandboxEventType>(account: string, type: T, object: EventObjectOf<T>, request?: EventRequestInfo | null): Stripe.Event;
}

export function nowSeconds(ctx: SandboxContext): number {
  return Math.floor(ctx.nowMs() / 1000);
}

function endpointWants(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes('*') || enabledEvents.includes(type);
}

export function createSandboxContext(options: {
  store: SandboxStore;
  publicOrigin: string;
  nowMs: () => number;
  dispatcher: () => WebhookDispatcher;
}): SandboxContext {
  const { store } = options;
  return {
    store,
    publicOrigin: options.publicOrigin,
    nowMs: options.nowMs,
    emit(account, type, object, request = null) {
      const event: Stripe.Event = newEvent(type, object, Math.floor(options.nowMs() / 1000), SANDBOX_API_VERSION, request);
      const targets = [...store.data.webhookEndpoints.values()].filter(
        (endpoint) => endpoint.account === account && endpoint.object.status === 'enabled' && endpointWants(endpoint.object.enabled_events, type),
      );
      event.pending_webhooks = targets.length;
      store.data.events.set(event.id, { account, object: event });
      store.changed();
      for (const endpoint of targets) {
        options.dispatcher().enqueue(event, { endpointId: endpoint.object.id, url: endpoint.object.url, secret: endpoint.secret });
      }
      return event;
    },
  };
}
