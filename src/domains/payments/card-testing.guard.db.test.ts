import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { RateLimitedError } from '../shared/domain-error.ts';
import { CARD_START_LIMITS, throttleCardStart } from './card-testing.guard.ts';

let database: Database;
let shop: string;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.ownerExec(`INSERT INTO tenants (slug, display_name, company_name, legal) VALUES ('guard-shop', 'G', 'G社', '{}') RETURNING id`);
  shop = String(rows[0]!.id);
});
afterAll(() => database?.close());

const hits = async (bucket: string) =>
  Number((await database.ownerExec(`SELECT coalesce(sum(hits), 0)::int AS n FROM rate_limit_counters WHERE bucket = $1`, [bucket])).rows[0]!.n);

describe('card-testing guard', () => {
  it('counts each start against the member, the address and the shop, and refuses the one over a limit after counting it', async () => {
    const userId = '00000000-0000-4000-8000-0000000000a1';
    const input = { tenantId: shop, userId, clientIp: '192.0.2.10' };
    for (let i = 0; i < CARD_START_LIMITS.perUser.limit; i++) await throttleCardStart({ database, log }, input);
    await expect(throttleCardStart({ database, log }, input)).rejects.toBeInstanceOf(RateLimitedError);
    // The refused start was counted (committed before the refusal), and stopped at the member's counter.
    expect(await hits(`card-start:user:${userId}`)).toBe(CARD_START_LIMITS.perUser.limit + 1);
    expect(await hits(`card-start:ip:${input.clientIp}`)).toBe(CARD_START_LIMITS.perUser.limit);
    expect(await hits(`card-start:shop:${shop}`)).toBe(CARD_START_LIMITS.perUser.limit);
    // Another member from the same address still passes.
    await throttleCardStart({ database, log }, { ...input, userId: '00000000-0000-4000-8000-0000000000a2' });
    expect(await hits(`card-start:ip:${input.clientIp}`)).toBe(CARD_START_LIMITS.perUser.limit + 1);
  });
});
