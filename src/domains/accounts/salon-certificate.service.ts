import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import type { SalonCertificatesTable } from './accounts.tables.ts';
import { type CheckedCertificate, checkCertificateFile } from './certificate-file.check.ts';

/**
 * Certificate files live under DATA_DIR/uploads/certificates/<random key>, outside anything the
 * web server serves. Who may read one is decided by the database: the row is visible only under
 * the salon_certificates policy (the salon itself, the operator, shops the salon applied to), and
 * the file is found only through a visible row.
 */

export type CertificateKind = SalonCertificatesTable['kind'];

export const CERTIFICATE_KINDS: Record<CertificateKind, string> = {
  establishment: '美容所登録 確認書',
  license: '美容師免許証',
  other: 'その他の書類',
};

export const MAX_CERTIFICATES_PER_ACCOUNT = 10;

export function certificateDir(dataDir: string): string {
  return path.join(dataDir, 'uploads', 'certificates');
}

const STORAGE_KEY = /^[0-9a-f-]{36}$/;

function certificatePath(dataDir: string, storageKey: string): string {
  // The key is ours (a UUID), but the path is built from a database value: check it anyway.
  if (!STORAGE_KEY.test(storageKey)) throw new NotFoundError('書類が見つかりません。');
  return path.join(certificateDir(dataDir), storageKey);
}

export interface CertificateUpload {
  accountId: string;
  uploadedBy: string;
  kind: string;
  name: string;
  bytes: Buffer;
}

/** Checks the file before anything is written; nothing is stored when it is refused. */
export async function checkCertificateUpload(upload: Pick<CertificateUpload, 'kind' | 'name' | 'bytes'>): Promise<CheckedCertificate & { kind: CertificateKind }> {
  if (!(upload.kind in CERTIFICATE_KINDS)) throw new ValidationError({ kind: '書類の種類を選んでください。' });
  const checked = await checkCertificateFile(upload.bytes, upload.name);
  return { ...checked, kind: upload.kind as CertificateKind };
}

/**
 * Stores a checked certificate: file first (exclusive create, owner-only mode), then the row in
 * the caller's transaction. If the row cannot be written the file is removed again; if the
 * transaction later rolls back, `discard` removes it (the caller runs it on failure).
 */
export async function storeCertificate(
  tx: Tx,
  dataDir: string,
  upload: CertificateUpload,
): Promise<{ id: string; discard: () => Promise<void> }> {
  const checked = await checkCertificateUpload(upload);
  const count = await tx.selectFrom('salon_certificates').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', upload.accountId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_CERTIFICATES_PER_ACCOUNT) throw new ValidationError({ certificate: `書類は${MAX_CERTIFICATES_PER_ACCOUNT}件までです。不要な書類を削除してください。` });

  const storageKey = randomUUID();
  const file = certificatePath(dataDir, storageKey);
  await fs.mkdir(certificateDir(dataDir), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, upload.bytes, { flag: 'wx', mode: 0o600 });
  const discard = () => fs.rm(file, { force: true });
  try {
    const row = await tx
      .insertInto('salon_certificates')
      .values({
        account_id: upload.accountId,
        kind: checked.kind,
        original_name: checked.name,
        content_type: checked.contentType,
        size_bytes: upload.bytes.length,
        sha256: createHash('sha256').update(upload.bytes).digest('hex'),
        storage_key: storageKey,
        uploaded_by: upload.uploadedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

export type CertificateMeta = Pick<SalonCertificatesTable, 'kind' | 'original_name' | 'content_type' | 'size_bytes' | 'sha256'> & {
  id: string;
  account_id: string;
  created_at: Date;
};

/** The certificates of one account that the current scope may see (RLS decides). */
export function listCertificates(tx: Tx, accountId: string): Promise<CertificateMeta[]> {
  return tx
    .selectFrom('salon_certificates')
    .select(['id', 'account_id', 'kind', 'original_name', 'content_type', 'size_bytes', 'sha256', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * One certificate and its bytes, if the current scope may see its row. Use from any audience's
 * download route (salon, shop staff in the shop's scope, operator) and send it with
 * `certificateDownloadHeaders`. The file's hash is checked against the row: a swapped file on
 * disk is refused rather than served.
 */
export async function openCertificate(tx: Tx, dataDir: string, certificateId: string): Promise<{ meta: CertificateMeta; body: Buffer }> {
  if (!/^[0-9a-f-]{36}$/.test(certificateId)) throw new NotFoundError('書類が見つかりません。');
  const row = await tx
    .selectFrom('salon_certificates')
    .select(['id', 'account_id', 'kind', 'original_name', 'content_type', 'size_bytes', 'sha256', 'created_at', 'storage_key'])
    .where('id', '=', certificateId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('書類が見つかりません。');
  const body = await fs.readFile(certificatePath(dataDir, row.storage_key)).catch(() => {
    throw new NotFoundError('書類のファイルが見つかりません。');
  });
  if (createHash('sha256').update(body).digest('hex') !== row.sha256) throw new NotFoundError('書類のファイルが登録時と一致しません。');
  const { storage_key: _key, ...meta } = row;
  return { meta, body };
}

/** Deletes one of the salon's own certificates (row under RLS, then the file). */
export async function deleteCertificate(tx: Tx, dataDir: string, accountId: string, certificateId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/.test(certificateId)) throw new NotFoundError('書類が見つかりません。');
  const row = await tx
    .deleteFrom('salon_certificates')
    .where('id', '=', certificateId)
    .where('account_id', '=', accountId)
    .returning('storage_key')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('書類が見つかりません。');
  await fs.rm(certificatePath(dataDir, row.storage_key), { force: true });
}

/**
 * Headers for sending a certificate: always a download (never rendered inline on our origin),
 * never sniffed, under a CSP that allows nothing — a PDF or image that slipped through still
 * cannot run or frame anything.
 */
export function certificateDownloadHeaders(meta: Pick<CertificateMeta, 'original_name' | 'content_type' | 'size_bytes'>): Record<string, string> {
  const ascii = meta.original_name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80) || 'certificate';
  return {
    'content-type': meta.content_type,
    'content-length': String(meta.size_bytes),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(meta.original_name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'cache-control': 'private, no-store',
    'cross-origin-resource-policy': 'same-origin',
  };
}
