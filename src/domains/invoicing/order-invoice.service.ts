import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';
import { ConflictError, NotFoundError } from '../shared/domain-error.ts';
import { currentDocumentsOfOrder, type DocumentWork, type IssuedDocument, recordDocument, storeDocumentPdf } from './document-store.ts';
import { loadOrderDocumentSource, transactionDateOf } from './order-documents.read.ts';
import { buildOrderInvoiceModel, buildReturnInvoiceModel } from './order-invoice.ts';
import { renderQualifiedInvoicePdf } from './qualified-invoice.pdf.ts';

/**
 * 適格請求書 per order and 返還インボイス per decided return, issued as immutable documents.
 * Asking again returns the current document; a correction issues a new one that supersedes it.
 */

async function countOfKind(tx: Tx, tenantId: string, orderId: string, kind: 'qualified_invoice' | 'return_invoice'): Promise<number> {
  const row = await tx
    .selectFrom('documents')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function currentOrderInvoice(tx: Tx, tenantId: string, orderId: string): Promise<IssuedDocument | null> {
  return (await currentDocumentsOfOrder(tx, tenantId, orderId)).find((d) => d.kind === 'qualified_invoice') ?? null;
}

export interface IssueInvoiceInput {
  tenantId: string;
  orderId: string;
  issuedBy?: string | null;
  /** Issue a corrected invoice that supersedes the current one. */
  correction?: boolean;
}

export async function issueOrderInvoice(work: DocumentWork, input: IssueInvoiceInput): Promise<IssuedDocument> {
  const now = work.now ?? new Date();
  const prepared = await work.inScope(async (tx) => {
    const current = await currentOrderInvoice(tx, input.tenantId, input.orderId);
    if (current && !input.correction) return { existing: current } as const;
    const source = await loadOrderDocumentSource(tx, input.tenantId, input.orderId);
    if (source.order.status === 'cancelled') throw new ConflictError('キャンセルされた注文には請求書を発行できません。');
    if (source.order.is_synthetic) throw new ConflictError('監視用の注文には請求書を発行しません。');
    const n = await countOfKind(tx, input.tenantId, input.orderId, 'qualified_invoice');
    const documentNumber = n === 0 ? `INV-${source.order.order_number}` : `INV-${source.order.order_number}-${n + 1}`;
    const model = buildOrderInvoiceModel({
      documentNumber,
      issueDate: jstDateTime(now).date,
      transactionDate: transactionDateOf(source),
      order: source.order,
      lines: source.lines,
      account: source.account,
      settings: source.settings,
      supersedes: current ? { documentNumber: current.document_number } : null,
    });
    return { model, accountId: source.order.account_id, supersedes: current?.id ?? null };
  });
  if ('existing' in prepared) return prepared.existing!;
  const pdf = await renderQualifiedInvoicePdf({ ...prepared.model, generatedAt: now });
  const stored = await storeDocumentPdf(work.dataDir, input.tenantId, 'qualified_invoice', pdf);
  return work.inScope((tx) =>
    recordDocument(tx, {
      tenantId: input.tenantId,
      kind: 'qualified_invoice',
      documentNumber: prepared.model.documentNumber,
      accountId: prepared.accountId,
      orderId: input.orderId,
      supersedes: prepared.supersedes,
      issuedBy: input.issuedBy ?? null,
      stored,
    }),
  );
}

/** The 返還インボイス of an approved return (issued once; the original invoice first if none yet). */
export async function issueReturnInvoice(work: DocumentWork, input: { tenantId: string; returnId: string; issuedBy?: string | null }): Promise<IssuedDocument> {
  const now = work.now ?? new Date();
  const ret = await work.inScope((tx) => tx.selectFrom('returns').selectAll().where('tenant_id', '=', input.tenantId).where('id', '=', input.returnId).executeTakeFirst());
  if (!ret) throw new NotFoundError('返品申請が見つかりません。');
  if (ret.kind !== 'return' || (ret.status !== 'approved' && ret.status !== 'completed')) throw new ConflictError('承認された返品にのみ返還インボイスを発行できます。');
  const original = await issueOrderInvoice(work, { tenantId: input.tenantId, orderId: ret.order_id, issuedBy: input.issuedBy });
  const documentNumberBase = `RET-${original.document_number.replace(/^INV-/, '')}`;
  const prepared = await work.inScope(async (tx) => {
    const existing = await tx
      .selectFrom('documents')
      .selectAll()
      .where('tenant_id', '=', input.tenantId)
      .where('kind', '=', 'return_invoice')
      .where('document_number', 'like', `${documentNumberBase}-%`)
      .execute();
    const mine = existing.find((d) => d.document_number.endsWith(`-${input.returnId.slice(0, 8).toUpperCase()}`));
    if (mine) return { existing: mine } as const;
    const source = await loadOrderDocumentSource(tx, input.tenantId, ret.order_id);
    const lines = typeof ret.lines === 'string' ? JSON.parse(ret.lines) : ret.lines;
    const model = buildReturnInvoiceModel({
      documentNumber: `${documentNumberBase}-${input.returnId.slice(0, 8).toUpperCase()}`,
      issueDate: jstDateTime(now).date,
      returnDate: jstDateTime(new Date(ret.decided_at ?? now)).date,
      order: source.order,
      lines: source.lines,
      returned: lines,
      account: source.account,
      settings: source.settings,
      originalInvoice: { documentNumber: original.document_number, issueDate: jstDateTime(new Date(original.issued_at)).date },
      originalTransactionDate: transactionDateOf(source),
      reason: ret.reason,
    });
    return { model, accountId: source.order.account_id };
  });
  if ('existing' in prepared) return prepared.existing!;
  const pdf = await renderQualifiedInvoicePdf({ ...prepared.model, generatedAt: now });
  const stored = await storeDocumentPdf(work.dataDir, input.tenantId, 'return_invoice', pdf);
  return work.inScope((tx) =>
    recordDocument(tx, {
      tenantId: input.tenantId,
      kind: 'return_invoice',
      documentNumber: prepared.model.documentNumber,
      accountId: prepared.accountId,
      orderId: ret.order_id,
      issuedBy: input.issuedBy ?? null,
      stored,
    }),
  );
}
