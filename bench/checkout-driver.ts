import fs from 'node:fs';
import type { Measurement } from './bench-report.ts';
import { type Buyer, cardCheckoutOnce, checkoutOnce } from './checkout-steps.ts';
import type { SignedInMember } from './member-csrf.ts';

/**
 * The whole checkout as orders/s: each worker is one buyer at a time (members are split between
 * workers, so no two workers share a cart) doing what a browser does — add a random SKU to the
 * cart, post the checkout form, read the confirmation's key and total, place the order, and for a
 * card order pay on the sandbox provider's page and come back — until the time is up (or
 * `maxOrders` are placed). p50/p99 are of one whole checkout. Reads a CheckoutSpec from argv[2].
 */
export interface CheckoutSpec {
  base: string;
  shop: string;
  workers: number;
  duration: number;
  members: SignedInMember[];
  variantIds: string[];
  method?: 'bank_transfer' | 'card';
  /** Stop after this many orders (the card-testing guard allows a shop 300 payment starts per 10 minutes). */
  maxOrders?: number;
  /**
   * Give each worker its own client address (X-Forwarded-For; the bench's server trusts the
   * loopback proxy): the guard also allows one address only 20 payment starts per 10 minutes.
   */
  distinctAddresses?: boolean;
}

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CheckoutSpec;
const shopBase = `${spec.base}/s/${spec.shop}`;
const once = spec.method === 'card' ? cardCheckoutOnce : checkoutOnce;

const latencies: number[] = [];
let failures = 0;
let started = 0;
const failureReasons = new Map<string, number>();
const fail = (why: string) => {
  failures++;
  failureReasons.set(why, (failureReasons.get(why) ?? 0) + 1);
};

async function timedCheckout(buyer: Buyer): Promise<void> {
  const begun = performance.now();
  const variantId = spec.variantIds[Math.floor(Math.random() * spec.variantIds.length)]!;
  const outcome = await once(shopBase, buyer, variantId);
  if (!outcome.ok) return fail(outcome.failure);
  if (spec.method !== 'card' && !outcome.location.includes('/checkout/complete/')) return fail('place: no completion page');
  latencies.push(performance.now() - begun);
}

const until = performance.now() + spec.duration * 1000;
const startedAt = performance.now();
await Promise.all(
  Array.from({ length: spec.workers }, async (_, w) => {
    // This worker's members, in turn (the guard also counts payment starts per member user).
    const split = spec.members.filter((_, i) => i % spec.workers === w);
    const mine = split.length ? split : [spec.members[w % spec.members.length]!];
    const address = spec.distinctAddresses ? `10.77.${Math.floor(w / 250)}.${(w % 250) + 1}` : undefined;
    for (let turn = 0; performance.now() < until && started < (spec.maxOrders ?? Number.POSITIVE_INFINITY); turn++) {
      started++;
      await timedCheckout({ ...mine[turn % mine.length]!, forwardedFor: address });
    }
  }),
);
const seconds = (performance.now() - startedAt) / 1000;
latencies.sort((a, b) => a - b);
const quantile = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!) : 0);
const measured: Measurement & { orders: number; failures: Record<string, number> } = {
  rps: latencies.length / seconds,
  p50_ms: quantile(0.5),
  p99_ms: quantile(0.99),
  errors: failures,
  orders: latencies.length,
  failures: Object.fromEntries(failureReasons),
};
process.stdout.write(`${JSON.stringify(measured)}\n`);
