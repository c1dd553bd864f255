import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditCatalog } from '../../../domains/catalog/catalog-actor.ts';
import { analyzeCatalogCsv, type CatalogCsvAnalysis } from '../../../domains/catalog-import/catalog-csv.analyze.ts';
import { commitCatalogCsv } from '../../../domains/catalog-import/catalog-csv.commit.ts';
import { type ExportProblem, exportCatalogCsv } from '../../../domains/catalog-import/catalog-csv.export.ts';
import { createImportFile, deleteImportFile, findImportFile, writeImportMeta } from '../../../domains/catalog-import/import-file.store.ts';
import { DomainError, NotFoundError } from '../../../domains/shared/domain-error.ts';
import { assertCsrf } from '../../../platform/http/app.ts';
import { cookieName } from '../../../platform/http/cookies.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { type FieldErrors, Notice } from '../../../platform/views/console-form.tsx';
import { CsrfField } from '../../../platform/views/layout.tsx';
import { frameOf, inAdmin } from '../admin-guard.ts';
import { AdminLayout, type AdminPageFrame } from '../admin-layout.tsx';
import { CATALOG_EDIT_ROLES, catalogActor, catalogBase } from './catalog-admin.shared.ts';
import { CatalogTabs } from './products.view.tsx';

export const MAX_CATALOG_CSV_BYTES = 64 * 1024 * 1024;

