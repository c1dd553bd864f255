import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, isPostgresRun } from '../../../test/test-database.ts';
import { appRoleUrl, type Database, openPostgres } from './database.ts';
import { assertRuntimeRoleIsSafe, UnsafeRuntimeRoleError } from './open-database.ts';
import { withTenant } from './tenant-scope.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/**
 * On PostgreSQL the runtime login is oroshi_app itself: it cannot become the owner, switch RLS off
 * or read password hashes. PGlite has one superuser session, so there the role is switched per
 * transaction and code in the process could switch back — the documented difference
 * (docs/architecture.md); what PGlite does guarantee is tested in the second block.
 */
describe(`runtime role on ${isPostgresRun() ? 'PostgreSQL' : 'PGlite'}`, () => {
  if (isPostgresRun()) {
    it('cannot SET ROLE to the owner', async () => {
      await expect(database.runtimeExec('SET ROLE postgres')).rejects.toThrow(/permission denied/);
    });
    it('cannot disable row-level security', async () => {
      await expect(database.runtimeExec('ALTER TABLE outbox DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
      await expect(database.runtimeExec('ALTER TABLE outbox NO FORCE ROW LEVEL SECURITY')).rejects.toThrow(/must be owner/);
    });
    it('cannot turn row_security off to read around policies', async () => {
      await expect(database.runtimeExec('/*multi*/SET row_security = off; SELECT * FROM outbox')).rejects.toThrow(/row-level security/);
    });
    it('cannot read pg_authid', async () => {
      await expect(database.runtimeExec('SELECT rolpassword FROM pg_authid')).rejects.toThrow(/permission denied/);
    });
    it('boot refuses a runtime connection that is the owner', async () => {
      await expect(assertRuntimeRoleIsSafe(database)).resolves.toBeUndefined();
      const ownerUrl = process.env.DATABASE_URL!;
      const asOwner = await openPostgres({ ownerUrl, runtimeUrl: ownerUrl, poolSize: 1 });
      try {
        await expect(assertRuntimeRoleIsSafe(asOwner)).rejects.toBeInstanceOf(UnsafeRuntimeRoleError);
      } finally {
        await asOwner.close();
      }
      expect(appRoleUrl(ownerUrl)).toContain('oroshi_app@');
    });
  } else {
    it('runs every scoped transaction as oroshi_app, not as the superuser', async () => {
      const tenant = '00000000-0000-4000-8000-000000000001';
      const who = await withTenant(database, tenant, async (tx) => (await sql<{ u: string }>`SELECT current_user AS u`.execute(tx)).rows[0]?.u);
      expect(who).toBe('oroshi_app');
    });
    it('documents the PGlite limitation: the superuser session can leave the role', async () => {
      // This is why production runs on PostgreSQL with a non-owner login (STACK-NOTES).
      await expect(database.runtimeExec('/*multi*/BEGIN; SET LOCAL ROLE oroshi_app; RESET ROLE; COMMIT')).resolves.toBeDefined();
    });
  }
});
