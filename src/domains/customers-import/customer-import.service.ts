import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type MailContent, queueMails } from '../../platform/mail/mail.ts';
import { hashAuthToken, TOKEN_TTL_SECONDS } from '../auth/auth-token.service.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../staff/staff-actor.ts';
import { decodeCustomerCsv } from './customer-csv.decode.ts';
import { type CustomerRow, type ParsedCustomerCsv, parseCustomerCsv, type RowProblem } from './customer-csv.parse.ts';

/**
 * Importing a shop's existing customers: upload (stored decoded), preview with every problem per
 * row, then commit all rows or none. The commit re-checks the stored file against the database
 * as it is then, in the same transaction that writes the invitations.
 *
 * Each invitation's link token is written the way domains/accounts/membership.service.ts reads it
 * (subject "customer_invitation:<tenant id>:<invitation id>", link /account/invitations/<token>),
 * in bulk: one insert per chunk rather than one per customer.
 */

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export interface ImportCheck extends ParsedCustomerCsv {
  ok: boolean;
  errorCount: number;
}

function mergeProblems(a: RowProblem[], b: Map<number, string[]>): RowProblem[] {
  const byLine = new Map<number, string[]>();
  for (const p of a) byLine.set(p.line, [...p.messages]);
  for (const [line, messages] of b) byLine.set(line, [...(byLine.get(line) ?? []), ...messages]);
  return [...byLine.entries()].sort(([x], [y]) => x - y).map(([line, messages]) => ({ line, messages }));
}

async function rankIdsByCode(tx: Tx): Promise<Map<string, string>> {
  const ranks = await tx.selectFrom('shop_price_ranks').select(['id', 'code']).execute();
  return new Map(ranks.map((r) => [r.code, r.id]));
}

/** Checks parsed rows against what the shop already has (its ranks, invitations and members). */
export async function checkCustomerCsv(tx: Tx, text: string): Promise<ImportCheck & { rankIds: Map<string, string> }> {
  const parsed = parseCustomerCsv(text);
  const rankIds = await rankIdsByCode(tx);
  if (parsed.fileErrors.length) return { ...parsed, rankIds, ok: false, errorCount: parsed.fileErrors.length };
  const invited = await tx.selectFrom('customer_invitations').select(['email', 'status', 'customer_code']).where('status', '<>', 'revoked').execute();
  const invitedEmails = new Set(invited.map((r) => r.email.toLowerCase()));
  // RLS shows only the users of salons that are members of (or applied to) this shop.
  const memberEmails = new Set(
    (await tx.selectFrom('salon_users as u').innerJoin('memberships as m', 'm.account_id', 'u.account_id').select('u.email').execute()).map((r) => r.email.toLowerCase()),
  );
  const usedCodes = new Set([
    ...invited.map((r) => r.customer_code).filter(Boolean),
    ...(await tx.selectFrom('memberships').select('customer_code').where('customer_code', '<>', '').execute()).map((r) => r.customer_code),
  ]);
  const extra = new Map<number, string[]>();
  const add = (line: number, m: string) => extra.set(line, [...(extra.get(line) ?? []), m]);
  for (const row of parsed.rows) {
    if (row.rankCode && !rankIds.has(row.rankCode)) add(row.line, `ランクコード「${row.rankCode}」はこのショップにありません。`);
    if (invitedEmails.has(row.email)) add(row.line, `${row.email} は既に招待済みです。`);
    else if (memberEmails.has(row.email)) add(row.line, `${row.email} は既に会員(または申請中)です。`);
    if (row.customerCode && usedCodes.has(row.customerCode)) add(row.line, `得意先コード「${row.customerCode}」は既に使われています。`);
  }
  const rowErrors = mergeProblems(parsed.rowErrors, extra);
  return { ...parsed, rowErrors, rankIds, ok: rowErrors.length === 0, errorCount: rowErrors.length };
}