function CsvPage(props: AdminPageFrame & { uploadErrors?: FieldErrors; problems?: { list: ExportProblem[]; count: number }; notice?: string }) {
  const base = `${catalogBase(props.shop.slug)}/csv`;
  return (
    <AdminLayout {...props} title="CSV入出力" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="csv" canEdit />
      <Notice>{props.notice}</Notice>
      <section class="panel" aria-labelledby="export-h">
        <h2 id="export-h">エクスポート</h2>
        <p>1行が1つのバリエーション(SKU)です。ランク価格は「ランク価格:ランクコード」列に、円か掛け率(例: 75%)で入ります。「棚番」列(例: A-03-2)は省略でき、省略したファイルでは棚番を変更しません。</p>
        <form method="post" action={`${base}/export`} class="catalog-inline">
          <CsrfField token={props.csrfToken} />
          <button type="submit" name="encoding" value="cp932">
            Shift_JIS(Excel用)でダウンロード
          </button>
          <button type="submit" name="encoding" value="utf-8" class="button button--secondary">
            UTF-8でダウンロード
          </button>
        </form>
        {props.problems && (
          <div class="alert alert--error" role="alert">
            <p>
              Shift_JIS(CP932)で表せない文字が {props.problems.count}か所 あるため、Shift_JIS では出力しませんでした。該当する商品を修正するか、UTF-8 で出力してください。
            </p>
            <div class="table-wrap">
              <table class="catalog-table">
                <thead>
                  <tr>
                    <th scope="col">行</th>
                    <th scope="col">SKU</th>
                    <th scope="col">列</th>
                    <th scope="col">文字</th>
                  </tr>
                </thead>
                <tbody>
                  {props.problems.list.map((p) => (
                    <tr key={`${p.line}-${p.column}`}>
                      <td data-label="行">{p.line}</td>
                      <td class="mono" data-label="SKU">
                        {p.sku}
                      </td>
                      <td data-label="列">{p.column}</td>
                      <td data-label="文字">{p.characters.join(' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </section>
      <section class="panel" aria-labelledby="import-h">
        <h2 id="import-h">インポート</h2>
        <p>UTF-8 または Shift_JIS(CP932)の CSV を読み込みます。取り込む前に、追加・変更される件数とエラーを確認できます。エラーが1件でもあると何も取り込みません。</p>
        <form method="post" action={`${base}/import`} enctype="multipart/form-data">
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="csv-file">CSVファイル(64MBまで)</label>
            <input id="csv-file" type="file" name="file" accept=".csv,text/csv" required aria-describedby={props.uploadErrors?.file ? 'csv-file-error' : undefined} />
            {props.uploadErrors?.file && (
              <span class="field__error" id="csv-file-error">
                {props.uploadErrors.file}
              </span>
            )}
          </div>
          <button type="submit">確認する</button>
        </form>
      </section>
    </AdminLayout>
  );
}

function PreviewPage(props: AdminPageFrame & { id: string; fileName: string; analysis: CatalogCsvAnalysis; failedCommit?: boolean }) {
  const a = props.analysis;
  const base = `${catalogBase(props.shop.slug)}/csv`;
  const ok = a.fileErrors.length === 0 && a.errorCount === 0;
  return (
    <AdminLayout {...props} title="CSVインポートの確認" active="catalog">
      <CatalogTabs slug={props.shop.slug} active="csv" canEdit />
      <p>
        ファイル: <span class="mono">{props.fileName}</span>({a.encoding === 'cp932' ? 'Shift_JIS' : a.encoding === 'utf-8' ? 'UTF-8' : '不明'}・{a.rows.toLocaleString('ja-JP')}行)
      </p>
      {props.failedCommit && (
        <div class="alert alert--error" role="alert">
          取り込み時の再確認でエラーが見つかったため、何も取り込みませんでした。
        </div>
      )}
      {a.fileErrors.map((e) => (
        <div class="alert alert--error" role="alert" key={e}>
          {e}
        </div>
      ))}
      <div class="table-wrap">
        <table class="catalog-table">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">新規</th>
              <th scope="col">変更</th>
              <th scope="col">変更なし</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">商品</th>
              <td data-label="新規">{a.products.created}</td>
              <td data-label="変更">{a.products.changed}</td>
              <td data-label="変更なし">{a.products.unchanged}</td>
            </tr>
            <tr>
              <th scope="row">SKU</th>
              <td data-label="新規">{a.variants.created}</td>
              <td data-label="変更">{a.variants.changed}</td>
              <td data-label="変更なし">{a.variants.unchanged}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {a.errorCount > 0 && (
        <section class="panel" aria-labelledby="errors-h">
          <h2 id="errors-h">エラー {a.errorCount.toLocaleString('ja-JP')}件</h2>
          {a.errorCount > a.errors.length && <p class="muted">最初の{a.errors.length}件を表示しています。</p>}
          <div class="table-wrap">
            <table class="catalog-table">
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">列</th>
                  <th scope="col">内容</th>
                </tr>
              </thead>
              <tbody>
                {a.errors.map((e, i) => (
                  <tr key={i}>
                    <td data-label="行">{e.line}</td>
                    <td data-label="列">{e.column || '—'}</td>
                    <td data-label="内容">{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {ok ? (
        <form method="post" action={`${base}/import/${props.id}/commit`}>
          <CsrfField token={props.csrfToken} />
          <button type="submit">この内容で取り込む</button>
        </form>
      ) : (
        <p>エラーを直したファイルを、もう一度アップロードしてください。</p>
      )}
      <p>
        <a href={base}>CSV入出力に戻る</a>
      </p>
    </AdminLayout>
  );
}

/** CSV入出力 for the catalog (catalog editors and shop admins). */
export function adminCatalogCsvRoutes(app: FastifyInstance, platform: Platform) {
  const roles = CATALOG_EDIT_ROLES;
  const config = { staffRoles: roles };
  const csrfCookie = cookieName(platform.config, 'csrf');
  const dataDir = platform.config.dataDir;

  async function renderCsv(request: FastifyRequest, reply: FastifyReply, extra: { uploadErrors?: FieldErrors; problems?: { list: ExportProblem[]; count: number } } = {}) {
    const data = await inAdmin(platform, request, roles, async (s) => s);
    const done = Number((request.query as { done?: string }).done);
    const notice = Number.isInteger(done) && done >= 0 && (request.query as { done?: string }).done ? `${done.toLocaleString('ja-JP')}行を取り込みました。` : undefined;
    return reply.page(<CsvPage {...frameOf(platform, request, data)} {...extra} notice={notice} />, {
      page: 'admin-catalog-csv',
      status: extra.uploadErrors ? 400 : extra.problems ? 422 : 200,
    });
  }

  app.get('/catalog/csv', { config }, (request, reply) => renderCsv(request, reply));

  app.post('/catalog/csv/export', { config }, async (request, reply) => {
    const encoding = (request.body as { encoding?: string } | undefined)?.encoding === 'utf-8' ? 'utf-8' : 'cp932';
    const result = await inAdmin(platform, request, roles, async (s) => {
      const out = await exportCatalogCsv(s.tx, encoding);
      await auditCatalog(s.tx, catalogActor(s.actor), out.ok ? 'catalog.export' : 'catalog.export.refused', { type: 'catalog_export', id: encoding }, {
        rows: out.rows,
        problems: out.ok ? 0 : out.problemCount,
      });
      return out;
    });
    if (!result.ok) return renderCsv(request, reply, { problems: { list: result.problems, count: result.problemCount } });
    return reply
      .header('content-type', `text/csv; charset=${encoding === 'utf-8' ? 'utf-8' : 'Shift_JIS'}`)
      .header('content-disposition', `attachment; filename="${result.fileName}"`)
      .send(result.body);
  });

  app.post('/catalog/csv/import', { config: { ...config, csrf: 'manual' } }, async (request, reply) => {
    const who = await inAdmin(platform, request, roles, async (s) => ({ tenantId: s.tenant.id, userId: s.principal.userId }));
    if (!request.isMultipart()) return renderCsv(request, reply, { uploadErrors: { file: 'CSV ファイルを選んでください。' } });
    let file: MultipartFile | undefined;
    const target = await createImportFile(dataDir);
    try {
      file = await request.file({ limits: { fileSize: MAX_CATALOG_CSV_BYTES } });
      if (!file) return renderCsv(request, reply, { uploadErrors: { file: 'CSV ファイルを選んでください。' } });
      const fields: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(file.fields)) {
        const f = Array.isArray(field) ? field[0] : field;
        if (f && f.type === 'field') fields[name] = f.value;
      }
      assertCsrf(platform, { body: fields, headers: request.headers, cookies: request.cookies, log: request.log }, csrfCookie);
      await pipeline(file.file, fs.createWriteStream(target.path, { flags: 'wx' }));
      if (file.file.truncated) {
        await deleteImportFile(dataDir, target.id);
        return renderCsv(request, reply, { uploadErrors: { file: 'ファイルが大きすぎます(64MBまで)。' } });
      }
    } catch (err) {
      await deleteImportFile(dataDir, target.id);
      if (err instanceof DomainError) throw err;
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return renderCsv(request, reply, { uploadErrors: { file: 'ファイルが大きすぎます(64MBまで)。' } });
      throw err;
    }
    const fileName = (file.filename || 'catalog.csv').normalize('NFC').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100);
    await writeImportMeta(dataDir, target.id, { ...who, fileName, createdAt: new Date().toISOString() });
    const slug = await inAdmin(platform, request, roles, async (s) => {
      await auditCatalog(s.tx, catalogActor(s.actor), 'catalog.import.upload', { type: 'catalog_import', id: fileName }, { importId: target.id });
      return s.tenant.slug;
    });
    return reply.redirect(`${catalogBase(slug)}/csv/import/${target.id}`, 303);
  });

  async function renderPreview(request: FastifyRequest, reply: FastifyReply, id: string, failed?: CatalogCsvAnalysis) {
    const data = await inAdmin(platform, request, roles, async (s) => {
      const stored = await findImportFile(dataDir, id, { tenantId: s.tenant.id, userId: s.principal.userId });
      if (!stored) throw new NotFoundError('アップロードされたファイルが見つかりません(24時間で削除されます)。もう一度アップロードしてください。');
      return { ...s, fileName: stored.meta.fileName, analysis: failed ?? (await analyzeCatalogCsv(s.tx, stored.path)) };
    });
    return reply.page(<PreviewPage {...frameOf(platform, request, data)} id={id} fileName={data.fileName} analysis={data.analysis} failedCommit={Boolean(failed)} />, {
      page: 'admin-catalog-csv-preview',
      status: failed ? 422 : 200,
    });
  }

  app.get<{ Params: { id: string } }>('/catalog/csv/import/:id', { config }, (request, reply) => renderPreview(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>('/catalog/csv/import/:id/commit', { config }, async (request, reply) => {
    const { id } = request.params;
    const outcome = await inAdmin(platform, request, roles, async (s) => {
      const stored = await findImportFile(dataDir, id, { tenantId: s.tenant.id, userId: s.principal.userId });
      if (!stored) throw new NotFoundError('アップロードされたファイルが見つかりません(24時間で削除されます)。もう一度アップロードしてください。');
      return { slug: s.tenant.slug, result: await commitCatalogCsv(s.tx, catalogActor(s.actor), stored.path, stored.meta.fileName) };
    });
    if (!outcome.result.ok) return renderPreview(request, reply, id, outcome.result.analysis);
    await deleteImportFile(dataDir, id);
    return reply.redirect(`${catalogBase(outcome.slug)}/csv?done=${outcome.result.analysis.rows}`, 303);
  });
}
