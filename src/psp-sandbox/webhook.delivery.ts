import type Stripe from 'stripe';
import { signWebhookPayload } from './webhook.signature.ts';

export interface WebhookRetryPolicy {
  /** Delay before the 2nd attempt; doubles for each further one. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Per-attempt time limit for the receiver's answer. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
};

export interface WebhookTarget {
  endpointId: string;
  url: string;
  secret: string;
}

export interface WebhookAttempt {
  eventId: string;
  eventType: string;
  endpointId: string;
  attempt: number;
  at: number;
  /** HTTP status, or null when the receiver could not be reached or timed out. */
  status: number | null;
  error: string | null;
  delivered: boolean;
}

/**
 * Sends each event to each endpoint until it answers 2xx, backing off 1 s, 2 s, 4 s … up to a cap,
 * for a bounded number of attempts. Each attempt is signed afresh (new timestamp), like Stripe.
 * Deliveries in flight are not persisted: a restart drops retries still waiting.
 */
export class WebhookDispatcher {
  readonly attempts: WebhookAttempt[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    private readonly policy: WebhookRetryPolicy,
    private readonly nowSeconds: () => number,
    private readonly onDelivered: (eventId: string) => void,
  ) {}

  enqueue(event: Stripe.Event, target: WebhookTarget): void {
    const payload = JSON.stringify(event, null, 2);
    this.track(this.deliver(event, payload, target, 1));
  }

  /** Resolves once nothing is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const [timer, wake] of this.waits) {
      clearTimeout(timer);
      wake();
    }
    this.waits.clear();
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async deliver(event: Stripe.Event, payload: string, target: WebhookTarget, attempt: number): Promise<void> {
    if (this.closed) return;
    const record: WebhookAttempt = {
      eventId: event.id,
      eventType: event.type,
      endpointId: target.endpointId,
      attempt,
      at: Date.now(),
      status: null,
      error: null,
      delivered: false,
    };
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.policy.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'stripe-signature': signWebhookPayload(payload, target.secret, this.nowSeconds()),
        },
        body: payload,
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      record.delivered = response.status >= 200 && response.status < 300;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.attempts.push(record);
    if (record.delivered) {
      this.onDelivered(event.id);
      return;
    }
    if (attempt >= this.policy.maxAttempts || this.closed) return;
    const delay = Math.min(this.policy.initialDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, delay);
      this.waits.set(timer, resolve);
    });
    // close() wakes every wait early; deliver() then stops at its closed check.
    await this.deliver(event, payload, target, attempt + 1);
  }
}
