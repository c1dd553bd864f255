import fs from 'node:fs';
import type { Measurement } from './bench-report.ts';
import { confirmFields, type SignedInMember } from './member-csrf.ts';

/**
 * The whole checkout as orders/s: each worker is one buyer (its own member, so no two workers
 * share a cart) doing what a browser does — add a random SKU to the cart, post the checkout form
 * (bank transfer, new address), read the confirmation's key and total, place the order — until
 * the time is up. p50/p99 are of one whole checkout. Reads a CheckoutSpec from argv[2].
 */
export interface CheckoutSpec {
  base: string;
  shop: string;
  workers: number;
  duration: number;
  members: SignedInMember[];
  variantIds: string[];
}

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CheckoutSpec;
const shopBase = `${spec.base}/s/${spec.shop}`;
const address = {
  destination: 'new',
  recipientName: '計測 太郎',
  recipientCompany: 'ベンチサロン',
  postalCode: '1500001',
  prefecture: '東京都',
  city: '渋谷区',
  addressLine1: '神宮前1-1-1',
  phone: '03-5555-0000',
  paymentMethod: 'bank_transfer',
};

async function post(member: SignedInMember, path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${shopBase}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: member.csrfToken }).toString(),
  });
}

const latencies: number[] = [];
let failures = 0;
const failureReasons = new Map<string, number>();
const fail = (why: string) => {
  failures++;
  failureReasons.set(why, (failureReasons.get(why) ?? 0) + 1);
};

async function checkoutOnce(member: SignedInMember): Promise<void> {
  const started = performance.now();
  const variantId = spec.variantIds[Math.floor(Math.random() * spec.variantIds.length)]!;
  const added = await post(member, '/cart/items', { variantId, quantity: '1' });
  await added.arrayBuffer();
  if (added.status !== 303) return fail(`add ${added.status}`);
  const confirm = await post(member, '/checkout', address);
  const html = await confirm.text();
  const fields = confirm.status === 200 ? confirmFields(html) : null;
  if (!fields) return fail(`confirm ${confirm.status}`);
  const placed = await post(member, '/checkout/place', { ...address, ...fields });
  await placed.arrayBuffer();
  if (placed.status !== 303 || !placed.headers.get('location')?.includes('/checkout/complete/')) return fail(`place ${placed.status}`);
  latencies.push(performance.now() - started);
}

const until = performance.now() + spec.duration * 1000;
const startedAt = performance.now();
await Promise.all(
  Array.from({ length: spec.workers }, async (_, w) => {
    const member = spec.members[w % spec.members.length]!;
    while (performance.now() < until) await checkoutOnce(member);
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
