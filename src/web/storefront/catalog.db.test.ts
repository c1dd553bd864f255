import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../test/test-app.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoCatalog } from '../../demo/seed-catalog.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import { createSession } from '../../domains/auth/session.service.ts';
import { resolveMemberPrices } from '../../domains/pricing/member-price.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';

/** The members' catalog over HTTP on the seeded demo catalog: prices, restriction tiers, search, isolation, query counts. */

let database: Database;
let app: FastifyInstance;
let statements = 0;
const shops: Record<string, string> = {};
const A = 'ayame-color';
const B = 'kiriha-tools';
const cookies: Record<string, string> = {};
const ranks: Record<string, string> = {};

async function member(label: string, slug: string, rankCode: string, verification: 'verified' | 'pending'): Promise<string> {
  const accountId = crypto.randomUUID();
  const userId = crypto.randomUUID();
  const token = await withIdentity(database, { accountId, principalId: userId, audience: 'salon' }, async (tx) => {
    await tx
      .insertInto('salon_accounts')
      .values({
        id: accountId,
        business_type: 'corporation',
        company_name: `株式会社${label}`,
        salon_name: `サロン${label}`,
        representative_name: '代表 花子',
        postal_code: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        address_line1: '神宮前1-1-1',
        phone: '03-1234-5678',
        verification_status: verification,
      })
      .execute();
    await tx.insertInto('salon_users').values({ id: userId, account_id: accountId, email: `${label}@salon.example`, display_name: `${label}担当`, role: 'owner' }).execute();
    return (await createSession(tx, { audience: 'salon', userId, accountId })).token;
  });
  await withTenant(database, shops[slug]!, async (tx) => {
    const rank = await tx.selectFrom('shop_price_ranks').select('id').where('code', '=', rankCode).executeTakeFirstOrThrow();
    ranks[`${slug}:${rankCode}`] = rank.id;
    await tx
      .insertInto('memberships')
      .values({ tenant_id: shops[slug]!, account_id: accountId, status: 'approved', rank_id: rank.id, consent_at: new Date(), consent_version: 'test', decided_at: new Date() })
      .execute();
  });
  return `oroshi_session=${token}`;
}

function get(path: string, who: string) {
  statements = 0;
  return app.inject({ method: 'GET', url: path, headers: { cookie: cookies[who] ?? '', accept: 'text/html' } });
}

async function codeWhere(slug: string, where: string): Promise<string> {
  return withTenant(database, shops[slug]!, async (tx) => {
    const { rows } = await sql<{ code: string }>`SELECT p.code FROM products p WHERE p.status = 'active' AND ${sql.raw(where)} ORDER BY p.code LIMIT 1`.execute(tx);
    return rows[0]!.code;
  });
}

beforeAll(async () => {
  const raw = await createTestDatabase();
  await seedDemoPlatform(raw);
  await seedDemoCatalog(raw);
  // Every statement the app sends (the request setup included) is counted.
  database = {
    ...raw,
    close: raw.close,
    db: raw.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    }),
  };
  ({ app } = await createTestApp(database));
  for (const t of await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).execute())) shops[t.slug] = t.id;
  cookies.gold = await member('gold', A, 'gold', 'verified');
  cookies.unverified = await member('pending', A, 'general', 'pending');
  cookies.shopB = await member('kiriha', B, 'silver', 'verified');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('member home', () => {
  it('shows an approved member the shop’s categories, new and featured products', async () => {
    const res = await get(`/s/${A}/`, 'gold');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('よく買う商品');
    expect(res.body).toContain('おすすめ');
    expect(res.body).toContain('新着商品');
    expect(res.body).toContain(`/s/${A}/c/hair-color`);
    expect(res.body).toContain('ゴールド');
    expect(statements).toBeLessThanOrEqual(16);
  });

  it('keeps the closed front for anyone else', async () => {
    const res = await get(`/s/${A}/`, 'anonymous');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('class="price');
    const other = await get(`/s/${A}/`, 'shopB');
    expect(other.body).not.toContain('class="price');
    expect(other.body).not.toContain('よく買う商品');
  });
});

