import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CUSTOMER_CSV_COLUMNS, sampleCustomerCsv } from '../../domains/customers-import/customer-csv.parse.ts';
import { commitImportBatch, listImportBatches, MAX_IMPORT_BYTES, previewImportBatch, storeImportBatch } from '../../domains/customers-import/customer-import.service.ts';
import { DomainError, ValidationError } from '../../domains/shared/domain-error.ts';
import { assertCsrf } from '../../platform/http/app.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { type FieldErrors, FormErrors, formatDateTime, Notice, yen } from '../../platform/views/console-form.tsx';
import { CsrfField } from '../../platform/views/layout.tsx';
import { frameOf, inAdmin } from './admin-guard.ts';
import { AdminLayout, type AdminPageFrame, adminBase } from './admin-layout.tsx';
import { navRoles } from './admin-nav.ts';

type Batch = Awaited<ReturnType<typeof listImportBatches>>[number];
type Preview = Awaited<ReturnType<typeof previewImportBatch>>;

const BATCH_STATUS = { previewed: '確認待ち', committed: '取り込み済み', discarded: '破棄' } as const;
const SHOWN_ROWS = 50;
const SHOWN_ERRORS = 500;

function UploadPage(props: AdminPageFrame & { batches: Batch[]; errors?: FieldErrors }) {
  const base = `${adminBase(props.shop.slug)}/customers/import`;
  return (
    <AdminLayout {...props} title="顧客インポート" active="customer-import">
      <p class="lead">これまでお取引のあるサロンを CSV で取り込み、招待メールを送ります。エラーが1件でもあれば何も取り込みません。</p>
      <section class="panel" aria-labelledby="upload-h">
        <h2 id="upload-h">CSV ファイルを選ぶ</h2>
        <form method="post" action={base} enctype="multipart/form-data">
          <CsrfField token={props.csrfToken} />
          <FormErrors errors={props.errors} />
          <div class="field">
            <label for="import-file">
              CSV ファイル<span class="required">必須</span>
            </label>
            <input id="import-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" aria-invalid={props.errors?.file ? 'true' : undefined} />
            <span class="field__hint" id="import-file-hint">
              UTF-8 または Shift_JIS(Excel の「CSV」保存)、5MB・20,000行まで。
            </span>
            {props.errors?.file && <span class="field__error">{props.errors.file}</span>}
          </div>
          <button type="submit">確認する(まだ取り込みません)</button>
        </form>
        <p>
          <a href={`${base}/sample.csv`}>記入例の CSV をダウンロード</a>
        </p>
      </section>
      <section class="panel" aria-labelledby="columns-h">
        <h2 id="columns-h">列の説明</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">見出し</th>
                <th scope="col">必須</th>
                <th scope="col">書き方</th>
              </tr>
            </thead>
            <tbody>
              {CUSTOMER_CSV_COLUMNS.map((c) => (
                <tr key={c.key}>
                  <td>{c.header}</td>
                  <td>{c.required ? '必須' : '任意'}</td>
                  <td>{COLUMN_HELP[c.key]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {props.batches.length > 0 && (
        <section class="panel" aria-labelledby="history-h">
          <h2 id="history-h">最近の取り込み</h2>
          <ul>
            {props.batches.map((b) => (
              <li key={b.id}>
                <a href={`${base}/${b.id}`}>{b.file_name}</a> <span class="muted">{formatDateTime(b.created_at)}・{b.row_count}行・{BATCH_STATUS[b.status]}{b.status === 'committed' && `(${b.imported_count}件招待)`}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </AdminLayout>
  );
}

const COLUMN_HELP: Record<string, string> = {
  company: '会社名または屋号(200文字まで)',
  contact: 'ご担当者のお名前',
  email: '招待メールの宛先。ファイル内・既存の会員や招待と重複不可',
  phone: '数字とハイフン',
  rank_code: '「価格ランク」画面のコード(例: gold)',
  invoice_terms: '有 / 無(空欄は無)',
  credit_limit: '円、0以上の整数。掛け払い「有」なら必須',
  closing_day: '1〜28 または 末(空欄は末)',
  payment_month: '当月 / 翌月 / 翌々月(空欄は翌月)',
  payment_day: '1〜28 または 末(空欄は末)',
  customer_code: '貴社の得意先コード(半角英数字)',
};

function PreviewPage(props: AdminPageFrame & Preview & { done?: boolean; commitErrors?: FieldErrors; ranks: Map<string, string> }) {
  const base = `${adminBase(props.shop.slug)}/customers/import`;
  const { batch, check } = props;
  return (
    <AdminLayout {...props} title="顧客インポートの確認" active="customer-import">
      <Notice>{props.done && `${batch.imported_count}件の招待を作成し、招待メールを送ります。`}</Notice>
      <FormErrors errors={props.commitErrors} />
      <p>
        {batch.file_name}({batch.source_encoding === 'cp932' ? 'Shift_JIS' : 'UTF-8'}・{check.rows.length.toLocaleString('ja-JP')}行)・{BATCH_STATUS[batch.status]}
      </p>
      {check.fileErrors.length > 0 && (
        <div class="alert alert--error" role="alert">
          <ul>
            {check.fileErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {check.rowErrors.length > 0 && (
        <section class="panel" aria-labelledby="errors-h">
          <h2 id="errors-h">エラーのある行({check.rowErrors.length.toLocaleString('ja-JP')}行)</h2>
          <p>エラーがあるため取り込めません。ファイルを直してアップロードし直してください。</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    行
                  </th>
                  <th scope="col">内容</th>
                </tr>
              </thead>
              <tbody>
                {check.rowErrors.slice(0, SHOWN_ERRORS).map((e) => (
                  <tr key={e.line}>
                    <td class="num">{e.line}</td>
                    <td>
                      <ul class="console-plain-list">
                        {e.messages.map((m) => (
                          <li key={m}>{m}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {check.rowErrors.length > SHOWN_ERRORS && <p class="muted">ほか {check.rowErrors.length - SHOWN_ERRORS} 行</p>}
        </section>
      )}
      {check.ok && batch.status === 'previewed' && (
        <form method="post" action={`${base}/${batch.id}/commit`} class="panel">
          <CsrfField token={props.csrfToken} />
          <p>エラーはありません。{check.rows.length.toLocaleString('ja-JP')}件の招待を作成し、それぞれに招待メールを送ります。</p>
          <button type="submit">この内容で取り込む</button>
        </form>
      )}
      {check.rows.length > 0 && (
        <section class="panel" aria-labelledby="rows-h">
          <h2 id="rows-h">内容(先頭{Math.min(SHOWN_ROWS, check.rows.length)}行)</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    行
                  </th>
                  <th scope="col">会社名・担当者</th>
                  <th scope="col">メール</th>
                  <th scope="col">ランク</th>
                  <th scope="col">掛け払い</th>
                  <th scope="col">得意先コード</th>
                </tr>
              </thead>
              <tbody>
                {check.rows.slice(0, SHOWN_ROWS).map((r) => (
                  <tr key={r.line}>
                    <td class="num">{r.line}</td>
                    <td>
                      {r.company}
                      <div class="muted">{r.contact}</div>
                    </td>
                    <td>{r.email}</td>
                    <td>{props.ranks.get(r.rankCode) ?? r.rankCode}</td>
                    <td>{r.invoiceTermsEnabled ? `有(${yen(r.creditLimitYen)}・${r.closingDay === 31 ? '末' : r.closingDay}締め)` : '無'}</td>
                    <td>{r.customerCode}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <p>
        <a href={base}>顧客インポートに戻る</a>
      </p>
    </AdminLayout>
  );
}

function multipartFields(file: MultipartFile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(file.fields)) {
    const f = Array.isArray(field) ? field[0] : field;
    if (f && f.type === 'field') out[name] = f.value;
  }
  return out;
}

/** 顧客インポート: upload → preview with per-row errors → all-or-nothing commit with invitations. */
export function adminCustomerImportRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('customer-import');
  const config = { staffRoles: roles };
  const csrfCookie = cookieName(platform.config, 'csrf');

  async function renderUpload(request: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) {
    const data = await inAdmin(platform, request, roles, async (s) => ({ ...s, batches: await listImportBatches(s.tx) }));
    return reply.page(<UploadPage {...frameOf(platform, request, data)} batches={data.batches} errors={errors} />, { page: 'admin-customer-import', status: errors ? 400 : 200 });
  }

  async function renderPreview(request: FastifyRequest, reply: FastifyReply, id: string, commitErrors?: FieldErrors) {
    const data = await inAdmin(platform, request, roles, async (s) => {
      const ranks = await s.tx.selectFrom('shop_price_ranks').select(['code', 'name']).execute();
      return { ...s, preview: await previewImportBatch(s.tx, id), ranks: new Map(ranks.map((r) => [r.code, r.name])) };
    });
    const done = (request.query as { done?: string }).done === '1';
    return reply.page(<PreviewPage {...frameOf(platform, request, data)} {...data.preview} ranks={data.ranks} done={done} commitErrors={commitErrors} />, {
      page: 'admin-customer-import-preview',
      status: commitErrors ? 400 : 200,
    });
  }

  app.get('/customers/import', { config }, (request, reply) => renderUpload(request, reply));

  app.get('/customers/import/sample.csv', { config }, async (request, reply) => {
    await inAdmin(platform, request, roles, async () => undefined);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="customers-sample.csv"').send(sampleCustomerCsv());
  });

  app.post('/customers/import', { config: { ...config, csrf: 'manual' } }, async (request, reply) => {
    // Who is asking first: nobody else's upload is even read.
    await inAdmin(platform, request, roles, async () => undefined);
    if (!request.isMultipart()) return renderUpload(request, reply, { file: 'CSV ファイルを選んでください。' });
    let file: MultipartFile | undefined;
    let bytes: Buffer;
    try {
      file = await request.file({ limits: { fileSize: MAX_IMPORT_BYTES } });
      if (!file) return renderUpload(request, reply, { file: 'CSV ファイルを選んでください。' });
      assertCsrf(platform, { body: multipartFields(file), headers: request.headers, cookies: request.cookies, log: request.log }, csrfCookie);
      bytes = await file.toBuffer();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return renderUpload(request, reply, { file: 'ファイルが大きすぎます(5MBまで)。' });
      throw err;
    }
    try {
      const { id, slug } = await inAdmin(platform, request, roles, async (s) => ({
        id: await storeImportBatch(s.tx, s.actor, s.tenant.id, file.filename ?? 'customers.csv', bytes),
        slug: s.tenant.slug,
      }));
      return reply.redirect(`${adminBase(slug)}/customers/import/${id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderUpload(request, reply, { ...err.fieldErrors });
      throw err;
    }
  });

  app.get('/customers/import/:id', { config }, (request, reply) => renderPreview(request, reply, (request.params as { id: string }).id));

  app.post('/customers/import/:id/commit', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      const slug = await inAdmin(platform, request, roles, async (s) => {
        await commitImportBatch(s.tx, s.actor, s.tenant.id, s.tenant.display_name, id, `${platform.config.baseOrigin}/account/invitations`);
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/customers/import/${id}?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderPreview(request, reply, id, { ...err.fieldErrors });
      throw err;
    }
  });
}
