import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError } from '../shared/domain-error.ts';

/**
 * A certificate row as the caller's scope sees it: RLS shows a shop only the certificates of
 * salons that applied to it, and operators all of them. Not visible means not found.
 */
export async function findVisibleCertificate(tx: Tx, certificateId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(certificateId)) throw new NotFoundError();
  const row = await tx
    .selectFrom('salon_certificates')
    .select(['id', 'account_id', 'original_name', 'content_type', 'size_bytes', 'sha256', 'storage_key'])
    .where('id', '=', certificateId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('書類が見つかりません。');
  return row;
}
