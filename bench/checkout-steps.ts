import { CHALLENGE_CODE } from '../src/psp-sandbox/card-payment.flow.ts';
import { TEST_CARDS } from '../src/psp-sandbox/test-cards.catalog.ts';
import { confirmFields, type SignedInMember } from './member-csrf.ts';

/**
 * One buyer's whole checkout as a browser does it: add a SKU to the cart, post the checkout form
 * (new address), read the confirmation's key and total, place the order. Bank transfer ends there;
 * a card order goes on as the buyer's browser does: the shop's payment step, the sandbox
 * provider's hosted page (its own origin — the card is typed there, never sent to Oroshi), a
 * 3-D Secure challenge when the provider asks, and back to the shop's return page. Used by the
 * checkout storms and by the bench's round-trip probe (each step's x-db-round-trips).
 */

export const BANK_TRANSFER_ADDRESS = {
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

export const CARD_ADDRESS = { ...BANK_TRANSFER_ADDRESS, paymentMethod: 'card' };

// The sandbox's always-approved Visa test number, taken from its own catalog.
const APPROVED_CARD = Object.entries(TEST_CARDS).find(([, card]) => card.note === 'Visa, succeeds')![0];

export interface CheckoutStep {
  step: 'add' | 'confirm' | 'place' | 'payment' | 'provider' | 'return';
  status: number;
  /** The server's x-db-round-trips header (DB_QUERY_STATS), when present. */
  roundTrips: number | null;
}

export type CheckoutOutcome = { ok: true; steps: CheckoutStep[]; location: string } | { ok: false; steps: CheckoutStep[]; failure: string };

/** A buyer: the signed-in member, and (for the card storm) the address their requests come from. */
export interface Buyer extends SignedInMember {
  forwardedFor?: string;
}

function headersOf(member: Buyer, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: member.cookie, ...(member.forwardedFor ? { 'x-forwarded-for': member.forwardedFor } : {}), ...extra };
}

function post(shopBase: string, member: Buyer, path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${shopBase}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: headersOf(member, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: new URLSearchParams({ ...fields, _csrf: member.csrfToken }).toString(),
  });
}

/** The provider's own pages: no Oroshi cookie, no CSRF token of ours. */
function postToProvider(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
}

const trips = (res: Response) => {
  const h = res.headers.get('x-db-round-trips');
  return h === null ? null : Number(h);
};

export async function checkoutOnce(shopBase: string, member: Buyer, variantId: string, fields: Record<string, string> = BANK_TRANSFER_ADDRESS): Promise<CheckoutOutcome> {
  const steps: CheckoutStep[] = [];
  const added = await post(shopBase, member, '/cart/items', { variantId, quantity: '1' });
  await added.arrayBuffer();
  steps.push({ step: 'add', status: added.status, roundTrips: trips(added) });
  if (added.status !== 303) return { ok: false, steps, failure: `add ${added.status}` };
  const confirm = await post(shopBase, member, '/checkout', fields);
  const html = await confirm.text();
  steps.push({ step: 'confirm', status: confirm.status, roundTrips: trips(confirm) });
  const confirmed = confirm.status === 200 ? confirmFields(html) : null;
  if (!confirmed) return { ok: false, steps, failure: `confirm ${confirm.status}` };
  const placed = await post(shopBase, member, '/checkout/place', { ...fields, ...confirmed });
  await placed.arrayBuffer();
  steps.push({ step: 'place', status: placed.status, roundTrips: trips(placed) });
  const location = placed.headers.get('location') ?? '';
  if (placed.status !== 303) return { ok: false, steps, failure: `place ${placed.status}` };
  return { ok: true, steps, location };
}

/** A card order from cart to the shop's "paid" page; ok only when the shop confirmed the payment. */
export async function cardCheckoutOnce(shopBase: string, member: Buyer, variantId: string): Promise<CheckoutOutcome> {
  const placed = await checkoutOnce(shopBase, member, variantId, CARD_ADDRESS);
  if (!placed.ok) return placed;
  const steps = placed.steps;
  const paymentPath = new URL(placed.location, shopBase).pathname;
  const shopPrefix = new URL(shopBase).pathname;
  if (!/\/payment\/[0-9a-f-]{36}$/.test(paymentPath)) return { ok: false, steps, failure: 'place: no payment step' };
  const start = await post(shopBase, member, paymentPath.slice(shopPrefix.length), {});
  await start.arrayBuffer();
  steps.push({ step: 'payment', status: start.status, roundTrips: trips(start) });
  const hosted = start.headers.get('location');
  if (start.status !== 303 || !hosted) return { ok: false, steps, failure: `payment ${start.status}` };
  let answer = await postToProvider(hosted, { number: APPROVED_CARD, expiry: '12/34', cvc: '737', name: 'KEISOKU TARO' });
  await answer.arrayBuffer();
  let next = answer.headers.get('location') ?? '';
  if (answer.status === 303 && next.includes('/3ds/')) {
    answer = await postToProvider(new URL(next, hosted).href, { action: 'authenticate', code: CHALLENGE_CODE });
    await answer.arrayBuffer();
    next = answer.headers.get('location') ?? '';
  }
  steps.push({ step: 'provider', status: answer.status, roundTrips: null });
  if (answer.status !== 303 || !next.includes('/return?')) return { ok: false, steps, failure: `provider ${answer.status}` };
  const back = await fetch(next, { redirect: 'manual', headers: headersOf(member) });
  const page = await back.text();
  steps.push({ step: 'return', status: back.status, roundTrips: trips(back) });
  if (back.status !== 200 || !page.includes('お支払いが完了しました')) return { ok: false, steps, failure: `return ${back.status}` };
  return { ok: true, steps, location: next };
}
