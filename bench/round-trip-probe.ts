import { cardCheckoutOnce, checkoutOnce } from './checkout-steps.ts';
import type { SignedInMember } from './member-csrf.ts';

/**
 * Database round trips per request, read from the server's x-db-round-trips header (the bench
 * starts Oroshi with DB_QUERY_STATS=true): one request per scenario, as its load would send it,
 * after a warm-up request so lazily cached lookups do not count. Round trips are what every
 * request pays on both cores (the server's and PostgreSQL's), whatever the machine's load.
 */
export interface RoundTripProbe {
  base: string;
  shopPath: string;
  member: SignedInMember;
  category: string;
  productCode: string;
  searchTerm: string;
  variantId: string;
}

async function trips(url: string, init: RequestInit): Promise<number | null> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  await res.arrayBuffer();
  const h = res.headers.get('x-db-round-trips');
  return h === null ? null : Number(h);
}

export async function probeRoundTrips(p: RoundTripProbe): Promise<Record<string, number | null>> {
  const get = async (path: string) => {
    const init = { headers: { cookie: p.member.cookie } };
    await trips(`${p.base}${path}`, init);
    return trips(`${p.base}${path}`, init);
  };
  const out: Record<string, number | null> = {
    catalog_listing: await get(`${p.shopPath}/c/${p.category}`),
    product_page: await get(`${p.shopPath}/p/${encodeURIComponent(p.productCode)}`),
    search: await get(`${p.shopPath}/search?q=${encodeURIComponent(p.searchTerm)}`),
  };
  // The checkout's own add-to-cart is the add_to_cart scenario's request.
  const checkout = await checkoutOnce(`${p.base}${p.shopPath}`, p.member, p.variantId);
  for (const step of checkout.steps) out[step.step === 'add' ? 'add_to_cart' : `checkout_${step.step}`] = step.roundTrips;
  const card = await cardCheckoutOnce(`${p.base}${p.shopPath}`, p.member, p.variantId);
  for (const step of card.steps) if (step.step !== 'add' && step.step !== 'provider') out[`card_${step.step}`] = step.roundTrips;
  return out;
}

/** A whole checkout's round trips: the sum of its requests' (null when any is unknown). */
export function sumOf(trips: Record<string, number | null>, keys: readonly string[]): number | null {
  let total = 0;
  for (const key of keys) {
    const n = trips[key];
    if (n == null) return null;
    total += n;
  }
  return total;
}
