import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { addDays, type IsoDate, jstDateTime } from '../calendar/calendar-date.ts';
import { type DocumentWork, recordDocument, storeDocumentPdf } from '../invoicing/document-store.ts';
import type { MonthlyStatementModel, StatementEntry } from '../invoicing/monthly-statement.pdf.ts';
import { renderMonthlyStatementPdf } from '../invoicing/monthly-statement.pdf.ts';
import { issuerOf, orderInvoiceLines, paymentOf, recipientOf, returnedInvoiceLines } from '../invoicing/order-invoice.ts';
import type { StatementsTable } from '../orders/orders.tables.ts';
import { loadShopSettings } from '../orders/shop-settings.ts';
import { computeInvoiceTax, type InvoiceTax, type TaxableLine } from '../tax/invoice-tax.ts';
import { lastClosedPeriod, type MembershipTerms, paymentTermsLabel, statementDueDate } from './statement-period.ts';

/**
 * 締め請求: on each member's closing day a statement of the period — previous balance, receipts,
 * this period's 掛け払い purchases less approved returns (tax once per rate over the period), the
 * amount due and its due date — made once per (account, period end), then its PDF and a mail to
 * the salon's owners. Every step can repeat after a crash without doubling anything.
 */

export type Statement = Selectable<StatementsTable>;

const jstDateSql = (column: string) => sql<string>`(${sql.ref(column)} AT TIME ZONE 'Asia/Tokyo')::date`;

export interface PeriodActivity {
  entries: StatementEntry[];
  purchases: InvoiceTax;
  paymentsReceived: number;
}

/** Purchases (by order date), approved returns (by decision date) and receipts of one period. */
export async function periodActivity(tx: Tx, tenantId: string, accountId: string, start: IsoDate, end: IsoDate): Promise<PeriodActivity> {
  const orders = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'shipping_fee_excl_tax', 'cod_fee_excl_tax'])
    .select(jstDateSql('placed_at').as('placed_on'))
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('payment_method', '=', 'invoice')
    .where('status', '!=', 'cancelled')
    .where('is_synthetic', '=', false)
    .where(jstDateSql('placed_at'), '>=', sql<string>`${start}::date`)
    .where(jstDateSql('placed_at'), '<=', sql<string>`${end}::date`)
    .orderBy('placed_at')
    .execute();
  const returns = await tx
    .selectFrom('returns as r')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 'r.tenant_id').onRef('o.id', '=', 'r.order_id'))
    .select(['r.order_id', 'r.lines', 'o.order_number'])
    .select(jstDateSql('r.decided_at').as('decided_on'))
    .where('r.tenant_id', '=', tenantId)
    .where('r.account_id', '=', accountId)
    .where('r.kind', '=', 'return')
    .where('r.status', 'in', ['approved', 'completed'])
    .where('o.payment_method', '=', 'invoice')
    .where(jstDateSql('r.decided_at'), '>=', sql<string>`${start}::date`)
    .where(jstDateSql('r.decided_at'), '<=', sql<string>`${end}::date`)
    .orderBy('r.decided_at')
    .execute();
  const lineIds = [...new Set([...orders.map((o) => o.id), ...returns.map((r) => r.order_id)])];
  const allLines = lineIds.length ? await tx.selectFrom('order_lines').selectAll().where('tenant_id', '=', tenantId).where('order_id', 'in', lineIds).orderBy('line_no').execute() : [];
  const taxable: TaxableLine[] = [];
  const entries: StatementEntry[] = [];
  for (const o of orders) {
    const lines = orderInvoiceLines(o, allLines.filter((l) => l.order_id === o.id));
    taxable.push(...lines);
    const amounts: StatementEntry['amountsExclTax'] = {};
    for (const l of lines) amounts[l.rate] = (amounts[l.rate] ?? 0) + l.amountExclTax;
    entries.push({ date: String(o.placed_on).slice(0, 10), orderNumber: o.order_number, description: '納品', amountsExclTax: amounts });
  }
  for (const r of returns) {
    const returned = returnedInvoiceLines(allLines.filter((l) => l.order_id === r.order_id), typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines);
    const amounts: StatementEntry['amountsExclTax'] = {};
    for (const l of returned) {
      taxable.push({ amountExclTax: -l.amountExclTax, rate: l.rate });
      amounts[l.rate] = (amounts[l.rate] ?? 0) - l.amountExclTax;
    }
    entries.push({ date: String(r.decided_on).slice(0, 10), orderNumber: r.order_number, description: '返品', amountsExclTax: amounts });
  }
  const receipts = await tx
    .selectFrom('receipts')
    .select(sql<number>`coalesce(sum(amount_yen), 0)::bigint`.as('sum'))
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('received_on', '>=', start)
    .where('received_on', '<=', end)
    .executeTakeFirstOrThrow();
  return { entries: entries.sort((a, b) => a.date.localeCompare(b.date)), purchases: computeInvoiceTax(taxable), paymentsReceived: Number(receipts.sum) };
}

