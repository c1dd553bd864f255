import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type BrandRow, type CategoryRow, isUuid, listBrands, listCategories } from '../../../domains/catalog/catalog.read.ts';
import { saveBrand, saveCategory } from '../../../domains/catalog/taxonomy.service.ts';
import { NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, Notice, SelectField } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { AdminLayout, type AdminPageFrame } from '../admin-layout.tsx';
import { CATALOG_EDIT_ROLES, catalogActor, catalogBase } from './catalog-admin.shared.ts';
import { CatalogTabs } from './products.view.tsx';

type Form = { id: string | null; values: FormValues; errors: FieldErrors };

function CategoriesPage(props: AdminPageFrame & { categories: (CategoryRow & { depth: 0 | 1 })[]; form?: Form; notice?: boolean }) {
  const base = `${catalogBase(props.shop.slug)}/categories`;
  const parents = props.categories.filter((c) => c.depth === 0).map((c) => ({ value: c.id, label: c.name }));
  const fields = (id: string | null, values: FormValues, errors?: FieldErrors) => {
    const p = { values, errors, idPrefix: id ? `cat-${id.slice(0, 8)}` : 'cat-new' };
    return (
      <div class="catalog-form-grid">
        <Field {...p} name="name" label="カテゴリ名" required />
        <Field {...p} name="slug" label="カテゴリコード" required hint="半角小文字英数字とハイフン(CSVで使います)" />
        <SelectField {...p} name="parent_id" label="親カテゴリ" placeholder="なし(大カテゴリ)" options={parents.filter((o) => o.value !== id)} />
        <Field {...p} name="sort_order" label="表示順" inputMode="numeric" />
      </div>
    );
  };
  return (
    <AdminLayout {...props} title="カテゴリ" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="categories" canEdit />
      <Notice>{props.notice && 'カテゴリを保存しました。'}</Notice>
      <p class="lead">カテゴリは大カテゴリとその下の小カテゴリの2階層です。</p>
      {props.categories.map((c) => {
        const mine = props.form?.id === c.id ? props.form : undefined;
        return (
          <details class={`panel catalog-item${c.depth === 1 ? ' catalog-item--child' : ''}`} key={c.id} open={Boolean(mine)}>
            <summary>
              {c.depth === 1 && '└ '}
              {c.name} <span class="muted mono">{c.slug}</span>
            </summary>
            <form method="post" action={`${base}/${c.id}`}>
              <CsrfField token={props.csrfToken} />
              <FormErrors errors={mine?.errors} />
              {fields(c.id, mine?.values ?? { name: c.name, slug: c.slug, parent_id: c.parent_id ?? '', sort_order: String(c.sort_order) }, mine?.errors)}
              <button type="submit">保存する</button>
            </form>
          </details>
        );
      })}
      <section class="panel" aria-labelledby="new-cat-h">
        <h2 id="new-cat-h">カテゴリを追加</h2>
        <form method="post" action={base}>
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.form?.id === null ? props.form.errors : undefined} />
          {fields(null, props.form?.id === null ? props.form.values : { sort_order: '0' }, props.form?.id === null ? props.form.errors : undefined)}
          <button type="submit">追加する</button>
        </form>
      </section>
    </AdminLayout>
  );
}

function BrandsPage(props: AdminPageFrame & { brands: BrandRow[]; form?: Form; notice?: boolean }) {
  const base = `${catalogBase(props.shop.slug)}/brands`;
  const fields = (id: string | null, values: FormValues, errors?: FieldErrors) => {
    const p = { values, errors, idPrefix: id ? `brand-${id.slice(0, 8)}` : 'brand-new' };
    return (
      <div class="catalog-form-grid">
        <Field {...p} name="name" label="ブランド名" required />
        <Field {...p} name="name_kana" label="ブランド名(かな)" hint="検索に使います" />
        <Field {...p} name="slug" label="ブランドコード" required hint="半角小文字英数字とハイフン(CSVで使います)" />
        <Field {...p} name="maker" label="メーカー" />
      </div>
    );
  };
  return (
    <AdminLayout {...props} title="ブランド" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="brands" canEdit />
      <Notice>{props.notice && 'ブランドを保存しました。'}</Notice>
      {props.brands.map((b) => {
        const mine = props.form?.id === b.id ? props.form : undefined;
        return (
          <details class="panel catalog-item" key={b.id} open={Boolean(mine)}>
            <summary>
              {b.name} <span class="muted mono">{b.slug}</span>
            </summary>
            <form method="post" action={`${base}/${b.id}`}>
              <CsrfField token={props.csrfToken} />
              <FormErrors errors={mine?.errors} />
              {fields(b.id, mine?.values ?? { name: b.name, name_kana: b.name_kana, slug: b.slug, maker: b.maker }, mine?.errors)}
              <button type="submit">保存する</button>
            </form>
          </details>
        );
      })}
      <section class="panel" aria-labelledby="new-brand-h">
        <h2 id="new-brand-h">ブランドを追加</h2>
        <form method="post" action={base}>
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.form?.id === null ? props.form.errors : undefined} />
          {fields(null, props.form?.id === null ? props.form.values : {}, props.form?.id === null ? props.form.errors : undefined)}
          <button type="submit">追加する</button>
        </form>
      </section>
    </AdminLayout>
  );
}

/** カテゴリ and ブランド (catalog editors and shop admins). */
export function adminTaxonomyRoutes(app: FastifyInstance, platform: Platform) {
  const roles = CATALOG_EDIT_ROLES;
  const config = { staffRoles: roles };

  async function renderCategories(request: FastifyRequest, reply: FastifyReply, form?: Form) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, categories: await listCategories(s.tx) }));
    const notice = (request.query as { done?: string }).done === '1';
    return reply.page(<CategoriesPage {...frameOf(platform, request, data)} categories={data.categories} form={form} notice={notice} />, {
      page: 'admin-catalog-categories',
      status: form ? 400 : 200,
    });
  }
  async function renderBrands(request: FastifyRequest, reply: FastifyReply, form?: Form) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, brands: await listBrands(s.tx) }));
    const notice = (request.query as { done?: string }).done === '1';
    return reply.page(<BrandsPage {...frameOf(platform, request, data)} brands={data.brands} form={form} notice={notice} />, { page: 'admin-catalog-brands', status: form ? 400 : 200 });
  }

  app.get('/catalog/categories', { config }, (request, reply) => renderCategories(request, reply));
  app.get('/catalog/brands', { config }, (request, reply) => renderBrands(request, reply));

  const save = (kind: 'categories' | 'brands', id: string | null) => async (request: FastifyRequest, reply: FastifyReply) => {
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        if (id !== null && !isUuid(id)) throw new NotFoundError();
        if (kind === 'categories') await saveCategory(s.tx, catalogActor(s.actor), id, body);
        else await saveBrand(s.tx, catalogActor(s.actor), id, body);
        return s.tenant.slug;
      });
      return reply.redirect(`${catalogBase(slug)}/${kind}?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) {
        const form = { id, values: body, errors: { ...err.fieldErrors } };
        return kind === 'categories' ? renderCategories(request, reply, form) : renderBrands(request, reply, form);
      }
      throw err;
    }
  };
  app.post('/catalog/categories', { config }, save('categories', null));
  app.post<{ Params: { id: string } }>('/catalog/categories/:id', { config }, (request, reply) => save('categories', request.params.id)(request, reply));
  app.post('/catalog/brands', { config }, save('brands', null));
  app.post<{ Params: { id: string } }>('/catalog/brands/:id', { config }, (request, reply) => save('brands', request.params.id)(request, reply));
}