export async function storeImportBatch(tx: Tx, actor: StaffActor, tenantId: string, fileName: string, bytes: Uint8Array) {
  if (bytes.length > MAX_IMPORT_BYTES) throw new ValidationError({ file: 'ファイルが大きすぎます(5MBまで)。' });
  const { text, encoding } = decodeCustomerCsv(bytes);
  // Only a label for the history list: keep printable characters, never a path.
  const safeName = [...fileName].map((c) => (c.charCodeAt(0) < 0x20 || c === '/' || c === '\\' ? '_' : c)).join('').slice(-200) || 'customers.csv';
  const check = parseCustomerCsv(text);
  const batch = await tx
    .insertInto('customer_import_batches')
    .values({ tenant_id: tenantId, file_name: safeName, source_encoding: encoding, csv_text: text, row_count: check.rows.length, uploaded_by: actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditByStaff(tx, actor, {
    action: 'customer_import.upload',
    resourceType: 'customer_import',
    resourceId: batch.id,
    result: 'success',
    detail: { fileName: safeName, encoding, rows: check.rows.length },
  });
  return batch.id;
}

async function loadBatch(tx: Tx, batchId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(batchId)) throw new NotFoundError();
  const batch = await tx.selectFrom('customer_import_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new NotFoundError('取り込みが見つかりません。');
  return batch;
}

export async function previewImportBatch(tx: Tx, batchId: string) {
  const batch = await loadBatch(tx, batchId);
  const check = await checkCustomerCsv(tx, batch.csv_text);
  const { csv_text: _text, ...meta } = batch;
  return { batch: meta, check: { ...check, rankIds: undefined } };
}

export function listImportBatches(tx: Tx) {
  return tx
    .selectFrom('customer_import_batches')
    .select(['id', 'file_name', 'source_encoding', 'row_count', 'status', 'imported_count', 'created_at', 'committed_at'])
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute();
}

const INSERT_CHUNK = 500;

/** The invitation mail: the link works only for a salon user signed in with this address (docs/decisions/0007). */
export function customerInvitationMail(shopName: string, to: { company: string; contact: string; email: string }, link: string): MailContent {
  return {
    to: to.email,
    subject: `【${shopName}】会員制卸サイトへのご招待`,
    text: `${to.company}\n${to.contact} 様\n\n平素よりお取引いただきありがとうございます。${shopName} の会員制卸サイトにご招待します。\n次のリンクから、このメールアドレス（${to.email}）でサロンアカウントを登録（または既存のアカウントでサインイン）すると、これまでのお取引条件でご利用いただけます。招待はこのメールアドレスのアカウントでのみお受けいただけます。リンクの有効期限は30日です。\n\n${link}\n`,
  };
}

/** All rows become invitations (each with its emailed link), or — on any problem — none. */
export async function commitImportBatch(tx: Tx, actor: StaffActor, tenantId: string, shopName: string, batchId: string, acceptUrlBase: string) {
  // A malformed id must be a 404 before it reaches the uuid column (PostgreSQL would raise 22P02: a 500).
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(batchId)) throw new NotFoundError();
  const locked = await tx
    .updateTable('customer_import_batches')
    .set({ status: 'committed', committed_at: sql`now()` })
    .where('id', '=', batchId)
    .where('status', '=', 'previewed')
    .returning(['id', 'csv_text'])
    .executeTakeFirst();
  if (!locked) {
    await loadBatch(tx, batchId);
    throw new ConflictError('この取り込みは既に完了しているか、破棄されています。');
  }
  const check = await checkCustomerCsv(tx, locked.csv_text);
  if (!check.ok) {
    throw new ValidationError({ _form: `エラーが${check.errorCount}件あるため、取り込みませんでした。修正したファイルをアップロードし直してください。` });
  }
  const rows: (CustomerRow & { invitationId?: string })[] = check.rows;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const inserted = await tx
      .insertInto('customer_invitations')
      .values(
        chunk.map((r) => ({
          tenant_id: tenantId,
          company_name: r.company,
          contact_name: r.contact,
          email: r.email,
          phone: r.phone,
          customer_code: r.customerCode,
          rank_id: check.rankIds.get(r.rankCode)!,
          invoice_terms_enabled: r.invoiceTermsEnabled,
          credit_limit_yen: r.creditLimitYen,
          closing_day: r.closingDay,
          payment_month_offset: r.paymentMonthOffset,
          payment_day: r.paymentDay,
          invited_by: actor.id,
        })),
      )
      .returning(['id', 'email'])
      .execute();
    const idByEmail = new Map(inserted.map((r) => [r.email.toLowerCase(), r.id]));
    const tokens = chunk.map((r) => ({ row: r, id: idByEmail.get(r.email)!, token: randomBytes(32).toString('base64url') }));
    await tx
      .insertInto('auth_tokens')
      .values(
        tokens.map((t) => ({
          kind: 'customer_invite' as const,
          token_hash: hashAuthToken(t.token),
          subject: `customer_invitation:${tenantId}:${t.id}`,
          expires_at: sql<Date>`now() + make_interval(secs => ${TOKEN_TTL_SECONDS.customer_invite})`,
        })),
      )
      .execute();
    await queueMails(
      tx,
      tokens.map((t) => ({ tenantId, ...customerInvitationMail(shopName, t.row, `${acceptUrlBase}/${t.token}`) })),
    );
  }
  await tx.updateTable('customer_import_batches').set({ imported_count: rows.length }).where('id', '=', batchId).execute();
  await auditByStaff(tx, actor, {
    action: 'customer_import.commit',
    resourceType: 'customer_import',
    resourceId: batchId,
    result: 'success',
    detail: { invitations: rows.length },
  });
  return rows.length;
}
