import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getProductDetail, isUuid, listBrands, listCategories, listProducts, listRanks } from '../../../domains/catalog/catalog.read.ts';
import { saveProduct } from '../../../domains/catalog/product.service.ts';
import { saveVariant } from '../../../domains/catalog/variant.service.ts';
import { addSalePrice, deleteSalePrice, setRankPrices, setVolumeTiers } from '../../../domains/catalog/variant-prices.service.ts';
import { IMAGE_MAX_BYTES, processProductImage } from '../../../domains/media/image-upload.process.ts';
import { storeRenditions } from '../../../domains/media/media-store.ts';
import { attachProductImage, removeProductImage } from '../../../domains/media/product-image.service.ts';
import { DomainError, NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { assertCsrf } from '../../../platform/http/app.ts';
import { cookieName } from '../../../platform/http/cookies.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import type { FieldErrors, FormValues } from '../../../platform/views/console-form.tsx';
import { formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { CATALOG_EDIT_ROLES, catalogActor, catalogBase, pageNumber } from './catalog-admin.shared.ts';
import { ProductEditPage, ProductListPage, ProductNewPage, productFormValues, VariantPage, variantFormValues } from './products.view.tsx';

const NOTICES: Record<string, string> = {
  saved: '保存しました。',
  prices: '価格を保存しました。',
  image: '画像を追加しました。',
  'image-removed': '画像を削除しました。',
  sale: 'セール価格を追加しました。',
  'sale-removed': 'セール価格を削除しました。',
};

function multipartFields(file: MultipartFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(file.fields)) {
    const f = Array.isArray(field) ? field[0] : field;
    if (f && f.type === 'field' && typeof f.value === 'string') out[name] = f.value;
  }
  return out;
}

/** 商品: list, create, edit with variants, prices and images (catalog editors and shop admins). */
export function adminProductRoutes(app: FastifyInstance, platform: Platform) {
  const roles = CATALOG_EDIT_ROLES;
  const config = { staffRoles: roles };
  const csrfCookie = cookieName(platform.config, 'csrf');

  app.get('/catalog/products', { config }, async (request, reply) => {
    const query = request.query as { q?: string; status?: string; category?: string; page?: string };
    const status = query.status === 'draft' || query.status === 'active' || query.status === 'archived' ? query.status : '';
    const data = await inAdmin(platform, request, roles, async (s) => ({
      ...s,
      list: await listProducts(s.tx, { q: query.q, status, categoryId: query.category, page: pageNumber(query.page) }),
      categories: await listCategories(s.tx),
    }));
    return reply.page(
      <ProductListPage
        {...frameOf(platform, request, data)}
        {...data.list}
        categories={data.categories}
        query={{ q: query.q?.slice(0, 200), status, category: isUuid(query.category) ? query.category : undefined }}
      />,
      { page: 'admin-catalog-products' },
    );
  });

  async function renderNew(request: FastifyRequest, reply: FastifyReply, values: FormValues, errors?: FieldErrors) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, categories: await listCategories(s.tx), brands: await listBrands(s.tx) }));
    return reply.page(<ProductNewPage {...frameOf(platform, request, data)} values={values} errors={errors} categories={data.categories} brands={data.brands} />, {
      page: 'admin-catalog-product-new',
      status: errors ? 400 : 200,
    });
  }

  async function renderEdit(request: FastifyRequest, reply: FastifyReply, id: string, form?: { values: FormValues; errors: FieldErrors }, imageErrors?: FieldErrors) {
    const data = await inAdmin(platform, request, roles, async (s) => ({
      ...s,
      product: await getProductDetail(s.tx, id),
      categories: await listCategories(s.tx),
      brands: await listBrands(s.tx),
      ranks: await listRanks(s.tx),
    }));
    const query = request.query as { done?: string; removed?: string };
    const removed = (query.removed ?? '').split(',').filter((r) => /^[a-z0-9-]{1,40}(\[[a-z0-9:_-]{1,40}\])?$/i.test(r)).slice(0, 20);
    return reply.page(
      <ProductEditPage
        {...frameOf(platform, request, data)}
        product={data.product}
        values={form?.values ?? productFormValues(data.product)}
        errors={form?.errors}
        imageErrors={imageErrors}
        removed={removed}
        notice={NOTICES[query.done ?? '']}
        categories={data.categories}
        brands={data.brands}
        ranks={data.ranks}
      />,
      { page: 'admin-catalog-product', status: form || imageErrors ? 400 : 200 },
    );
  }

  app.get('/catalog/products/new', { config }, (request, reply) => renderNew(request, reply, { status: 'draft', tax_rate: '10', restriction: 'none' }));

  app.post('/catalog/products', { config }, async (request, reply) => {
    const body = formBody(request);
    try {
      const { slug, saved } = await inAdmin(platform, request, roles, async (s) => ({ slug: s.tenant.slug, saved: await saveProduct(s.tx, catalogActor(s.actor), null, body) }));
      const removed = saved.removed.length ? `&removed=${encodeURIComponent(saved.removed.join(','))}` : '';
      return reply.redirect(`${catalogBase(slug)}/products/${saved.id}?done=saved${removed}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderNew(request, reply, body, { ...err.fieldErrors });
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/catalog/products/:id', { config }, (request, reply) => renderEdit(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>('/catalog/products/:id', { config }, async (request, reply) => {
    const { id } = request.params;
    const body = formBody(request);
    try {
      const { slug, saved } = await inAdmin(platform, request, roles, async (s) => {
        if (!isUuid(id)) throw new NotFoundError('商品が見つかりません。');
        return { slug: s.tenant.slug, saved: await saveProduct(s.tx, catalogActor(s.actor), id, body) };
      });
      const removed = saved.removed.length ? `&removed=${encodeURIComponent(saved.removed.join(','))}` : '';
      return reply.redirect(`${catalogBase(slug)}/products/${id}?done=saved${removed}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderEdit(request, reply, id, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/catalog/products/:id/images', { config: { ...config, csrf: 'manual' } }, async (request, reply) => {
    const { id } = request.params;
    await inAdmin(platform, request, roles, async (s) => getProductDetail(s.tx, id));
    if (!request.isMultipart()) return renderEdit(request, reply, id, undefined, { image: '画像ファイルを選んでください。' });
    let file: MultipartFile | undefined;
    let bytes: Buffer;
    try {
      file = await request.file({ limits: { fileSize: IMAGE_MAX_BYTES } });
      if (!file) return renderEdit(request, reply, id, undefined, { image: '画像ファイルを選んでください。' });
      assertCsrf(platform, { body: multipartFields(file), headers: request.headers, cookies: request.cookies, log: request.log }, csrfCookie);
      bytes = await file.toBuffer();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return renderEdit(request, reply, id, undefined, { image: '画像は10MB以内にしてください。' });
      throw err;
    }
    const alt = multipartFields(file).alt ?? '';
    try {
      // Decoding and writing files happen outside the transaction.
      const image = await processProductImage(bytes);
      await storeRenditions(platform.config.dataDir, image.contentHash, image.renditions);
      const slug = await inAdmin(platform, request, roles, async (s) => {
        await attachProductImage(s.tx, catalogActor(s.actor), id, image, alt);
        return s.tenant.slug;
      });
      return reply.redirect(`${catalogBase(slug)}/products/${id}?done=image`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderEdit(request, reply, id, undefined, { ...err.fieldErrors });
      throw err;
    }
  });

  app.post<{ Params: { id: string; imageId: string } }>('/catalog/products/:id/images/:imageId/delete', { config }, async (request, reply) => {
    const { id, imageId } = request.params;
    const slug = await inAdmin(platform, request, roles, async (s) => {
      if (!isUuid(id) || !isUuid(imageId)) throw new NotFoundError('画像が見つかりません。');
      await removeProductImage(s.tx, catalogActor(s.actor), id, imageId);
      return s.tenant.slug;
    });
    return reply.redirect(`${catalogBase(slug)}/products/${id}?done=image-removed`, 303);
  });

  // Variants: their own page (basic data, rank prices, volume tiers, sales).
  async function renderVariant(
    request: FastifyRequest,
    reply: FastifyReply,
    productId: string,
    variantId: string | null,
    form?: { values?: FormValues; errors?: FieldErrors; priceValues?: FormValues; priceErrors?: FieldErrors },
  ) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, product: await getProductDetail(s.tx, productId), ranks: await listRanks(s.tx) }));
    const variant = variantId === null ? null : (data.product.variants.find((v) => v.id === variantId) ?? null);
    if (variantId !== null && !variant) throw new NotFoundError('バリエーションが見つかりません。');
    return reply.page(
      <VariantPage
        {...frameOf(platform, request, data)}
        product={data.product}
        variant={variant}
        ranks={data.ranks}
        values={form?.values ?? variantFormValues(variant)}
        errors={form?.errors}
        priceValues={form?.priceValues}
        priceErrors={form?.priceErrors}
        notice={NOTICES[(request.query as { done?: string }).done ?? '']}
      />,
      { page: 'admin-catalog-variant', status: form ? 400 : 200 },
    );
  }

  app.get<{ Params: { id: string } }>('/catalog/products/:id/variants/new', { config }, (request, reply) => renderVariant(request, reply, request.params.id, null));
  app.get<{ Params: { id: string; vid: string } }>('/catalog/products/:id/variants/:vid', { config }, (request, reply) =>
    renderVariant(request, reply, request.params.id, isUuid(request.params.vid) ? request.params.vid : '00000000-0000-0000-0000-000000000000'),
  );

  const saveVariantRoute = (variantId: (request: FastifyRequest) => string | null) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const vid = variantId(request);
    const body = formBody(request);
    try {
      const { slug, saved } = await inAdmin(platform, request, roles, async (s) => {
        if (!isUuid(id) || (vid !== null && !isUuid(vid))) throw new NotFoundError('バリエーションが見つかりません。');
        return { slug: s.tenant.slug, saved: await saveVariant(s.tx, catalogActor(s.actor), id, vid, body) };
      });
      return reply.redirect(`${catalogBase(slug)}/products/${id}/variants/${saved.id}?done=saved`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderVariant(request, reply, id, vid, { values: body, errors: { ...err.fieldErrors } });
      throw err;
    }
  };
  app.post('/catalog/products/:id/variants', { config }, saveVariantRoute(() => null));
  app.post('/catalog/products/:id/variants/:vid', { config }, saveVariantRoute((r) => (r.params as { vid: string }).vid));

  const priceRoute = (action: (s: Parameters<Parameters<typeof inAdmin>[3]>[0], variantId: string, body: Record<string, string>) => Promise<unknown>, done: string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { id, vid } = request.params as { id: string; vid: string };
      const body = formBody(request);
      try {
        const slug = await inAdmin(platform, request, roles, async (s) => {
          if (!isUuid(id) || !isUuid(vid)) throw new NotFoundError('バリエーションが見つかりません。');
          const owner = await s.tx.selectFrom('product_variants').select('id').where('id', '=', vid).where('product_id', '=', id).executeTakeFirst();
          if (!owner) throw new NotFoundError('バリエーションが見つかりません。');
          await action(s, vid, body);
          return s.tenant.slug;
        });
        return reply.redirect(`${catalogBase(slug)}/products/${id}/variants/${vid}?done=${done}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) return renderVariant(request, reply, id, vid, { priceValues: body, priceErrors: { ...err.fieldErrors } });
        throw err;
      }
    };

  app.post(
    '/catalog/products/:id/variants/:vid/prices',
    { config },
    priceRoute(async (s, vid, body) => {
      const cells = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('rank.')).map(([k, v]) => [k.slice(5), v]));
      const tiers: { min_quantity: string; discount_percent: string }[] = [];
      for (let i = 0; i < 20; i++) {
        const min = body[`tiers.${i}.min_quantity`];
        const pct = body[`tiers.${i}.discount_percent`];
        if (min === undefined && pct === undefined) continue;
        tiers.push({ min_quantity: min ?? '', discount_percent: pct ?? '' });
      }
      await setRankPrices(s.tx, catalogActor(s.actor), vid, cells);
      await setVolumeTiers(s.tx, catalogActor(s.actor), vid, tiers);
    }, 'prices'),
  );
  app.post(
    '/catalog/products/:id/variants/:vid/sales',
    { config },
    priceRoute(
      (s, vid, body) => addSalePrice(s.tx, catalogActor(s.actor), vid, { price_yen: body['sale.price_yen'], starts_at: body['sale.starts_at'], ends_at: body['sale.ends_at'] }),
      'sale',
    ),
  );
  app.post<{ Params: { id: string; vid: string; saleId: string } }>('/catalog/products/:id/variants/:vid/sales/:saleId/delete', { config }, async (request, reply) => {
    const { id, vid, saleId } = request.params;
    const slug = await inAdmin(platform, request, roles, async (s) => {
      if (!isUuid(vid) || !isUuid(saleId)) throw new NotFoundError('セール価格が見つかりません。');
      await deleteSalePrice(s.tx, catalogActor(s.actor), vid, saleId);
      return s.tenant.slug;
    });
    return reply.redirect(`${catalogBase(slug)}/products/${id}/variants/${vid}?done=sale-removed`, 303);
  });
}
