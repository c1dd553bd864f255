import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { jstDateTime } from '../calendar/calendar-date.ts';

/**
 * Order numbers per shop and month, gap-free: the counter row is incremented under its row lock
 * in the placing transaction, so a rolled-back placement gives its number back. 2501-00042.
 */
export async function nextOrderNumber(tx: Tx, tenantId: string, at: Date, alongside?: RawBuilder<unknown> | null): Promise<string> {
  const date = jstDateTime(at).date;
  const yearMonth = `${date.slice(2, 4)}${date.slice(5, 7)}`;
  // `alongside`: a data-modifying statement of the same transaction run in this round trip (a
  // WITH clause runs whether or not it is read): placement's stock reservation.
  const { rows } = await sql<{ last_value: number }>`
    ${alongside ? sql`WITH alongside AS (${alongside})` : sql``}
    INSERT INTO order_number_counters (tenant_id, year_month, last_value) VALUES (${tenantId}::uuid, ${yearMonth}, 1)
    ON CONFLICT (tenant_id, year_month) DO UPDATE SET last_value = order_number_counters.last_value + 1
    RETURNING last_value`.execute(tx);
  return `${yearMonth}-${String(rows[0]!.last_value).padStart(5, '0')}`;
}
