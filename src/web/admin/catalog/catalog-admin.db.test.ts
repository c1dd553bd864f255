import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom } from '../../../../test/test-app.ts';
import { createTestDatabase } from '../../../../test/test-database.ts';
import { type ShopFixture, shopFixture, staffSession, TEST_ACTOR } from '../../../domains/catalog/catalog-fixtures.testing.ts';
import { saveProduct } from '../../../domains/catalog/product.service.ts';
import { saveVariant } from '../../../domains/catalog/variant.service.ts';
import type { Config } from '../../../platform/config/config.ts';
import type { Database } from '../../../platform/db/database.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { cookieName } from '../../../platform/http/cookies.ts';

let database: Database;
let app: FastifyInstance;
let config: Config;
let shop: ShopFixture;
let other: ShopFixture;
let editor: string;
let clerk: string;
let otherProductId: string;
let variantId: string;
const MARKER = 'APPENDED_SKIMMER_PAYLOAD_31337';

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app, config } = await createTestApp(database, { env: { DATA_DIR: '.tmp/test-data-catalog-admin' } }));
  shop = await shopFixture(database, 'kaoru-haircare');
  other = await shopFixture(database, 'ayame-color');
  const cookie = (token: string) => `${cookieName(config, 'session')}=${token}`;
  editor = cookie((await staffSession(database, shop.tenantId, 'catalog_editor')).token);
  clerk = cookie((await staffSession(database, shop.tenantId, 'order_clerk')).token);
  const actor = TEST_ACTOR('00000000-0000-4000-8000-000000000003');
  otherProductId = (
    await withTenant(database, other.tenantId, (tx) =>
      saveProduct(tx, actor, null, { code: 'OTHER-9', name: '他店の商品', category_id: other.categoryId, status: 'active', tax_rate: '10', restriction: 'none' }),
    )
  ).id;
  variantId = await withTenant(database, shop.tenantId, async (tx) => {
    const p = await saveProduct(tx, actor, null, { code: 'ADM-1', name: '管理テスト商品', category_id: shop.categoryId, status: 'active', tax_rate: '10', restriction: 'none' });
    return (await saveVariant(tx, actor, p.id, null, { sku: 'ADM-1-A', list_price_yen: '1000' })).id;
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function form(cookie: string, url: string) {
  const res = await app.inject({ url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
  const csrf = csrfFrom(res);
  return { cookie: `${cookie}; ${csrf.cookie}`, token: csrf.token };
}

function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; body: Buffer }) {
  const boundary = `----oroshi${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.body, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const base = () => `/admin/${shop.slug}/catalog`;

describe('catalog console', () => {
  it('lets an editor create a product; the description is stored sanitised and the removal shown', async () => {
    const f = await form(editor, `${base()}/products/new`);
    const res = await app.inject({
      method: 'POST',
      url: `${base()}/products`,
      headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: f.token, code: 'WEB-1', name: 'ウェブ商品', category_id: shop.categoryId, status: 'draft', tax_rate: '8', restriction: 'professional', description_html: '<p>本文</p><img src=x onerror=alert(1)><script>alert(1)</script>' },
    });
    expect(res.statusCode).toBe(303);
    const page = await app.inject({ url: res.headers.location as string, headers: { cookie: editor } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('取り除いて保存しました');
    expect(page.body).toContain('script');
    const stored = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('products').select('description_html').where('code', '=', 'WEB-1').executeTakeFirstOrThrow());
    expect(stored.description_html).toBe('<p>本文</p>');
  });

  it('re-renders the form with Japanese field errors, never a 500', async () => {
    const f = await form(editor, `${base()}/products/new`);
    const res = await app.inject({
      method: 'POST',
      url: `${base()}/products`,
      headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: f.token, code: '不正 コード', name: '', category_id: shop.categoryId, status: 'active', tax_rate: '5', restriction: 'none' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('商品コードは半角英数字');
    expect(res.body).toContain('税率は10%か8%');
    expect(res.body).toContain('value="不正 コード"');
  });

  it("answers 404 for another shop's product id", async () => {
    const res = await app.inject({ url: `${base()}/products/${otherProductId}`, headers: { cookie: editor } });
    expect(res.statusCode).toBe(404);
    const f = await form(editor, `${base()}/products/new`);
    const post = await app.inject({
      method: 'POST',
      url: `${base()}/products/${otherProductId}`,
      headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: f.token, code: 'OTHER-9', name: '乗っ取り', category_id: shop.categoryId, status: 'active', tax_rate: '10', restriction: 'none' },
    });
    expect(post.statusCode).toBe(404);
  });

  it('edits a variant’s 棚番 (folded to half-width capitals); a bad one re-shows the form and changes nothing', async () => {
    const productId = await withTenant(database, shop.tenantId, async (tx) => (await tx.selectFrom('product_variants').select('product_id').where('id', '=', variantId).executeTakeFirstOrThrow()).product_id);
    const url = `${base()}/products/${productId}/variants/${variantId}`;
    const f = await form(editor, url);
    const post = (shelf: string) =>
      app.inject({ method: 'POST', url, headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' }, payload: { _csrf: f.token, sku: 'ADM-1-A', list_price_yen: '1000', pack_size: '1', min_quantity: '1', order_multiple: '1', status: 'active', shelf_location: shelf } });
    const bad = await post('棚の奥');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('棚番は半角英数字');
    expect(bad.body).toContain('value="棚の奥"');
    const shelfOf = async () => (await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_variants').select('shelf_location').where('id', '=', variantId).executeTakeFirstOrThrow())).shelf_location;
    expect(await shelfOf()).toBe('');
    const ok = await post('ｃ－０５－１');
    expect(ok.statusCode).toBe(303);
    expect(await shelfOf()).toBe('C-05-1');
    const page = await app.inject({ url, headers: { cookie: editor } });
    expect(page.body).toContain('value="C-05-1"');
  });

  it('lets an order clerk see and adjust stock but not products', async () => {
    expect((await app.inject({ url: `${base()}/products`, headers: { cookie: clerk } })).statusCode).toBe(403);
    expect((await app.inject({ url: `${base()}/csv`, headers: { cookie: clerk } })).statusCode).toBe(403);
    const f = await form(clerk, `${base()}/stock/${variantId}`);
    const res = await app.inject({
      method: 'POST',
      url: `${base()}/stock/${variantId}`,
      headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: f.token, delta: '12', reason: 'receipt', note: '入荷' },
    });
    expect(res.statusCode).toBe(303);
    const list = await app.inject({ url: `${base()}/stock`, headers: { cookie: clerk } });
    expect(list.body).toContain('ADM-1-A');
    const editPost = await app.inject({
      method: 'POST',
      url: `${base()}/products`,
      headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' },
      payload: { _csrf: f.token, code: 'CLERK-1', name: 'x', category_id: shop.categoryId, status: 'active', tax_rate: '10', restriction: 'none' },
    });
    expect(editPost.statusCode).toBe(403);
  });

  it('re-encodes an uploaded image and serves it on the shop origin without the appended payload', async () => {
    const productId = await withTenant(database, shop.tenantId, async (tx) => (await tx.selectFrom('products').select('id').where('code', '=', 'ADM-1').executeTakeFirstOrThrow()).id);
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c08060' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'EXIF_MARK_77' } })
      .toBuffer();
    const f = await form(editor, `${base()}/products/${productId}`);
    const upload = (body: Buffer, type: string) => {
      const mp = multipart({ _csrf: f.token, alt: '商品写真' }, { name: 'image', filename: 'photo.jpg', type, body });
      return app.inject({ method: 'POST', url: `${base()}/products/${productId}/images`, headers: { cookie: f.cookie, 'content-type': mp.contentType, 'sec-fetch-site': 'same-origin' }, payload: mp.payload });
    };
    const notImage = await upload(Buffer.from('<script>alert(1)</script>'), 'image/jpeg');
    expect(notImage.statusCode).toBe(400);
    expect(notImage.body).toContain('PNG・JPEG・WebP');
    expect(await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_images').selectAll().execute())).toEqual([]);

    const ok = await upload(Buffer.concat([jpeg, Buffer.from(`PK\u0003\u0004${MARKER}`)]), 'image/jpeg');
    expect(ok.statusCode).toBe(303);
    const image = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('product_images').select(['content_hash']).executeTakeFirstOrThrow());
    for (const size of [160, 480, 960]) {
      const served = await app.inject({ url: `/s/${shop.slug}/media/${image.content_hash}-${size}.webp` });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(served.headers['cache-control']).toContain('immutable');
      expect(served.rawPayload.includes(MARKER)).toBe(false);
      expect(served.rawPayload.includes('EXIF_MARK_77')).toBe(false);
    }
    // Another shop's origin does not serve this shop's file; the console thumbnail needs staff.
    expect((await app.inject({ url: `/s/${other.slug}/media/${image.content_hash}-160.webp` })).statusCode).toBe(404);
    expect((await app.inject({ url: `${base()}/media/${image.content_hash}-160.webp`, headers: { cookie: editor } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/s/${shop.slug}/media/..%2F..%2Fsecrets.key` })).statusCode).toBe(404);
  });

  it('imports a CSV through preview and commit, and exports it', async () => {
    const f = await form(editor, `${base()}/csv`);
    const exported = await app.inject({ method: 'POST', url: `${base()}/csv/export`, headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' }, payload: { _csrf: f.token, encoding: 'utf-8' } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    const text = exported.rawPayload.subarray(3).toString('utf8');
    const edited = text.replace('管理テスト商品', '管理テスト商品(改)');
    const mp = multipart({ _csrf: f.token }, { name: 'file', filename: 'catalog.csv', type: 'text/csv', body: Buffer.from(edited) });
    const up = await app.inject({ method: 'POST', url: `${base()}/csv/import`, headers: { cookie: f.cookie, 'content-type': mp.contentType, 'sec-fetch-site': 'same-origin' }, payload: mp.payload });
    expect(up.statusCode, up.body.slice(0, 300)).toBe(303);
    const preview = await app.inject({ url: up.headers.location as string, headers: { cookie: f.cookie } });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('この内容で取り込む');
    const commit = await app.inject({ method: 'POST', url: `${up.headers.location}/commit`, headers: { cookie: f.cookie, 'sec-fetch-site': 'same-origin' }, payload: { _csrf: f.token } });
    expect(commit.statusCode).toBe(303);
    const name = await withTenant(database, shop.tenantId, (tx) => tx.selectFrom('products').select('name').where('code', '=', 'ADM-1').executeTakeFirstOrThrow());
    expect(name.name).toBe('管理テスト商品(改)');
    // The clerk cannot open someone else's upload (nor any import).
    expect((await app.inject({ url: up.headers.location as string, headers: { cookie: clerk } })).statusCode).toBe(403);
  });
});
