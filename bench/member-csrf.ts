/**
 * A member's CSRF pair, fetched once before the load starts: the secret cookie the shop sets and
 * the token its forms carry. Requests then send both (cookie + x-csrf-token), as a browser would.
 */
export interface SignedInMember {
  /** Session and CSRF cookies, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
}

/** `formPage`: a page that carries a POST form for this member (a product page's cart form). */
export async function signInMember(formPage: string, sessionCookie: string): Promise<SignedInMember> {
  const res = await fetch(formPage, { headers: { cookie: sessionCookie }, redirect: 'manual' });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`form page for a bench member answered ${res.status}`);
  const csrfCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('csrf'));
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrfCookie || !token) throw new Error('no CSRF pair on the form page');
  return { cookie: `${sessionCookie}; ${csrfCookie}`, csrfToken: token };
}

/** The hidden fields of the confirmation page that /checkout/place needs. */
export function confirmFields(html: string): { idempotencyKey: string; confirmedTotal: string } | null {
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
  const total = /name="confirmedTotal" value="([^"]+)"/.exec(html)?.[1];
  return key && total ? { idempotencyKey: key, confirmedTotal: total } : null;
}