interface MembershipRow extends MembershipTerms {
  id: string;
  account_id: string;
}

/** Makes the statement of the member's last closed period, once. Returns it (new or existing) or null when there is nothing to bill. */
export async function closeStatement(tx: Tx, tenantId: string, membership: MembershipRow, today: IsoDate): Promise<Statement | null> {
  const period = lastClosedPeriod(today, membership);
  const existing = await tx.selectFrom('statements').selectAll().where('tenant_id', '=', tenantId).where('account_id', '=', membership.account_id).where('period_end', '=', period.end).executeTakeFirst();
  if (existing) return existing;
  const previous = await tx
    .selectFrom('statements')
    .select(['amount_due', 'period_end'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', membership.account_id)
    .where('period_end', '<', period.end)
    .orderBy('period_end', 'desc')
    .executeTakeFirst();
  // A period following an earlier statement starts the day after it, even if terms changed.
  const start = previous ? addDays(String(previous.period_end).slice(0, 10), 1) : period.start;
  const activity = await periodActivity(tx, tenantId, membership.account_id, start, period.end);
  const previousBalance = previous?.amount_due ?? 0;
  if (previousBalance === 0 && activity.paymentsReceived === 0 && activity.entries.length === 0) return null;
  const amountDue = previousBalance - activity.paymentsReceived + activity.purchases.total;
  const inserted = await tx
    .insertInto('statements')
    .values({
      tenant_id: tenantId,
      account_id: membership.account_id,
      membership_id: membership.id,
      period_start: start,
      period_end: period.end,
      due_date: statementDueDate(period.end, membership),
      previous_balance: previousBalance,
      payments_received: activity.paymentsReceived,
      purchases_incl_tax: activity.purchases.total,
      amount_due: amountDue,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'account_id', 'period_end']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? (await tx.selectFrom('statements').selectAll().where('tenant_id', '=', tenantId).where('account_id', '=', membership.account_id).where('period_end', '=', period.end).executeTakeFirstOrThrow());
}

export function statementDocumentNumber(statement: Pick<Statement, 'period_end' | 'account_id'>): string {
  return `ST-${String(statement.period_end).slice(0, 10).replace(/-/g, '')}-${statement.account_id.slice(0, 8).toUpperCase()}`;
}

export async function statementModel(tx: Tx, tenantId: string, statement: Statement, now: Date): Promise<MonthlyStatementModel> {
  const settings = await loadShopSettings(tx, tenantId);
  const account = await tx
    .selectFrom('salon_accounts')
    .select(['company_name', 'salon_name', 'postal_code', 'prefecture', 'city', 'address_line1', 'address_line2'])
    .where('id', '=', statement.account_id)
    .executeTakeFirstOrThrow();
  const terms = await tx.selectFrom('memberships').select(['closing_day', 'payment_month_offset', 'payment_day']).where('tenant_id', '=', tenantId).where('id', '=', statement.membership_id).executeTakeFirstOrThrow();
  const start = String(statement.period_start).slice(0, 10);
  const end = String(statement.period_end).slice(0, 10);
  const activity = await periodActivity(tx, tenantId, statement.account_id, start, end);
  return {
    documentNumber: statementDocumentNumber(statement),
    issueDate: jstDateTime(now).date,
    closingPeriod: { from: start, to: end },
    paymentTerms: paymentTermsLabel(terms),
    buyer: recipientOf(account),
    issuer: issuerOf(settings),
    previousBalance: statement.previous_balance,
    paymentsReceived: statement.payments_received,
    carriedOver: statement.previous_balance - statement.payments_received,
    entries: activity.entries,
    purchases: activity.purchases,
    amountDue: statement.amount_due,
    payment: paymentOf(settings, String(statement.due_date).slice(0, 10)),
    notes: settings.invoiceNote ? [settings.invoiceNote] : [],
  };
}

/** Renders, stores and attaches the PDF of a statement still without one, then mails the owners. */
export async function attachStatementPdf(work: DocumentWork, tenantId: string, statementId: string): Promise<boolean> {
  const now = work.now ?? new Date();
  const prepared = await work.inScope(async (tx) => {
    const statement = await tx.selectFrom('statements').selectAll().where('tenant_id', '=', tenantId).where('id', '=', statementId).executeTakeFirstOrThrow();
    if (statement.document_id) return null;
    return { statement, model: await statementModel(tx, tenantId, statement, now) };
  });
  if (!prepared) return false;
  const pdf = await renderMonthlyStatementPdf({ ...prepared.model, generatedAt: now });
  const stored = await storeDocumentPdf(work.dataDir, tenantId, 'monthly_statement', pdf);
  return work.inScope(async (tx) => {
    const { rows } = await sql<{ document_id: string | null }>`SELECT document_id FROM statements WHERE tenant_id = ${tenantId}::uuid AND id = ${statementId}::uuid FOR UPDATE`.execute(tx);
    if (rows[0]?.document_id) return false;
    const document = await recordDocument(tx, {
      tenantId,
      kind: 'monthly_statement',
      documentNumber: prepared.model.documentNumber,
      accountId: prepared.statement.account_id,
      statementId,
      stored,
    });
    const mailed = await queueStatementMail(tx, tenantId, prepared.statement, prepared.model);
    // Mailed to the salon's owners: that is the statement's sending (staff record post or fax themselves).
    await tx
      .updateTable('statements')
      .set({ document_id: document.id, ...(mailed > 0 ? { sent_at: new Date(), sent_via: 'mail' as const } : {}) })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', statementId)
      .execute();
    return true;
  });
}

async function queueStatementMail(tx: Tx, tenantId: string, statement: Statement, model: MonthlyStatementModel): Promise<number> {
  const owners = await tx
    .selectFrom('salon_users')
    .select(['email', 'display_name'])
    .where('account_id', '=', statement.account_id)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .where('is_synthetic', '=', false)
    .execute();
  const shop = await tx.selectFrom('tenants').select(['display_name', 'company_name']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
  for (const owner of owners) {
    await queueMail(tx, {
      tenantId,
      to: owner.email,
      subject: `【${shop.display_name}】${model.closingPeriod.to.slice(0, 7).replace('-', '年')}月締め ご請求書（${model.documentNumber}）`,
      text: [
        `${owner.display_name} 様`,
        '',
        `${shop.display_name} の掛け払いのご請求書を発行しました（${model.closingPeriod.from} 〜 ${model.closingPeriod.to}）。`,
        '',
        `  前回ご請求額: ${yen(model.previousBalance)}`,
        `  ご入金額: ${yen(model.paymentsReceived)}`,
        `  今回お買上額（税込）: ${yen(model.purchases.total)}`,
        `  今回ご請求額: ${yen(model.amountDue)}`,
        `  お支払期日: ${model.payment.dueDate}`,
        '',
        '請求書（PDF）はショップの「注文履歴」→「請求書」からダウンロードいただけます。',
        '',
        shop.company_name,
      ].join('\n'),
    });
  }
  return owners.length;
}
