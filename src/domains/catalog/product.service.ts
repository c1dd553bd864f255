import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { type ProductInput, productSchema } from './catalog.schemas.ts';
import { auditCatalog, type CatalogActor } from './catalog-actor.ts';
import { currentTenant } from './current-tenant.ts';
import { isUniqueViolation } from './db-errors.ts';
import { sanitizeDescription } from './description-sanitizer.ts';
import { refreshSearchText } from './search-text.ts';

/** Creates or updates products. Descriptions are sanitised on every write; what was dropped is returned so the editor sees it. */

export interface SavedProduct {
  id: string;
  /** Tags and attributes the sanitiser removed from the description (empty when nothing was). */
  removed: string[];
}

export function parseProductInput(raw: unknown): ProductInput {
  const result = productSchema.safeParse(raw ?? {});
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) fields[issue.path.join('.') || '_form'] ??= issue.message;
    throw new ValidationError(fields);
  }
  return result.data;
}

/** Sanitised description, or a ValidationError naming the field. */
export function cleanDescription(html: string): { html: string; removed: string[] } {
  const clean = sanitizeDescription(html);
  if (!clean.ok) throw new ValidationError({ description_html: clean.message });
  return { html: clean.html, removed: clean.removed };
}

async function checkReferences(tx: Tx, input: ProductInput): Promise<void> {
  const errors: Record<string, string> = {};
  const category = await tx.selectFrom('categories').select('id').where('id', '=', input.category_id).executeTakeFirst();
  if (!category) errors.category_id = 'カテゴリを選び直してください。';
  if (input.brand_id) {
    const brand = await tx.selectFrom('brands').select('id').where('id', '=', input.brand_id).executeTakeFirst();
    if (!brand) errors.brand_id = 'ブランドを選び直してください。';
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

export async function saveProduct(tx: Tx, actor: CatalogActor, productId: string | null, raw: unknown): Promise<SavedProduct> {
  const input = parseProductInput(raw);
  const description = cleanDescription(input.description_html);
  await checkReferences(tx, input);
  const clash = await tx
    .selectFrom('products')
    .select('id')
    .where('code', '=', input.code)
    .$if(productId !== null, (q) => q.where('id', '<>', productId!))
    .executeTakeFirst();
  if (clash) throw new ValidationError({ code: 'この商品コードは既に使われています。' });

  const values = {
    code: input.code,
    name: input.name,
    brand_id: input.brand_id,
    category_id: input.category_id,
    status: input.status,
    tax_rate: input.tax_rate,
    restriction: input.restriction,
    lot_tracked: input.lot_tracked,
    featured: input.featured,
    description_html: description.html,
  };

  let id: string;
  try {
    if (productId === null) {
      const row = await tx
        .insertInto('products')
        .values({ ...values, tenant_id: currentTenant(), published_at: input.status === 'active' ? sql<Date>`now()` : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    } else {
      const before = await tx.selectFrom('products').select(['id', 'status', 'published_at']).where('id', '=', productId).executeTakeFirst();
      if (!before) throw new NotFoundError('商品が見つかりません。');
      await tx
        .updateTable('products')
        .set({ ...values, published_at: input.status === 'active' && !before.published_at ? sql<Date>`now()` : before.published_at })
        .where('id', '=', productId)
        .execute();
      id = productId;
    }
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ code: 'この商品コードは既に使われています。' });
    throw err;
  }
  await refreshSearchText(tx, [id]);
  await auditCatalog(tx, actor, productId === null ? 'catalog.product.create' : 'catalog.product.update', { type: 'product', id }, {
    code: input.code,
    status: input.status,
    descriptionRemoved: description.removed,
  });
  return { id, removed: description.removed };
}
