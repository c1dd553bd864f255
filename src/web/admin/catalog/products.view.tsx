import type { BrandRow, CategoryRow, ProductDetail, ProductListItem, RankRow, VariantDetail } from '../../../domains/catalog/catalog.read.ts';
import { formatRankPrice } from '../../../domains/catalog/catalog.schemas.ts';
import { Field, type FieldErrors, FormErrors, type FormValues, formatDateTime, Notice, SelectField, TextArea, yen } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { AdminLayout, type AdminPageFrame } from '../admin-layout.tsx';
import { adminMediaUrl, catalogBase, RESTRICTION_LABELS, STATUS_LABELS } from './catalog-admin.shared.ts';
import { Pager } from './catalog-pager.tsx';

type Category = CategoryRow & { depth: 0 | 1 };

const categoryOptions = (categories: Category[]) => categories.map((c) => ({ value: c.id, label: c.depth === 1 ? `　└ ${c.name}` : c.name }));

export function CatalogTabs(props: { slug: string; active: string; canEdit: boolean }) {
  const base = catalogBase(props.slug);
  const tabs = [
    ...(props.canEdit
      ? [
          { id: 'products', label: '商品', href: `${base}/products` },
          { id: 'categories', label: 'カテゴリ', href: `${base}/categories` },
          { id: 'brands', label: 'ブランド', href: `${base}/brands` },
        ]
      : []),
    { id: 'stock', label: '在庫', href: `${base}/stock` },
    ...(props.canEdit ? [{ id: 'csv', label: 'CSV入出力', href: `${base}/csv` }] : []),
  ];
  return (
    <nav class="catalog-tabs" aria-label="商品管理メニュー">
      {tabs.map((t) => (
        <a key={t.id} href={t.href} aria-current={t.id === props.active ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}

export function ProductListPage(
  props: AdminPageFrame & {
    items: ProductListItem[];
    total: number;
    page: number;
    pages: number;
    query: { q?: string; status?: string; category?: string };
    categories: Category[];
  },
) {
  const base = catalogBase(props.shop.slug);
  return (
    <AdminLayout {...props} title="商品" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="products" canEdit />
      <form method="get" action={`${base}/products`} class="catalog-filters">
        <Field name="q" label="キーワード" values={props.query} hint="商品名・コード・SKU・JAN" idPrefix="filter" />
        <SelectField
          name="status"
          label="ステータス"
          values={props.query}
          idPrefix="filter"
          placeholder="すべて"
          options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField name="category" label="カテゴリ" values={props.query} idPrefix="filter" placeholder="すべて" options={categoryOptions(props.categories)} />
        <button type="submit" class="button button--secondary">
          絞り込む
        </button>
      </form>
      <p class="catalog-actions">
        <a class="button" href={`${base}/products/new`}>
          商品を追加
        </a>
      </p>
      <p class="listing__count">{props.total.toLocaleString('ja-JP')}件</p>
      <div class="table-wrap">
        <table class="catalog-table">
          <thead>
            <tr>
              <th scope="col">商品コード</th>
              <th scope="col">商品名</th>
              <th scope="col">カテゴリ</th>
              <th scope="col">ステータス</th>
              <th scope="col">SKU数</th>
              <th scope="col">定価(最安)</th>
              <th scope="col">有効在庫</th>
              <th scope="col">更新</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((p) => (
              <tr key={p.id}>
                <td class="mono" data-label="商品コード">
                  {p.code}
                </td>
                <td data-label="商品名">
                  <a href={`${base}/products/${p.id}`}>{p.name}</a>
                  {p.brand_name && <span class="muted catalog-sub">{p.brand_name}</span>}
                </td>
                <td data-label="カテゴリ">{p.category_name}</td>
                <td data-label="ステータス">
                  <span class={`badge${p.status === 'active' ? ' badge--ok' : p.status === 'archived' ? ' badge--warn' : ''}`}>{STATUS_LABELS[p.status]}</span>
                </td>
                <td data-label="SKU数">{p.variant_count}</td>
                <td data-label="定価(最安)">{p.min_price_yen === null ? '—' : yen(p.min_price_yen)}</td>
                <td data-label="有効在庫">{p.stock_available.toLocaleString('ja-JP')}</td>
                <td data-label="更新">{formatDateTime(p.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.items.length === 0 && <p class="empty-note">条件に合う商品はありません。</p>}
      <Pager base={`${base}/products`} query={props.query} page={props.page} pages={props.pages} />
    </AdminLayout>
  );
}

export function productFormValues(p: ProductDetail): FormValues {
  return {
    code: p.code,
    name: p.name,
    brand_id: p.brand_id ?? '',
    category_id: p.category_id,
    status: p.status,
    tax_rate: String(p.tax_rate),
    restriction: p.restriction,
    lot_tracked: p.lot_tracked ? 'on' : '',
    featured: p.featured ? 'on' : '',
    description_html: p.description_html,
  };
}

function Checkbox(props: { name: string; label: string; values: FormValues }) {
  return (
    <div class="field field--check">
      <label>
        <input type="checkbox" name={props.name} checked={props.values[props.name] === 'on'} /> {props.label}
      </label>
    </div>
  );
}

function ProductForm(props: { action: string; csrfToken: string; values: FormValues; errors?: FieldErrors; categories: Category[]; brands: BrandRow[] }) {
  const p = { values: props.values, errors: props.errors, idPrefix: 'product' };
  return (
    <form method="post" action={props.action} class="panel">
      <CsrfField token={props.csrfToken} />
      <FormErrors errors={props.errors} />
      <div class="catalog-form-grid">
        <Field {...p} name="code" label="商品コード" required hint="半角英数字・ハイフン(例: AQS-001)" />
        <Field {...p} name="name" label="商品名" required />
        <SelectField {...p} name="category_id" label="カテゴリ" required placeholder="選んでください" options={categoryOptions(props.categories)} />
        <SelectField {...p} name="brand_id" label="ブランド" placeholder="なし" options={props.brands.map((b) => ({ value: b.id, label: b.name }))} />
        <SelectField {...p} name="status" label="ステータス" required options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
        <SelectField
          {...p}
          name="tax_rate"
          label="税率"
          required
          options={[
            { value: '10', label: '10%(標準税率)' },
            { value: '8', label: '8%(軽減税率)' },
          ]}
        />
        <SelectField {...p} name="restriction" label="販売制限" required options={Object.entries(RESTRICTION_LABELS).map(([value, label]) => ({ value, label }))} />
      </div>
      <Checkbox name="lot_tracked" label="ロット番号を管理する" values={props.values} />
      <Checkbox name="featured" label="おすすめ商品に表示する" values={props.values} />
      <TextArea
        {...p}
        name="description_html"
        label="商品説明(HTML)"
        rows={8}
        hint="使えるタグ: p, br, strong, em, ul, ol, li, h3, h4, table, a(同じサイト内のみ), img(/assets・/media のみ)。それ以外は保存時に取り除かれます。"
      />
      <button type="submit">保存する</button>
    </form>
  );
}

export function ProductNewPage(props: AdminPageFrame & { values: FormValues; errors?: FieldErrors; categories: Category[]; brands: BrandRow[] }) {
  return (
    <AdminLayout {...props} title="商品を追加" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="products" canEdit />
      <ProductForm action={`${catalogBase(props.shop.slug)}/products`} csrfToken={props.csrfToken} values={props.values} errors={props.errors} categories={props.categories} brands={props.brands} />
    </AdminLayout>
  );
}

function rankCell(v: VariantDetail, rank: RankRow): string {
  const own = formatRankPrice(v.rankPrices.find((p) => p.rank_id === rank.id));
  return own || `掛け率 ${Number((Number(rank.rate) * 100).toFixed(2))}%`;
}

export function ProductEditPage(
  props: AdminPageFrame & {
    product: ProductDetail;
    values: FormValues;
    errors?: FieldErrors;
    removed: string[];
    notice?: string;
    imageErrors?: FieldErrors;
    categories: Category[];
    brands: BrandRow[];
    ranks: RankRow[];
  },
) {
  const base = `${catalogBase(props.shop.slug)}/products/${props.product.id}`;
  return (
    <AdminLayout {...props} title={props.product.name} active="catalog">
      <CatalogTabs slug={props.shop.slug} active="products" canEdit />
      <Notice>{props.notice}</Notice>
      {props.removed.length > 0 && (
        <div class="alert alert--warn" role="status">
          商品説明から使えないタグ・属性を取り除いて保存しました: <span class="mono">{props.removed.join('、')}</span>
        </div>
      )}
      <ProductForm action={base} csrfToken={props.csrfToken} values={props.values} errors={props.errors} categories={props.categories} brands={props.brands} />

      <section class="panel" aria-labelledby="variants-h">
        <h2 id="variants-h">バリエーション(SKU)</h2>
        <div class="table-wrap">
          <table class="catalog-table">
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">JAN</th>
                <th scope="col">内容</th>
                <th scope="col">入数・注文単位</th>
                <th scope="col">定価(税抜)</th>
                {props.ranks.map((r) => (
                  <th scope="col" key={r.id}>
                    {r.name}
                  </th>
                ))}
                <th scope="col">在庫(引当)</th>
              </tr>
            </thead>
            <tbody>
              {props.product.variants.map((v) => (
                <tr key={v.id}>
                  <td class="mono" data-label="SKU">
                    <a href={`${base}/variants/${v.id}`}>{v.sku}</a>
                    {v.status === 'archived' && <span class="badge badge--warn">停止</span>}
                  </td>
                  <td class="mono" data-label="JAN">
                    {v.jan_code ?? '—'}
                  </td>
                  <td data-label="内容">{[v.label, v.capacity].filter(Boolean).join(' / ') || '—'}</td>
                  <td data-label="入数・注文単位">
                    {v.pack_size}入 / 最小{v.min_quantity}・{v.order_multiple}単位
                  </td>
                  <td data-label="定価(税抜)">{yen(v.list_price_yen)}</td>
                  {props.ranks.map((r) => (
                    <td key={r.id} data-label={r.name}>
                      {rankCell(v, r)}
                    </td>
                  ))}
                  <td data-label="在庫(引当)">
                    {v.stock_on_hand}({v.stock_reserved})
                    {v.shelf_location && <span class="muted order-sub">棚 {v.shelf_location}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {props.product.variants.length === 0 && <p class="empty-note">バリエーションがまだありません。</p>}
        <p>
          <a class="button button--secondary" href={`${base}/variants/new`}>
            バリエーションを追加
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="images-h">
        <h2 id="images-h">画像</h2>
        <ul class="catalog-images">
          {props.product.images.map((img) => (
            <li key={img.id}>
              <img src={adminMediaUrl(props.shop.slug, img.content_hash, 160)} alt={img.alt || props.product.name} width={160} height={Math.round((160 * img.height) / Math.max(img.width, 1))} />
              <form method="post" action={`${base}/images/${img.id}/delete`}>
                <CsrfField token={props.csrfToken} />
                <button type="submit" class="button button--secondary">
                  削除
                </button>
              </form>
            </li>
          ))}
        </ul>
        {props.product.images.length === 0 && <p class="muted">{props.product.image_key ? 'デモ用の画像を表示しています。' : '画像はまだありません。'}</p>}
        <form method="post" action={`${base}/images`} enctype="multipart/form-data" class="catalog-upload">
          <CsrfField token={props.csrfToken} />
          <Field name="alt" label="代替テキスト" values={{}} idPrefix="image" hint="画像の内容(読み上げ用)" />
          <div class="field">
            <label for="image-file">画像ファイル(PNG・JPEG・WebP、10MBまで)</label>
            <input id="image-file" type="file" name="image" accept="image/png,image/jpeg,image/webp" required aria-describedby={props.imageErrors?.image ? 'image-file-error' : undefined} />
            {props.imageErrors?.image && (
              <span class="field__error" id="image-file-error">
                {props.imageErrors.image}
              </span>
            )}
          </div>
          <button type="submit">アップロード</button>
        </form>
      </section>
    </AdminLayout>
  );
}

export function variantFormValues(v: VariantDetail | null): FormValues {
  if (!v) return { pack_size: '1', min_quantity: '1', order_multiple: '1', status: 'active' };
  return {
    sku: v.sku,
    jan_code: v.jan_code ?? '',
    label: v.label,
    capacity: v.capacity,
    pack_size: String(v.pack_size),
    min_quantity: String(v.min_quantity),
    order_multiple: String(v.order_multiple),
    list_price_yen: String(v.list_price_yen),
    sort_order: String(v.sort_order),
    status: v.status,
    shelf_location: v.shelf_location,
  };
}

export function VariantPage(
  props: AdminPageFrame & {
    product: ProductDetail;
    variant: VariantDetail | null;
    ranks: RankRow[];
    values: FormValues;
    errors?: FieldErrors;
    priceValues?: FormValues;
    priceErrors?: FieldErrors;
    notice?: string;
  },
) {
  const productUrl = `${catalogBase(props.shop.slug)}/products/${props.product.id}`;
  const v = props.variant;
  const base = v ? `${productUrl}/variants/${v.id}` : `${productUrl}/variants`;
  const p = { values: props.values, errors: props.errors, idPrefix: 'variant' };
  const priceValues: FormValues = props.priceValues ?? {
    ...Object.fromEntries(props.ranks.map((r) => [`rank.${r.id}`, formatRankPrice(v?.rankPrices.find((x) => x.rank_id === r.id))])),
    ...Object.fromEntries(
      [...(v?.tiers ?? []), null, null].flatMap((t, i) => [
        [`tiers.${i}.min_quantity`, t ? String(t.min_quantity) : ''],
        [`tiers.${i}.discount_percent`, t ? String(Number((Number(t.discount_rate) * 100).toFixed(2))) : ''],
      ]),
    ),
  };
  const tierRows = Math.max((v?.tiers.length ?? 0) + 2, 3);
  return (
    <AdminLayout {...props} title={v ? `SKU ${v.sku}` : 'バリエーションを追加'} active="catalog">
      <CatalogTabs slug={props.shop.slug} active="products" canEdit />
      <p>
        <a href={productUrl}>← {props.product.name}</a>
      </p>
      <Notice>{props.notice}</Notice>
      <form method="post" action={base} class="panel">
        <CsrfField token={props.csrfToken} />
        <h2>基本情報</h2>
        <FormErrors errors={props.errors} />
        <div class="catalog-form-grid">
          <Field {...p} name="sku" label="SKU" required />
          <Field {...p} name="jan_code" label="JANコード" inputMode="numeric" hint="13桁または8桁(チェックデジットを確認します)" />
          <Field {...p} name="label" label="バリエーション名" hint="例: 1000ml 詰替用" />
          <Field {...p} name="capacity" label="容量" hint="例: 1000ml" />
          <Field {...p} name="pack_size" label="入数" inputMode="numeric" required />
          <Field {...p} name="min_quantity" label="最小注文数" inputMode="numeric" required hint="注文単位の倍数" />
          <Field {...p} name="order_multiple" label="注文単位" inputMode="numeric" required />
          <Field {...p} name="list_price_yen" label="定価(税抜・円)" inputMode="numeric" required />
          <Field {...p} name="sort_order" label="表示順" inputMode="numeric" />
          <Field {...p} name="shelf_location" label="棚番（ロケーション）" hint="例: A-03-2。ピッキングリストはこの順に並びます" />
          <SelectField
            {...p}
            name="status"
            label="状態"
            options={[
              { value: 'active', label: '販売中' },
              { value: 'archived', label: '販売停止' },
            ]}
          />
        </div>
        <button type="submit">保存する</button>
      </form>
      {v && (
        <>
          <form method="post" action={`${base}/prices`} class="panel">
            <CsrfField token={props.csrfToken} />
            <h2>ランク価格・数量割引</h2>
            <FormErrors errors={props.priceErrors} />
            <p class="muted">空欄のランクはランクの掛け率が定価に掛かります。円(例: 1200)か掛け率(例: 75%)で指定できます。</p>
            <div class="catalog-form-grid">
              {props.ranks.map((r) => (
                <Field
                  key={r.id}
                  name={`rank.${r.id}`}
                  label={`${r.name}(既定 ${Number((Number(r.rate) * 100).toFixed(2))}%)`}
                  values={priceValues}
                  errors={props.priceErrors}
                  idPrefix="price"
                />
              ))}
            </div>
            <h3>数量割引</h3>
            {Array.from({ length: tierRows }, (_, i) => (
              <div class="catalog-form-grid" key={i}>
                <Field name={`tiers.${i}.min_quantity`} label={`段階${i + 1}: 数量(以上)`} values={priceValues} errors={props.priceErrors} inputMode="numeric" idPrefix="tier" />
                <Field name={`tiers.${i}.discount_percent`} label={`段階${i + 1}: 割引率(%)`} values={priceValues} errors={props.priceErrors} inputMode="decimal" idPrefix="tier" />
              </div>
            ))}
            <button type="submit">価格を保存する</button>
          </form>
          <section class="panel" aria-labelledby="sales-h">
            <h2 id="sales-h">期間限定セール価格</h2>
            <ul class="catalog-list">
              {v.sales.map((s) => (
                <li key={s.id}>
                  {yen(s.price_yen)}:{formatDateTime(s.starts_at)} 〜 {formatDateTime(s.ends_at)}
                  <form method="post" action={`${base}/sales/${s.id}/delete`} class="catalog-inline">
                    <CsrfField token={props.csrfToken} />
                    <button type="submit" class="button button--secondary">
                      削除
                    </button>
                  </form>
                </li>
              ))}
            </ul>
            <form method="post" action={`${base}/sales`}>
              <CsrfField token={props.csrfToken} />
              <div class="catalog-form-grid">
                <Field name="sale.price_yen" label="セール価格(税抜・円)" values={priceValues} errors={props.priceErrors} inputMode="numeric" idPrefix="sale" />
                <div class="field">
                  <label for="sale-starts">開始日時</label>
                  <input id="sale-starts" type="datetime-local" name="sale.starts_at" value={priceValues['sale.starts_at'] ?? ''} />
                  {props.priceErrors?.['sale.starts_at'] && <span class="field__error">{props.priceErrors['sale.starts_at']}</span>}
                </div>
                <div class="field">
                  <label for="sale-ends">終了日時</label>
                  <input id="sale-ends" type="datetime-local" name="sale.ends_at" value={priceValues['sale.ends_at'] ?? ''} />
                  {props.priceErrors?.['sale.ends_at'] && <span class="field__error">{props.priceErrors['sale.ends_at']}</span>}
                </div>
              </div>
              <button type="submit" class="button button--secondary">
                セールを追加
              </button>
            </form>
          </section>
        </>
      )}
    </AdminLayout>
  );
}

