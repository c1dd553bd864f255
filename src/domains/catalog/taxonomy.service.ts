import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { brandSchema, categorySchema } from './catalog.schemas.ts';
import { auditCatalog, type CatalogActor } from './catalog-actor.ts';
import { currentTenant } from './current-tenant.ts';
import { isUniqueViolation } from './db-errors.ts';
import { refreshSearchText } from './search-text.ts';

/** Categories (a two-level tree) and brands. */

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.join('.') || '_form'] ??= issue.message;
  throw new ValidationError(fields);
}

export async function saveCategory(tx: Tx, actor: CatalogActor, categoryId: string | null, raw: unknown): Promise<{ id: string }> {
  const input = parse(categorySchema, raw);
  if (categoryId !== null) {
    const existing = await tx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst();
    if (!existing) throw new NotFoundError('カテゴリが見つかりません。');
  }
  if (input.parent_id !== null) {
    if (input.parent_id === categoryId) throw new ValidationError({ parent_id: '自分自身を親カテゴリにはできません。' });
    const parent = await tx.selectFrom('categories').select(['id', 'parent_id']).where('id', '=', input.parent_id).executeTakeFirst();
    if (!parent) throw new ValidationError({ parent_id: '親カテゴリを選び直してください。' });
    if (parent.parent_id !== null) throw new ValidationError({ parent_id: 'カテゴリは2階層までです。親には大カテゴリを選んでください。' });
    if (categoryId !== null) {
      const child = await tx.selectFrom('categories').select('id').where('parent_id', '=', categoryId).executeTakeFirst();
      if (child) throw new ValidationError({ parent_id: '子カテゴリがあるカテゴリは、他のカテゴリの下に移動できません。' });
    }
  }
  const clash = await tx
    .selectFrom('categories')
    .select('id')
    .where('slug', '=', input.slug)
    .$if(categoryId !== null, (q) => q.where('id', '<>', categoryId!))
    .executeTakeFirst();
  if (clash) throw new ValidationError({ slug: 'このカテゴリコードは既に使われています。' });
  const values = { slug: input.slug, name: input.name, parent_id: input.parent_id, sort_order: input.sort_order };
  let id: string;
  try {
    if (categoryId === null) id = (await tx.insertInto('categories').values({ ...values, tenant_id: currentTenant() }).returning('id').executeTakeFirstOrThrow()).id;
    else {
      await tx.updateTable('categories').set(values).where('id', '=', categoryId).execute();
      id = categoryId;
    }
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ slug: 'このカテゴリコードは既に使われています。' });
    throw err;
  }
  await auditCatalog(tx, actor, categoryId === null ? 'catalog.category.create' : 'catalog.category.update', { type: 'category', id }, { slug: input.slug });
  return { id };
}

export async function saveBrand(tx: Tx, actor: CatalogActor, brandId: string | null, raw: unknown): Promise<{ id: string }> {
  const input = parse(brandSchema, raw);
  if (brandId !== null) {
    const existing = await tx.selectFrom('brands').select('id').where('id', '=', brandId).executeTakeFirst();
    if (!existing) throw new NotFoundError('ブランドが見つかりません。');
  }
  const clash = await tx
    .selectFrom('brands')
    .select('id')
    .where('slug', '=', input.slug)
    .$if(brandId !== null, (q) => q.where('id', '<>', brandId!))
    .executeTakeFirst();
  if (clash) throw new ValidationError({ slug: 'このブランドコードは既に使われています。' });
  let id: string;
  try {
    if (brandId === null) id = (await tx.insertInto('brands').values({ ...input, tenant_id: currentTenant() }).returning('id').executeTakeFirstOrThrow()).id;
    else {
      await tx.updateTable('brands').set(input).where('id', '=', brandId).execute();
      id = brandId;
    }
  } catch (err) {
    if (isUniqueViolation(err)) throw new ValidationError({ slug: 'このブランドコードは既に使われています。' });
    throw err;
  }
  if (brandId !== null) {
    // The brand's name is part of its products' search text.
    const products = await tx.selectFrom('products').select('id').where('brand_id', '=', id).execute();
    await refreshSearchText(
      tx,
      products.map((p) => p.id),
    );
  }
  await auditCatalog(tx, actor, brandId === null ? 'catalog.brand.create' : 'catalog.brand.update', { type: 'brand', id }, { slug: input.slug });
  return { id };
}
