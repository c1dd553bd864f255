import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { IsoDate } from '../calendar/calendar-date.ts';
import { auditOrderAction } from '../fulfilment/order-actor-audit.ts';
import type { OrderActor } from '../orders/order-state.ts';
import type { StatementSentVia } from '../orders/orders.tables.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { recordReceipt } from './receivables.service.ts';
import { statementDocumentNumber } from './statement.service.ts';

/**
 * Staff work on monthly statements (月次請求書): the list per closing month and member, marking a
 * statement sent (the closing job mails it; post, fax or by hand are recorded here) and paid —
 * which records the receipt on the 掛け払い ledger, so credit exposure and the next statement
 * see the payment.
 */

export const SENT_VIA_LABELS: Readonly<Record<StatementSentVia, string>> = { mail: 'メール', post: '郵送', fax: 'FAX', hand: '手渡し' };

export interface StatementFilter {
  /** YYYY-MM of the closing day; '' for every month. */
  month: string;
  /** Company, salon or customer code. */
  q: string;
  state: '' | 'unsent' | 'unpaid' | 'overdue' | 'paid';
}

export function cleanStatementFilter(raw: Record<string, unknown>): StatementFilter {
  const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().slice(0, 50) : '');
  const month = text(raw.month);
  const state = text(raw.state);
  return {
    month: /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : '',
    q: text(raw.q),
    state: (['unsent', 'unpaid', 'overdue', 'paid'] as const).find((s) => s === state) ?? '',
  };
}

export interface StatementRow {
  id: string;
  documentNumber: string;
  accountId: string;
  companyName: string;
  salonName: string;
  customerCode: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  previousBalance: number;
  paymentsReceived: number;
  purchasesInclTax: number;
  amountDue: number;
  documentId: string | null;
  sentAt: Date | null;
  sentVia: StatementSentVia | null;
  paidAt: Date | null;
  overdue: boolean;
}

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listStatements(tx: Tx, tenantId: string, filter: StatementFilter, today: IsoDate): Promise<StatementRow[]> {
  let query = tx
    .selectFrom('statements as s')
    .innerJoin('salon_accounts as a', 'a.id', 's.account_id')
    .innerJoin('memberships as m', (j) => j.onRef('m.tenant_id', '=', 's.tenant_id').onRef('m.id', '=', 's.membership_id'))
    .select([
      's.id',
      's.account_id',
      'a.company_name',
      'a.salon_name',
      'm.customer_code',
      's.previous_balance',
      's.payments_received',
      's.purchases_incl_tax',
      's.amount_due',
      's.document_id',
      's.sent_at',
      's.sent_via',
      's.paid_at',
    ])
    .select([sql<string>`s.period_start::text`.as('period_start'), sql<string>`s.period_end::text`.as('period_end'), sql<string>`s.due_date::text`.as('due_date')])
    .where('s.tenant_id', '=', tenantId);
  if (filter.month) query = query.where(sql<string>`to_char(s.period_end, 'YYYY-MM')`, '=', filter.month);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) => eb.or([eb('a.company_name', 'ilike', like), eb('a.salon_name', 'ilike', like), eb('m.customer_code', 'ilike', like)]));
  }
  if (filter.state === 'unsent') query = query.where('s.sent_at', 'is', null);
  if (filter.state === 'paid') query = query.where('s.paid_at', 'is not', null);
  if (filter.state === 'unpaid') query = query.where('s.paid_at', 'is', null).where('s.amount_due', '>', 0);
  if (filter.state === 'overdue') query = query.where('s.paid_at', 'is', null).where('s.amount_due', '>', 0).where('s.due_date', '<', sql<string>`${today}::date`);
  const rows = await query.orderBy('s.period_end', 'desc').orderBy('a.company_name').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    documentNumber: statementDocumentNumber({ period_end: r.period_end, account_id: r.account_id }),
    accountId: r.account_id,
    companyName: r.company_name,
    salonName: r.salon_name,
    customerCode: r.customer_code,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    dueDate: r.due_date,
    previousBalance: r.previous_balance,
    paymentsReceived: r.payments_received,
    purchasesInclTax: r.purchases_incl_tax,
    amountDue: r.amount_due,
    documentId: r.document_id,
    sentAt: r.sent_at,
    sentVia: r.sent_via,
    paidAt: r.paid_at,
    overdue: !r.paid_at && r.amount_due > 0 && r.due_date < today,
  }));
}

async function lockStatement(tx: Tx, tenantId: string, statementId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(statementId)) throw new NotFoundError('請求書が見つかりません。');
  const { rows } = await sql<{ id: string; account_id: string; period_end: string; amount_due: number; sent_at: Date | null; paid_at: Date | null }>`
    SELECT id, account_id, period_end::text AS period_end, amount_due, sent_at, paid_at FROM statements
     WHERE tenant_id = ${tenantId}::uuid AND id = ${statementId}::uuid FOR UPDATE`.execute(tx);
  if (!rows[0]) throw new NotFoundError('請求書が見つかりません。');
  return rows[0];
}

export async function markStatementSent(tx: Tx, input: { tenantId: string; statementId: string; via: string; actor: OrderActor }): Promise<void> {
  const via = (Object.keys(SENT_VIA_LABELS) as StatementSentVia[]).find((v) => v === input.via);
  if (!via) throw new ValidationError({ via: '送付方法を選んでください。' });
  const statement = await lockStatement(tx, input.tenantId, input.statementId);
  if (statement.sent_at) throw new ConflictError('この請求書は送付済みです。');
  await tx
    .updateTable('statements')
    .set({ sent_at: new Date(), sent_by: input.actor.id ?? null, sent_via: via })
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', statement.id)
    .execute();
  await auditOrderAction(tx, input.actor, 'receivables.statement_sent', statementDocumentNumber(statement), { statementId: statement.id, via });
}

/**
 * 入金済み: records the payment as a receipt (the ledger's only source of payments) and marks the
 * statement paid. The amount defaults to the amount due; a statement with nothing due is marked
 * paid without a receipt.
 */
export async function markStatementPaid(tx: Tx, input: { tenantId: string; statementId: string; form: Record<string, string>; actor: OrderActor; today: IsoDate }): Promise<{ receiptId: string | null }> {
  const statement = await lockStatement(tx, input.tenantId, input.statementId);
  if (statement.paid_at) throw new ConflictError('この請求書は入金済みです。');
  const number = statementDocumentNumber(statement);
  let receiptId: string | null = null;
  if (statement.amount_due > 0) {
    receiptId = await recordReceipt(tx, {
      tenantId: input.tenantId,
      accountId: statement.account_id,
      form: { amountYen: input.form.amountYen ?? '', receivedOn: input.form.receivedOn ?? '', note: `${input.form.note ?? ''} 請求書 ${number}`.trim().slice(0, 200) },
      actor: input.actor,
      today: input.today,
    });
  }
  await tx
    .updateTable('statements')
    .set({ paid_at: new Date(), paid_by: input.actor.id ?? null, paid_receipt_id: receiptId })
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', statement.id)
    .execute();
  await auditOrderAction(tx, input.actor, 'receivables.statement_paid', number, { statementId: statement.id, receiptId, amountDue: statement.amount_due, amountYen: input.form.amountYen ?? null });
  return { receiptId };
}
