import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitizeDescription } from '../../domains/catalog/description-sanitizer.ts';
import { isJapaneseJan } from '../../domains/catalog/jan-code.ts';
import { isRegistrationNumber } from '../../domains/invoicing/registration-number.ts';
import { type DemoCatalog, demoCatalogFor } from './demo-catalog.ts';
import { DEMO_IMAGES, demoImagePath } from './demo-images.ts';
import { DEMO_SHOPS } from './demo-shops.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const catalogs: DemoCatalog[] = DEMO_SHOPS.map((shop) => demoCatalogFor(shop.slug));
const variantsOf = (catalog: DemoCatalog) => catalog.products.flatMap((p) => p.variants.map((v) => ({ product: p, variant: v })));

describe('demo shops', () => {
  it('are the operator mall and five suppliers with distinct slugs', () => {
    expect(DEMO_SHOPS).toHaveLength(6);
    expect(new Set(DEMO_SHOPS.map((s) => s.slug)).size).toBe(6);
    expect(DEMO_SHOPS.filter((s) => s.kind === 'operator_mall').map((s) => s.slug)).toEqual(['mall']);
    expect(DEMO_SHOPS.filter((s) => s.kind === 'supplier')).toHaveLength(5);
  });

  it('carry valid, distinct qualified-invoice registration numbers', () => {
    for (const shop of DEMO_SHOPS) expect(isRegistrationNumber(shop.registrationNumber), shop.registrationNumber).toBe(true);
    expect(new Set(DEMO_SHOPS.map((s) => s.registrationNumber)).size).toBe(DEMO_SHOPS.length);
  });

  it('fill every 特定商取引法 field with fictional contact details', () => {
    const keys = [
      'seller',
      'representative',
      'postal_code',
      'address',
      'phone',
      'email',
      'business_hours',
      'prices',
      'extra_fees',
      'payment_methods',
      'payment_timing',
      'delivery_timing',
      'returns',
      'members_only',
    ];
    for (const shop of DEMO_SHOPS) {
      expect(Object.keys(shop.legal).sort()).toEqual([...keys].sort());
      for (const key of keys) expect((shop.legal as unknown as Record<string, string>)[key]?.trim(), `${shop.slug}.${key}`).toBeTruthy();
      expect(shop.legal.postal_code).toMatch(/^\d{3}-\d{4}$/);
      expect(shop.legal.phone).toMatch(/^(0\d{1,3}-555-\d{3,4}|0\d-5555-\d{4}|0120-555-\d{3})$/);
      expect(shop.legal.email).toMatch(/^[a-z0-9.]+@[a-z0-9-]+\.example$/);
      expect(shop.legal.seller).toBe(shop.companyName);
      // The fee text is generated from the shipping rules, so the two can never disagree.
      expect(shop.legal.extra_fees).toContain(`${shop.shipping.flatFeeYen.toLocaleString('ja-JP')}円`);
    }
  });

  it('have four price ranks with falling 掛け率 and sane shipping rules', () => {
    for (const shop of DEMO_SHOPS) {
      expect(shop.priceRanks.map((r) => r.name)).toEqual(['一般', 'シルバー', 'ゴールド', '特約店']);
      const rates = shop.priceRanks.map((r) => r.rate);
      for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
      for (const rate of rates) expect(rate > 0 && rate <= 1).toBe(true);
      expect(shop.shipping.flatFeeYen).toBeGreaterThan(0);
      expect(shop.shipping.freeOverYen).toBeGreaterThan(shop.shipping.flatFeeYen);
      expect(shop.shipping.regionalSurcharges.flatMap((r) => r.prefectures)).toEqual(['北海道', '沖縄県']);
      expect(shop.shipping.remoteIslandSurchargeYen).toBeGreaterThan(0);
      expect(shop.bankAccount.accountNumber).toMatch(/^\d{7}$/);
      expect(shop.invoiceTerms.closingDay).toBeGreaterThanOrEqual(1);
      expect(shop.invoiceTerms.closingDay).toBeLessThanOrEqual(31);
      expect(shop.janCompanyPrefix).toMatch(/^4[59]\d{5}$/);
    }
  });
});