describe('category listing', () => {
  it('pages 24 products with a bounded number of queries', async () => {
    const first = await get(`/s/${A}/c/hair-color`, 'gold');
    expect(first.statusCode).toBe(200);
    const firstCount = statements;
    expect((first.body.match(/class="product-card"/g) ?? []).length).toBe(24);
    const second = await get(`/s/${A}/c/hair-color?page=2`, 'gold');
    expect(second.statusCode).toBe(200);
    expect(firstCount).toBeLessThanOrEqual(6);
    // Setup (with the member gate), the page's cards with their count and member prices, commit:
    // the category tree and brand facets come from the cache of this catalog version.
    expect(statements).toBe(3);
    const firstCodes = [...first.body.matchAll(/品番 ([A-Z0-9-]+)<\/p>/g)].map((m) => m[1]);
    const secondCodes = [...second.body.matchAll(/品番 ([A-Z0-9-]+)<\/p>/g)].map((m) => m[1]);
    expect(secondCodes.length).toBeGreaterThan(0);
    expect(secondCodes.filter((c) => firstCodes.includes(c))).toEqual([]);
  });

  it('prices every card of a listing at the member’s rank price of its cheapest variant', async () => {
    const res = await get(`/s/${A}/c/hair-color`, 'gold');
    const cards = res.body.split('class="product-card"').slice(1);
    expect(cards.length).toBe(24);
    const codes = cards.map((card) => /品番 ([A-Z0-9-]+)<\/p>/.exec(card)![1]!);
    const expected = await withTenant(database, shops[A]!, async (tx) => {
      const variants = await tx
        .selectFrom('product_variants as v')
        .innerJoin('products as p', 'p.id', 'v.product_id')
        .select(['p.code', 'v.id', 'v.list_price_yen', 'v.sort_order'])
        .where('p.code', 'in', codes)
        .where('v.status', '=', 'active')
        .execute();
      const prices = await resolveMemberPrices(tx, { tenantId: shops[A]!, rankId: ranks[`${A}:gold`]!, variantIds: variants.map((v) => v.id) });
      const cheapest = new Map<string, (typeof variants)[number]>();
      for (const v of variants) {
        const best = cheapest.get(v.code);
        if (!best || v.list_price_yen < best.list_price_yen || (v.list_price_yen === best.list_price_yen && v.sort_order < best.sort_order)) cheapest.set(v.code, v);
      }
      return new Map([...cheapest].map(([code, v]) => [code, prices.get(v.id)!]));
    });
    const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;
    cards.forEach((card, i) => {
      const price = expected.get(codes[i]!)!;
      expect(card).toContain(yen(price.unitPriceYen));
      expect(card).toContain(`税込 ${yen(price.unitPriceInclTaxYen)}`);
    });
  });

  it('shows a catalog change on the next page: the listing, its total and the brand counts follow the catalog version', async () => {
    const path = `/s/${A}/c/hair-color`;
    const totalOf = (body: string) => Number(/(\d+)件中/.exec(body)?.[1]);
    const before = await get(path, 'gold');
    const code = /品番 ([A-Z0-9-]+)<\/p>/.exec(before.body)![1]!;
    const product = await withTenant(database, shops[A]!, (tx) =>
      tx
        .selectFrom('products as p')
        .innerJoin('brands as b', (j) => j.onRef('b.tenant_id', '=', 'p.tenant_id').onRef('b.id', '=', 'p.brand_id'))
        .select(['p.id', 'b.name'])
        .where('p.code', '=', code)
        .executeTakeFirstOrThrow(),
    );
    const brand = product.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const brandCount = (body: string) => Number(new RegExp(`${brand}<span class="muted">（(\\d+)）`).exec(body)?.[1]);
    const setVariants = (status: 'active' | 'archived') =>
      withTenant(database, shops[A]!, (tx) => tx.updateTable('product_variants').set({ status }).where('product_id', '=', product.id).execute());

    // No active variant left: the product is no longer listed (a trigger keeps that on the product).
    await setVariants('archived');
    const after = await get(path, 'gold');
    expect(after.body).not.toContain(`品番 ${code}<`);
    expect(totalOf(after.body)).toBe(totalOf(before.body) - 1);
    expect(brandCount(after.body)).toBe(brandCount(before.body) - 1);

    await setVariants('active');
    const again = await get(path, 'gold');
    expect(totalOf(again.body)).toBe(totalOf(before.body));
    expect(brandCount(again.body)).toBe(brandCount(before.body));
    expect(again.body).toContain(`品番 ${code}<`);
  });

  it('sorts by price and filters by brand and stock', async () => {
    const res = await get(`/s/${A}/c/hair-care?sort=price_asc`, 'gold');
    const listed = [...res.body.matchAll(/定価 <s>¥([\d,]+)<\/s>/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(listed.length).toBeGreaterThan(5);
    expect([...listed].sort((x, y) => x - y)).toEqual(listed);
    const chosen = await withTenant(database, shops[A]!, async (tx) => {
      const { rows } = await sql<{ slug: string; name: string }>`
        SELECT b.slug, b.name FROM brands b JOIN products p ON p.brand_id = b.id JOIN categories c ON c.id = p.category_id
         JOIN categories parent ON parent.id = c.parent_id WHERE parent.slug = 'hair-care' GROUP BY b.slug, b.name ORDER BY count(*) LIMIT 1`.execute(tx);
      return rows[0]!;
    });
    const brand = await get(`/s/${A}/c/hair-care?brand=${chosen.slug}`, 'gold');
    const names = [...brand.body.matchAll(/class="product-card__brand">([^<]*)</g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set([chosen.name]));
    const inStock = await get(`/s/${A}/c/hair-color?stock=1`, 'gold');
    expect(inStock.body).not.toContain('>在庫切れ<');
  });

  it('answers an unknown category with 404 and nonsense parameters with a normal page', async () => {
    expect((await get(`/s/${A}/c/no-such-category`, 'gold')).statusCode).toBe(404);
    const odd = await get(`/s/${A}/c/hair-care?page=-3&sort=%27;DROP&brand=%3Cscript%3E&stock=yes`, 'gold');
    expect(odd.statusCode).toBe(200);
  });
});

describe('product page', () => {
  it('shows the member’s rank price, tax-included beside it, list price, JAN and tiers', async () => {
    const code = await codeWhere(A, `p.restriction = 'none' AND EXISTS (SELECT 1 FROM product_variants v JOIN volume_tiers t ON t.variant_id = v.id WHERE v.product_id = p.id)`);
    const res = await get(`/s/${A}/p/${code}`, 'gold');
    expect(res.statusCode).toBe(200);
    // Setup (with the member gate), the product with its variants and images, their prices, commit.
    expect(statements).toBe(4);
    const expected = await withTenant(database, shops[A]!, async (tx) => {
      const variants = await tx.selectFrom('product_variants as v').innerJoin('products as p', 'p.id', 'v.product_id').select(['v.id', 'v.jan_code']).where('p.code', '=', code).execute();
      const prices = await resolveMemberPrices(tx, { tenantId: shops[A]!, rankId: ranks[`${A}:gold`]!, variantIds: variants.map((v) => v.id) });
      return variants.map((v) => ({ jan: v.jan_code, price: prices.get(v.id)! }));
    });
    const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;
    for (const v of expected) {
      expect(res.body).toContain(`JAN ${v.jan}`);
      expect(res.body).toContain(yen(v.price.unitPriceYen));
      expect(res.body).toContain(`税込 ${yen(v.price.unitPriceInclTaxYen)}`);
      expect(res.body).toContain(yen(v.price.listPriceYen));
    }
    expect(res.body).toContain('まとめ買い価格');
    expect(res.body).toContain('ゴールドランクの会員価格');
  });

  it('answers another shop’s product code, and unknown codes, with 404', async () => {
    const bCode = await codeWhere(B, 'true');
    expect((await get(`/s/${A}/p/${bCode}`, 'gold')).statusCode).toBe(404);
    expect((await get(`/s/${A}/p/NOPE-0000`, 'gold')).statusCode).toBe(404);
    expect((await get(`/s/${A}/p/${encodeURIComponent("x' OR '1'='1")}`, 'gold')).statusCode).toBe(404);
  });

  it('keeps shop B’s catalog away from shop A’s member, and the other way round', async () => {
    const bCode = await codeWhere(B, 'true');
    const res = await get(`/s/${B}/p/${bCode}`, 'gold');
    expect(res.statusCode).toBe(303);
    expect(res.body).not.toContain(bCode);
    const search = await get(`/s/${A}/search?q=${bCode}`, 'gold');
    expect(search.body).toContain('0件中');
    expect((await get(`/s/${A}/c/hair-care`, 'shopB')).statusCode).toBe(303);
  });

  it('toggles a favourite with a POST form and shows it under よく買う商品 and お気に入り', async () => {
    const code = await codeWhere(A, `p.restriction = 'none'`);
    const page = await get(`/s/${A}/p/${code}`, 'gold');
    const csrf = csrfFrom(page);
    const post = await app.inject({
      method: 'POST',
      url: `/s/${A}/p/${code}/favourite`,
      headers: { cookie: `${cookies.gold}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrf.token)}&favourite=1`,
    });
    expect(post.statusCode).toBe(303);
    expect((await get(`/s/${A}/favourites`, 'gold')).body).toContain(`品番 ${code}`);
    const home = await get(`/s/${A}/`, 'gold');
    const frequent = home.body.slice(home.body.indexOf('id="frequent"'), home.body.indexOf('id="featured"'));
    expect(frequent).toContain(`品番 ${code}`);
    const noCsrf = await app.inject({
      method: 'POST',
      url: `/s/${A}/p/${code}/favourite`,
      headers: { cookie: cookies.gold!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'favourite=0',
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});

describe('restriction tiers (理美容師限定)', () => {
  it('shows unverified members the product marked, without price or order form, on the page', async () => {
    const code = await codeWhere(A, `p.restriction = 'professional'`);
    const res = await get(`/s/${A}/p/${code}`, 'unverified');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('理美容師限定');
    expect(res.body).not.toMatch(/class="price"/);
    expect(res.body).not.toContain('/cart/items');
    const verified = await get(`/s/${A}/p/${code}`, 'gold');
    expect(verified.body).toMatch(/class="price"/);
    expect(verified.body).toContain('/cart/items');
  });

  it('hides the price of restricted products in search and listings for unverified members', async () => {
    const res = await get(`/s/${A}/search?q=${encodeURIComponent('アヤメカラー ナチュラル')}`, 'unverified');
    const cards = res.body.split('class="product-card"').slice(1);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card).toContain('理美容師限定');
      expect(card).not.toMatch(/class="price"/);
    }
    const listing = await get(`/s/${A}/c/color-cream`, 'unverified');
    expect(listing.body).toContain('資格確認済みのサロン様に価格を表示します');
    const verified = await get(`/s/${A}/search?q=${encodeURIComponent('アヤメカラー ナチュラル')}`, 'gold');
    expect(verified.body).toMatch(/class="price"/);
  });
});

describe('search', () => {
  const codesIn = (body: string) => [...body.matchAll(/品番 ([A-Z0-9-]+)<\/p>/g)].map((m) => m[1]).sort();

  it('finds the same products whatever the width, kana and case of the query', async () => {
    const forms = ['カラー', 'ｶﾗｰ', 'から-', 'からー', 'ｶﾗ-'];
    const results = [];
    for (const q of forms) {
      const res = await get(`/s/${A}/search?q=${encodeURIComponent(q)}`, 'gold');
      expect(res.statusCode).toBe(200);
      results.push(codesIn(res.body));
    }
    expect(results[0]!.length).toBeGreaterThan(0);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(statements).toBeLessThanOrEqual(12);
  });

  it('matches full-width Latin letters and codes like their ASCII forms', async () => {
    const code = await codeWhere(A, `p.restriction = 'none'`);
    const fullWidth = code.replace(/[A-Za-z0-9-]/g, (ch) => (ch === '-' ? '－' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0)));
    const res = await get(`/s/${A}/search?q=${encodeURIComponent(fullWidth.toLowerCase())}`, 'gold');
    expect(codesIn(res.body)).toContain(code);
    const spellings = [];
    for (const q of ['MIYABI', 'miyabi', 'ＭＩＹＡＢＩ', 'ｍｉｙａｂｉ', 'Miyabi']) {
      spellings.push(codesIn((await get(`/s/${B}/search?q=${encodeURIComponent(q)}`, 'shopB')).body));
    }
    expect(spellings[0]!.length).toBeGreaterThan(0);
    for (const r of spellings) expect(r).toEqual(spellings[0]);
  });

  it('finds katakana names from a hiragana query', async () => {
    const katakana = codesIn((await get(`/s/${A}/search?q=${encodeURIComponent('アッシュ')}`, 'gold')).body);
    const hiragana = codesIn((await get(`/s/${A}/search?q=${encodeURIComponent('あっしゅ')}`, 'gold')).body);
    expect(katakana.length).toBeGreaterThan(0);
    expect(hiragana).toEqual(katakana);
  });

  it('answers symbols, SQL fragments and 10 kB of text with a normal result page', async () => {
    for (const q of ["'; DROP TABLE products; --", '% _ \\ %%', "' OR 1=1 --", '<script>alert(1)</script>', '!!!???', 'あ'.repeat(10_000), '%'.repeat(10_000)]) {
      const res = await get(`/s/${A}/search?q=${encodeURIComponent(q)}`, 'gold');
      expect(res.statusCode, q.slice(0, 20)).toBe(200);
      expect(res.body).not.toContain('<script>alert');
    }
    const count = await withTenant(database, shops[A]!, (tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM products`.execute(tx));
    expect(count.rows[0]!.n).toBeGreaterThanOrEqual(200);
    // A % query must not match everything through LIKE.
    expect((await get(`/s/${A}/search?q=%25`, 'gold')).body).not.toContain('class="product-card"');
  });
});
