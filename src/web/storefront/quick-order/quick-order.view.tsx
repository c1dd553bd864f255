import { MAX_QUICK_ORDER_CHARS, MAX_QUICK_ORDER_LINES } from '../../../domains/cart/quick-order.parse.ts';
import type { QuickOrderPreview } from '../../../domains/cart/quick-order.service.ts';
import { variantDisplayName } from '../../../domains/cart/variant-snapshot.ts';
import { formatYen } from '../../../domains/orders/order-format.ts';
import type { Tenant } from '../../../platform/db/schema.ts';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { UnitPrice } from '../cart/money.view.tsx';
import { type MemberNav, ShopLayout } from '../shop-layout.tsx';

export interface QuickOrderPageProps {
  tenant: Pick<Tenant, 'display_name' | 'company_name'>;
  base: string;
  stylesheetUrl: string;
  nav: MemberNav;
  csrfToken: string;
  text: string;
  preview: QuickOrderPreview | null;
  error?: string;
  refused?: { lineNo: number; message: string }[];
}

function PreviewTable(props: { preview: QuickOrderPreview }) {
  return (
    <div class="table-wrap" tabindex={0} role="region" aria-label="読み取り結果の表">
      <table class="quick-order-preview">
        <caption>読み取り結果（{props.preview.rows.length}行、注文できる行 {props.preview.validCount}）</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">入力</th>
            <th scope="col">商品</th>
            <th scope="col" class="num">
              数量
            </th>
            <th scope="col" class="num">
              単価（税抜）
            </th>
            <th scope="col">在庫・確認</th>
          </tr>
        </thead>
        <tbody>
          {props.preview.rows.map((row) => (
            <tr class={row.error ? 'is-error' : undefined}>
              <td class="num">{row.line.lineNo}</td>
              <td class="mono">{row.line.raw}</td>
              <td>
                {row.snapshot ? (
                  <>
                    {variantDisplayName(row.snapshot)}
                    <div class="muted mono">
                      品番 {row.snapshot.sku}
                      {row.snapshot.janCode ? ` / JAN ${row.snapshot.janCode}` : ''}
                    </div>
                  </>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td class="num">{row.quantity ?? '—'}</td>
              <td class="num">{row.price ? <UnitPrice excl={row.price.unitPriceYen} incl={row.price.unitPriceInclTaxYen} /> : '—'}</td>
              <td>
                {row.error ? (
                  <span class="field__error">{row.error}</span>
                ) : row.snapshot && row.quantity && row.snapshot.available < row.quantity ? (
                  <span class="stock-short">在庫 {row.snapshot.available}（不足）</span>
                ) : (
                  <span class="line-ok">
                    追加できます{row.price && row.quantity ? `（小計 ${formatYen(row.price.unitPriceYen * row.quantity)}）` : ''}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QuickOrderPage(props: QuickOrderPageProps) {
  const { base, preview } = props;
  return (
    <ShopLayout tenant={props.tenant} base={base} title="クイックオーダー" stylesheetUrl={props.stylesheetUrl} member={props.nav}>
      <h1>クイックオーダー</h1>
      <p class="lead">品番（SKU）またはJANコードと数量を1行に1商品ずつ入力してください。Excelからの貼り付けもできます。</p>
      {props.error && (
        <p class="alert alert--error" role="alert">
          {props.error}
        </p>
      )}
      {props.refused && props.refused.length > 0 && (
        <div class="alert alert--warn" role="alert">
          <p>次の行はカートに追加できませんでした。</p>
          <ul>
            {props.refused.map((r) => (
              <li>
                {r.lineNo}行目: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`${base}/quick-order`} class="panel quick-order-form">
        <CsrfField token={props.csrfToken} />
        <div class="field">
          <label for="quick-order-lines">品番またはJAN、数量</label>
          <span class="field__hint" id="quick-order-hint">
            例: 「AY-CL-001, 12」「4955531000017 6」。区切りはタブ・カンマ・スペース、全角数字も使えます。数量を省くと1個です（最大{MAX_QUICK_ORDER_LINES}行）。
          </span>
          <textarea id="quick-order-lines" name="lines" rows={10} maxLength={MAX_QUICK_ORDER_CHARS} aria-describedby="quick-order-hint" spellcheck={false} autocomplete="off">
            {props.text}
          </textarea>
        </div>
        <div class="form-actions">
          <button type="submit" name="action" value="preview" class={preview ? 'button--secondary' : undefined}>
            内容を確認する
          </button>
          {preview && preview.validCount > 0 && (
            <button type="submit" name="action" value="add">
              カートに追加（{preview.validCount}件）
            </button>
          )}
        </div>
      </form>
      {preview?.tooMany && <p class="alert alert--warn">{MAX_QUICK_ORDER_LINES}行を超えた分は読み取っていません。分けてご入力ください。</p>}
      {preview && preview.rows.length > 0 && <PreviewTable preview={preview} />}
      {preview && preview.rows.length === 0 && <p class="alert alert--info">読み取れる行がありませんでした。</p>}
    </ShopLayout>
  );
}
