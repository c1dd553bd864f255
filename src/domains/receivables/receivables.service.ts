import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { IsoDate } from '../calendar/calendar-date.ts';
import { isIsoDate } from '../calendar/calendar-date.ts';
import { invoiceLedgerSql } from '../checkout/credit.ts';
import { auditOrderAction } from '../fulfilment/order-actor-audit.ts';
import type { OrderActor } from '../orders/order-state.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';

/**
 * 売掛金 per invoice-terms member: outstanding (every 掛け払い purchase not cancelled, less
 * return credits and receipts — the same ledger the credit check uses), the credit limit, and
 * what is overdue (the last statement past its due date, less receipts since it closed).
 */

export interface Receivable {
  accountId: string;
  companyName: string;
  salonName: string;
  customerCode: string;
  creditLimitYen: number;
  outstandingYen: number;
  overdueYen: number;
  lastStatement: { periodEnd: string; dueDate: string; amountDue: number } | null;
}

export async function listReceivables(tx: Tx, tenantId: string, today: IsoDate): Promise<Receivable[]> {
  const { rows } = await sql<{
    account_id: string;
    company_name: string;
    salon_name: string;
    customer_code: string;
    credit_limit_yen: number;
    balance: string;
    st_end: string | null;
    st_due: string | null;
    st_amount: number | null;
    overdue_end: string | null;
    overdue_amount: number | null;
    receipts_after_overdue: string;
  }>`
    SELECT m.account_id, a.company_name, a.salon_name, m.customer_code, m.credit_limit_yen,
      ${invoiceLedgerSql(sql.ref('m.tenant_id'), sql.ref('m.account_id'))} AS balance,
      last.period_end::text AS st_end, last.due_date::text AS st_due, last.amount_due AS st_amount,
      od.period_end::text AS overdue_end, od.amount_due AS overdue_amount,
      (SELECT coalesce(sum(amount_yen), 0) FROM receipts r WHERE r.tenant_id = m.tenant_id AND r.account_id = m.account_id AND od.period_end IS NOT NULL AND r.received_on > od.period_end) AS receipts_after_overdue
    FROM memberships m
    JOIN salon_accounts a ON a.id = m.account_id
    LEFT JOIN LATERAL (SELECT period_end, due_date, amount_due FROM statements s WHERE s.tenant_id = m.tenant_id AND s.account_id = m.account_id ORDER BY period_end DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT period_end, amount_due FROM statements s WHERE s.tenant_id = m.tenant_id AND s.account_id = m.account_id AND s.due_date < ${today}::date ORDER BY period_end DESC LIMIT 1) od ON true
    WHERE m.tenant_id = ${tenantId}::uuid AND m.invoice_terms_enabled
    ORDER BY a.company_name`.execute(tx);
  return rows.map((r) => ({
    accountId: r.account_id,
    companyName: r.company_name,
    salonName: r.salon_name,
    customerCode: r.customer_code,
    creditLimitYen: r.credit_limit_yen,
    outstandingYen: Math.max(0, Number(r.balance)),
    overdueYen: r.overdue_amount === null ? 0 : Math.max(0, Number(r.overdue_amount) - Number(r.receipts_after_overdue)),
    lastStatement: r.st_end ? { periodEnd: r.st_end, dueDate: r.st_due!, amountDue: Number(r.st_amount) } : null,
  }));
}

const receiptSchema = z.object({
  amountYen: z
    .string({ error: '入金額を入力してください。' })
    .transform((v) => v.normalize('NFKC').replace(/[,円\s]/g, ''))
    .pipe(z.string().regex(/^\d{1,9}$/, '入金額は1円以上の整数で入力してください。'))
    .transform(Number)
    .pipe(z.number().int().min(1, '入金額は1円以上の整数で入力してください。')),
  receivedOn: z.string({ error: '入金日を入力してください。' }).refine(isIsoDate, '入金日を正しく入力してください（例: 2025-03-31）。'),
  note: z
    .string()
    .optional()
    .default('')
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().max(200, 'メモは200文字以内で入力してください。')),
});

export async function recordReceipt(tx: Tx, input: { tenantId: string; accountId: string; form: Record<string, string>; actor: OrderActor; today: IsoDate }): Promise<string> {
  const parsed = receiptSchema.safeParse(input.form);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
    throw new ValidationError(errors);
  }
  if (parsed.data.receivedOn > input.today) throw new ValidationError({ receivedOn: '未来の日付は入力できません。' });
  const member = await tx.selectFrom('memberships').select(['id', 'invoice_terms_enabled']).where('tenant_id', '=', input.tenantId).where('account_id', '=', input.accountId).executeTakeFirst();
  if (!member?.invoice_terms_enabled) throw new NotFoundError('掛け払いの会員が見つかりません。');
  if (!input.actor.id) throw new ValidationError({ _form: '記録者が不明です。' });
  const row = await tx
    .insertInto('receipts')
    .values({ tenant_id: input.tenantId, account_id: input.accountId, amount_yen: parsed.data.amountYen, received_on: parsed.data.receivedOn, note: parsed.data.note, recorded_by: input.actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await auditOrderAction(tx, input.actor, 'receivables.receipt_recorded', input.accountId, { receiptId: row.id, amountYen: parsed.data.amountYen, receivedOn: parsed.data.receivedOn });
  return row.id;
}
