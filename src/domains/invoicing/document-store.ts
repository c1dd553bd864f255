import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { DocumentKind, DocumentsTable } from '../orders/orders.tables.ts';
import { NotFoundError } from '../shared/domain-error.ts';

/**
 * Issued PDFs: bytes under DATA_DIR/documents/<tenant>/<storage_key>.pdf, a `documents` row with
 * their SHA-256. The row is never edited (a trigger refuses): a correction is a new row that
 * supersedes the old one. The file is written before the row, so a rolled-back transaction
 * leaves at most an orphan file, never a row without its bytes.
 */

export type IssuedDocument = Selectable<DocumentsTable>;

const STORAGE_KEY = /^[a-z_]+-[0-9a-f-]{36}$/;

function documentPath(dataDir: string, tenantId: string, storageKey: string): string {
  if (!STORAGE_KEY.test(storageKey) || !/^[0-9a-f-]{36}$/.test(tenantId)) throw new NotFoundError('書類が見つかりません。');
  return path.join(dataDir, 'documents', tenantId, `${storageKey}.pdf`);
}

export interface StoredPdf {
  storageKey: string;
  sha256: string;
  sizeBytes: number;
}

/** Writes the bytes (atomically: temp file + rename). Call outside any transaction. */
export async function storeDocumentPdf(dataDir: string, tenantId: string, kind: DocumentKind, pdf: Buffer): Promise<StoredPdf> {
  const storageKey = `${kind}-${randomUUID()}`;
  const file = documentPath(dataDir, tenantId, storageKey);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, pdf, { flag: 'wx' });
  await rename(temp, file);
  return { storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), sizeBytes: pdf.length };
}

/** Reads an issued document's bytes and checks them against the recorded hash. */
export async function readDocumentPdf(dataDir: string, document: Pick<IssuedDocument, 'tenant_id' | 'storage_key' | 'sha256'>): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(documentPath(dataDir, document.tenant_id, document.storage_key));
  } catch {
    throw new NotFoundError('書類のファイルが見つかりません。');
  }
  if (createHash('sha256').update(bytes).digest('hex') !== document.sha256) throw new Error(`document ${document.storage_key} does not match its recorded hash`);
  return bytes;
}

export interface DocumentRecord {
  tenantId: string;
  kind: DocumentKind;
  documentNumber: string;
  accountId: string | null;
  orderId?: string | null;
  statementId?: string | null;
  supersedes?: string | null;
  issuedBy?: string | null;
  stored: StoredPdf;
}

export async function recordDocument(tx: Tx, input: DocumentRecord): Promise<IssuedDocument> {
  return tx
    .insertInto('documents')
    .values({
      tenant_id: input.tenantId,
      kind: input.kind,
      document_number: input.documentNumber,
      account_id: input.accountId,
      order_id: input.orderId ?? null,
      statement_id: input.statementId ?? null,
      storage_key: input.stored.storageKey,
      sha256: input.stored.sha256,
      size_bytes: input.stored.sizeBytes,
      supersedes: input.supersedes ?? null,
      issued_by: input.issuedBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Documents of an order that no later document supersedes, newest first. */
export async function currentDocumentsOfOrder(tx: Tx, tenantId: string, orderId: string): Promise<IssuedDocument[]> {
  return tx
    .selectFrom('documents as d')
    .selectAll('d')
    .where('d.tenant_id', '=', tenantId)
    .where('d.order_id', '=', orderId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('documents as n').select('n.id').whereRef('n.tenant_id', '=', 'd.tenant_id').whereRef('n.supersedes', '=', 'd.id'))),
    )
    .orderBy('d.issued_at', 'desc')
    .execute();
}

export async function allDocumentsOfOrder(tx: Tx, tenantId: string, orderId: string): Promise<IssuedDocument[]> {
  return tx.selectFrom('documents').selectAll().where('tenant_id', '=', tenantId).where('order_id', '=', orderId).orderBy('issued_at', 'desc').execute();
}

export async function findDocument(tx: Tx, tenantId: string, documentId: string): Promise<IssuedDocument> {
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) throw new NotFoundError('書類が見つかりません。');
  const row = await tx.selectFrom('documents').selectAll().where('tenant_id', '=', tenantId).where('id', '=', documentId).executeTakeFirst();
  if (!row) throw new NotFoundError('書類が見つかりません。');
  return row;
}

export const DOCUMENT_KIND_LABELS: Readonly<Record<DocumentKind, string>> = {
  qualified_invoice: '適格請求書',
  return_invoice: '返還インボイス',
  delivery_slip: '納品書',
  picking_list: 'ピッキングリスト',
  monthly_statement: '請求書（月次）',
};

/**
 * Runs one short transaction in the shop's scope (the web layer's inShop/inAdmin, or a job's
 * withTenant). Document work loads in one, renders with none open, records in another.
 */
export type InScope = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export interface DocumentWork {
  inScope: InScope;
  dataDir: string;
  now?: Date;
}
