import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { addressFields, assertPostalCodeMatches, requiredText } from './salon-address.schema.ts';

/** A salon's delivery addresses (one per salon location), one of them the default. */

export const MAX_LOCATIONS = 50;

export const salonLocationSchema = z.object({
  label: requiredText('お届け先の名前', 100),
  recipient_name: requiredText('受取人', 100),
  ...addressFields,
  is_default: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
});

export type SalonLocationInput = z.infer<typeof salonLocationSchema>;

export function listLocations(tx: Tx, accountId: string) {
  return tx
    .selectFrom('salon_locations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('archived_at', 'is', null)
    .orderBy('is_default', 'desc')
    .orderBy('created_at')
    .execute();
}

export async function addLocation(tx: Tx, accountId: string, input: SalonLocationInput): Promise<string> {
  await assertPostalCodeMatches(input.postal_code, input.prefecture);
  const existing = await listLocations(tx, accountId);
  if (existing.length >= MAX_LOCATIONS) throw new ValidationError({ _form: `お届け先は${MAX_LOCATIONS}件まで登録できます。` });
  const makeDefault = input.is_default || existing.length === 0;
  if (makeDefault) await clearDefault(tx, accountId);
  const row = await tx
    .insertInto('salon_locations')
    .values({ ...input, account_id: accountId, is_default: makeDefault })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One live location of the account, for the edit form; NotFoundError for another salon's or an archived one. */
export async function getLocation(tx: Tx, accountId: string, locationId: string) {
  const { id } = await liveLocation(tx, accountId, locationId);
  return tx.selectFrom('salon_locations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Edits a location in place, validated as when it was added. Orders copy the address when they
 * are placed, so an edit never rewrites where a past order went. Ticking "default" makes it the
 * default; unticking does not remove the default (choose another location as the default instead).
 */
export async function updateLocation(tx: Tx, accountId: string, locationId: string, input: SalonLocationInput): Promise<void> {
  const location = await liveLocation(tx, accountId, locationId);
  await assertPostalCodeMatches(input.postal_code, input.prefecture);
  const { is_default: makeDefault, ...fields } = input;
  if (makeDefault && !location.is_default) await clearDefault(tx, accountId);
  await tx
    .updateTable('salon_locations')
    .set({ ...fields, is_default: location.is_default || makeDefault })
    .where('id', '=', location.id)
    .execute();
}

async function clearDefault(tx: Tx, accountId: string): Promise<void> {
  await tx.updateTable('salon_locations').set({ is_default: false }).where('account_id', '=', accountId).where('is_default', '=', true).execute();
}

async function liveLocation(tx: Tx, accountId: string, locationId: string) {
  if (!/^[0-9a-f-]{36}$/.test(locationId)) throw new NotFoundError('お届け先が見つかりません。');
  const row = await tx
    .selectFrom('salon_locations')
    .select(['id', 'is_default'])
    .where('id', '=', locationId)
    .where('account_id', '=', accountId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('お届け先が見つかりません。');
  return row;
}

export async function setDefaultLocation(tx: Tx, accountId: string, locationId: string): Promise<void> {
  const location = await liveLocation(tx, accountId, locationId);
  await clearDefault(tx, accountId);
  await tx.updateTable('salon_locations').set({ is_default: true }).where('id', '=', location.id).execute();
}

/** Archived, not deleted: past orders keep pointing at the address they were shipped to. */
export async function archiveLocation(tx: Tx, accountId: string, locationId: string): Promise<void> {
  const location = await liveLocation(tx, accountId, locationId);
  await tx.updateTable('salon_locations').set({ archived_at: sql<Date>`now()`, is_default: false }).where('id', '=', location.id).execute();
  if (location.is_default) {
    const next = await tx
      .selectFrom('salon_locations')
      .select('id')
      .where('account_id', '=', accountId)
      .where('archived_at', 'is', null)
      .orderBy('created_at')
      .executeTakeFirst();
    if (next) await tx.updateTable('salon_locations').set({ is_default: true }).where('id', '=', next.id).execute();
  }
}