describe.each(catalogs.map((c) => [c.shop.slug, c] as const))('demo catalog of %s', (_slug, catalog) => {
  it('has at least 200 products, at least 200 of them on sale, across its categories', () => {
    expect(catalog.products.length).toBeGreaterThanOrEqual(200);
    expect(catalog.products.filter((p) => p.status === 'active').length).toBeGreaterThanOrEqual(200);
    const leaves = catalog.categories.filter((c) => c.parentSlug !== null);
    expect(leaves.length).toBeGreaterThanOrEqual(5);
    for (const leaf of leaves) {
      expect(catalog.products.some((p) => p.categorySlug === leaf.slug), leaf.slug).toBe(true);
      expect(catalog.categories.find((c) => c.slug === leaf.parentSlug)?.parentSlug).toBeNull();
    }
    const leafSlugs = new Set(leaves.map((c) => c.slug));
    for (const product of catalog.products) expect(leafSlugs.has(product.categorySlug), product.name).toBe(true);
  });

  it('gives every variant a valid Japanese JAN-13, unique in the shop', () => {
    const jans = variantsOf(catalog).map(({ variant }) => variant.jan);
    for (const jan of jans) expect(isJapaneseJan(jan), jan).toBe(true);
    expect(new Set(jans).size).toBe(jans.length);
  });

  it('has unique SKUs and product codes', () => {
    const skus = variantsOf(catalog).map(({ variant }) => variant.sku);
    expect(new Set(skus).size).toBe(skus.length);
    const codes = catalog.products.map((p) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('prices every variant in positive whole yen, with sales below list price', () => {
    for (const { product, variant } of variantsOf(catalog)) {
      expect(Number.isInteger(variant.listPriceYen) && variant.listPriceYen > 0, product.name).toBe(true);
      if (variant.sale) {
        expect(Number.isInteger(variant.sale.salePriceYen)).toBe(true);
        expect(variant.sale.salePriceYen).toBeGreaterThan(0);
        expect(variant.sale.salePriceYen).toBeLessThan(variant.listPriceYen);
        expect(Date.parse(variant.sale.startsAt)).toBeLessThan(Date.parse(variant.sale.endsAt));
      }
      let previous = 0;
      for (const tier of variant.volumeTiers) {
        expect(tier.minQuantity).toBeGreaterThan(previous);
        expect(tier.discountPercent).toBeGreaterThan(0);
        expect(tier.discountPercent).toBeLessThan(50);
        previous = tier.minQuantity;
      }
    }
  });

  it('orders in whole packs: minimum is a multiple of the order multiple', () => {
    for (const { variant } of variantsOf(catalog)) {
      expect(variant.packSize).toBeGreaterThanOrEqual(1);
      expect(variant.orderMultiple).toBeGreaterThanOrEqual(1);
      expect(variant.minQuantity % variant.orderMultiple).toBe(0);
      expect(Number.isInteger(variant.stock) && variant.stock >= 0).toBe(true);
    }
  });

  it('shows some sold-out and some low-stock variants, and a few sales', () => {
    const variants = variantsOf(catalog).map(({ variant }) => variant);
    expect(variants.some((v) => v.stock === 0)).toBe(true);
    expect(variants.some((v) => v.stock > 0 && v.stock <= 5)).toBe(true);
    expect(variants.some((v) => v.sale !== null)).toBe(true);
    expect(catalog.products.some((p) => p.featured)).toBe(true);
    expect(catalog.products.some((p) => p.isNew)).toBe(true);
  });

  it('points every product at an image that exists in the repository', () => {
    for (const product of catalog.products) {
      expect(existsSync(resolve(repoRoot, demoImagePath(product.image))), product.image).toBe(true);
    }
  });

  it('names only its own brands, each with a unique code', () => {
    const brandSlugs = new Set(catalog.brands.map((b) => b.slug));
    for (const product of catalog.products) expect(brandSlugs.has(product.brandSlug), product.name).toBe(true);
    expect(new Set(catalog.brands.map((b) => b.code)).size).toBe(catalog.brands.length);
  });

  it('writes descriptions that the description sanitiser keeps whole', () => {
    for (const product of catalog.products) {
      const tags = [...product.descriptionHtml.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
      for (const tag of tags) expect(['p', 'ul', 'li', 'strong']).toContain(tag);
      const sanitized = sanitizeDescription(product.descriptionHtml);
      expect(sanitized.ok && sanitized.removed, product.name).toEqual([]);
    }
  });

  it('applies 8% only to food and drink, and restricts colour and perm chemicals to professionals', () => {
    for (const product of catalog.products) {
      expect(product.taxRate === 8, product.name).toBe(product.categorySlug === 'refreshments');
      const chemical = ['color-cream', 'gray-color', 'oxidant', 'bleach', 'perm-lotion-1', 'perm-lotion-2', 'straightening'];
      if (chemical.includes(product.categorySlug)) {
        expect(product.restriction, product.name).toBe('professional');
        expect(product.lotTracked, product.name).toBe(true);
      }
    }
  });

  it('keeps list prices in realistic bands for the common items', () => {
    for (const { product, variant } of variantsOf(catalog)) {
      const single = variant.packSize === 1;
      if (['color-cream', 'gray-color'].includes(product.categorySlug) && variant.capacity === '80g' && single) {
        expect(variant.listPriceYen, product.name).toBeGreaterThanOrEqual(600);
        expect(variant.listPriceYen, product.name).toBeLessThanOrEqual(1200);
      }
      if (product.categorySlug === 'shampoo' && variant.capacity === '1000ml' && single) {
        expect(variant.listPriceYen, product.name).toBeGreaterThanOrEqual(2000);
        expect(variant.listPriceYen, product.name).toBeLessThanOrEqual(6000);
      }
      if (['scissors', 'thinning'].includes(product.categorySlug)) {
        expect(variant.listPriceYen, product.name).toBeGreaterThanOrEqual(20000);
        expect(variant.listPriceYen, product.name).toBeLessThanOrEqual(80000);
      }
      if (product.categorySlug === 'color-gel' && variant.capacity === '7g') {
        expect(variant.listPriceYen, product.name).toBeGreaterThanOrEqual(1500);
        expect(variant.listPriceYen, product.name).toBeLessThanOrEqual(3000);
      }
      if (product.categorySlug === 'towel' && variant.packSize === 12 && variant.capacity === '34×85cm') {
        expect(variant.listPriceYen, product.name).toBeGreaterThanOrEqual(3000);
        expect(variant.listPriceYen, product.name).toBeLessThanOrEqual(6000);
      }
    }
  });

  it('comes out the same on every call', () => {
    expect(demoCatalogFor(catalog.shop.slug)).toEqual(catalog);
  });
});

describe('demo platform as a whole', () => {
  it('lets mixed-rate invoices happen: the mall sells both 10% and 8% goods', () => {
    const mall = catalogs.find((c) => c.shop.slug === 'mall')!;
    expect(new Set(mall.products.map((p) => p.taxRate))).toEqual(new Set([8, 10]));
  });

  it('never reuses a JAN across shops', () => {
    const jans = catalogs.flatMap((c) => variantsOf(c).map(({ variant }) => variant.jan));
    expect(new Set(jans).size).toBe(jans.length);
  });

  it('gives each shop its own speciality', () => {
    const share = (slug: string, topLevel: string) => {
      const catalog = catalogs.find((c) => c.shop.slug === slug)!;
      const leaves = new Set(catalog.categories.filter((c) => c.parentSlug === topLevel).map((c) => c.slug));
      return catalog.products.filter((p) => leaves.has(p.categorySlug)).length / catalog.products.length;
    };
    expect(share('ayame-color', 'hair-color')).toBeGreaterThan(0.6);
    expect(share('kiriha-tools', 'tools')).toBeGreaterThan(0.9);
    expect(share('shirotae-towel', 'linen')).toBeGreaterThan(0.9);
    expect(share('hanatsume-nail', 'nail')).toBeGreaterThan(0.9);
    expect(share('kaoru-haircare', 'hair-care')).toBeGreaterThan(0.9);
    const mallTopLevels = catalogs.find((c) => c.shop.slug === 'mall')!.categories.filter((c) => c.parentSlug === null);
    expect(mallTopLevels.length).toBeGreaterThanOrEqual(6);
  });

  it('ships 40–60 prepared product images, under 1.5 MB in total', () => {
    expect(DEMO_IMAGES.length).toBeGreaterThanOrEqual(40);
    expect(DEMO_IMAGES.length).toBeLessThanOrEqual(60);
    let bytes = 0;
    for (const image of DEMO_IMAGES) {
      const path = resolve(repoRoot, demoImagePath(image.key));
      expect(existsSync(path), path).toBe(true);
      bytes += statSync(path).size;
    }
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
  });
});
