import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getVariantStock, isUuid, LOW_STOCK_THRESHOLD, listStock, type StockFilter, type StockHistoryItem, type StockListItem } from '../../../domains/catalog/catalog.read.ts';
import { STOCK_REASON_LABELS, STOCK_REASONS_FOR_STAFF } from '../../../domains/catalog/catalog.schemas.ts';
import { adjustStock } from '../../../domains/catalog/stock.service.ts';
import { NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { AdminLayout, type AdminPageFrame } from '../admin-layout.tsx';
import { CATALOG_EDIT_ROLES, catalogActor, catalogBase, pageNumber, STOCK_ROLES } from './catalog-admin.shared.ts';
import { Pager } from './catalog-pager.tsx';
import { CatalogTabs } from './products.view.tsx';

const LEVELS: Record<StockFilter, string> = { all: 'すべて', low: `少ない(${LOW_STOCK_THRESHOLD}以下)`, out: '在庫切れ' };

function StockListPage(props: AdminPageFrame & { items: StockListItem[]; total: number; page: number; pages: number; query: { q?: string; level: StockFilter } }) {
  const base = `${catalogBase(props.shop.slug)}/stock`;
  return (
    <AdminLayout {...props} title="在庫" active="catalog-stock">
      <CatalogTabs slug={props.shop.slug} active="stock" canEdit={CATALOG_EDIT_ROLES.includes(props.staff.role)} />
      <form method="get" action={base} class="catalog-filters">
        <Field name="q" label="キーワード" values={props.query} hint="商品名・SKU・JAN" idPrefix="filter" />
        <SelectField name="level" label="在庫" values={props.query} idPrefix="filter" options={Object.entries(LEVELS).map(([value, label]) => ({ value, label }))} />
        <button type="submit" class="button button--secondary">
          絞り込む
        </button>
      </form>
      <p class="listing__count">{props.total.toLocaleString('ja-JP')}件(有効在庫の少ない順)</p>
      <div class="table-wrap">
        <table class="catalog-table">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">商品</th>
              <th scope="col">在庫</th>
              <th scope="col">引当</th>
              <th scope="col">有効在庫</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((i) => (
              <tr key={i.variant_id}>
                <td class="mono" data-label="SKU">
                  <a href={`${base}/${i.variant_id}`}>{i.sku}</a>
                </td>
                <td data-label="商品">
                  {i.product_name}
                  {i.label && <span class="muted catalog-sub">{i.label}</span>}
                </td>
                <td data-label="在庫">{i.stock_on_hand}</td>
                <td data-label="引当">{i.stock_reserved}</td>
                <td data-label="有効在庫">
                  {i.available <= 0 ? <span class="badge badge--danger">在庫切れ</span> : i.available <= LOW_STOCK_THRESHOLD ? <span class="badge badge--warn">{i.available}</span> : i.available}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.items.length === 0 && <p class="empty-note">該当するSKUはありません。</p>}
      <Pager base={base} query={props.query} page={props.page} pages={props.pages} />
    </AdminLayout>
  );
}

function VariantStockPage(props: AdminPageFrame & { variant: StockListItem; history: StockHistoryItem[]; values: FormValues; errors?: FieldErrors; notice?: string }) {
  const v = props.variant;
  const base = `${catalogBase(props.shop.slug)}/stock`;
  return (
    <AdminLayout {...props} title={`在庫: ${v.sku}`} active="catalog-stock">
      <CatalogTabs slug={props.shop.slug} active="stock" canEdit={CATALOG_EDIT_ROLES.includes(props.staff.role)} />
      <p>
        <a href={base}>← 在庫一覧</a>
      </p>
      <Notice>{props.notice}</Notice>
      <dl class="catalog-figures">
        <div>
          <dt>商品</dt>
          <dd>
            {v.product_name} {v.label}
          </dd>
        </div>
        <div>
          <dt>在庫</dt>
          <dd>{v.stock_on_hand}</dd>
        </div>
        <div>
          <dt>引当済み</dt>
          <dd>{v.stock_reserved}</dd>
        </div>
        <div>
          <dt>有効在庫</dt>
          <dd>{v.available}</dd>
        </div>
      </dl>
      <form method="post" action={`${base}/${v.variant_id}`} class="panel">
        <CsrfField token={props.csrfToken} />
        <h2>在庫を調整</h2>
        <FormErrors errors={props.errors} />
        <div class="catalog-form-grid">
          <Field name="delta" label="増減数" required inputMode="numeric" hint="入荷は 24、破損は -2 のように入力" values={props.values} errors={props.errors} idPrefix="stock" />
          <SelectField
            name="reason"
            label="理由"
            required
            values={props.values}
            errors={props.errors}
            idPrefix="stock"
            options={STOCK_REASONS_FOR_STAFF.map((r) => ({ value: r, label: STOCK_REASON_LABELS[r]! }))}
          />
          <Field name="note" label="メモ" values={props.values} errors={props.errors} idPrefix="stock" hint="500文字まで" />
        </div>
        <button type="submit">調整する</button>
      </form>
      <section class="panel" aria-labelledby="history-h">
        <h2 id="history-h">履歴(新しい順・最大100件)</h2>
        <div class="table-wrap">
          <table class="catalog-table">
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">増減</th>
                <th scope="col">理由</th>
                <th scope="col">メモ</th>
                <th scope="col">担当</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((h) => (
                <tr key={h.id}>
                  <td data-label="日時">{formatDateTime(h.created_at)}</td>
                  <td data-label="増減">{h.delta > 0 ? `+${h.delta}` : h.delta}</td>
                  <td data-label="理由">{STOCK_REASON_LABELS[h.reason] ?? h.reason}</td>
                  <td data-label="メモ">{h.note || '—'}</td>
                  <td data-label="担当">{h.actor_name ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {props.history.length === 0 && <p class="empty-note">まだ履歴はありません。</p>}
      </section>
    </AdminLayout>
  );
}

/** 在庫: list with low/out filters, per-SKU history and adjustment (order clerks too). */
export function adminStockRoutes(app: FastifyInstance, platform: Platform) {
  const roles = STOCK_ROLES;
  const config = { staffRoles: roles };

  app.get('/catalog/stock', { config }, async (request, reply) => {
    const query = request.query as { q?: string; level?: string; page?: string };
    const level: StockFilter = query.level === 'low' || query.level === 'out' ? query.level : 'all';
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, list: await listStock(s.tx, { q: query.q, level, page: pageNumber(query.page) }) }));
    return reply.page(<StockListPage {...frameOf(platform, request, data)} {...data.list} query={{ q: query.q?.slice(0, 200), level }} />, { page: 'admin-catalog-stock' });
  });

  async function renderVariant(request: FastifyRequest, reply: FastifyReply, variantId: string, values: FormValues = {}, errors?: FieldErrors) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, stock: await getVariantStock(s.tx, variantId) }));
    const notice = (request.query as { done?: string }).done === '1' ? '在庫を調整しました。' : undefined;
    return reply.page(<VariantStockPage {...frameOf(platform, request, data)} {...data.stock} values={values} errors={errors} notice={notice} />, {
      page: 'admin-catalog-stock-variant',
      status: errors ? 400 : 200,
    });
  }

  app.get<{ Params: { vid: string } }>('/catalog/stock/:vid', { config }, (request, reply) => renderVariant(request, reply, request.params.vid));

  app.post<{ Params: { vid: string } }>('/catalog/stock/:vid', { config }, async (request, reply) => {
    const { vid } = request.params;
    const body = formBody(request);
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        if (!isUuid(vid)) throw new NotFoundError('バリエーションが見つかりません。');
        await adjustStock(s.tx, catalogActor(s.actor), vid, body);
        return s.tenant.slug;
      });
      return reply.redirect(`${catalogBase(slug)}/stock/${vid}?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderVariant(request, reply, vid, body, { ...err.fieldErrors });
      throw err;
    }
  });
}
