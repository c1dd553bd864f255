import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import { seedDemoPlatform } from '../../demo/seed-platform.ts';
import type { Database } from '../../platform/db/database.ts';
import { withIdentity, withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { ConflictError, ForbiddenError } from '../shared/domain-error.ts';
import { approveBaseline, approvedBaseline, proposeBaseline, requestBaselineApproval } from './monitor-baselines.service.ts';
import { decideScriptApproval, requestScriptApproval } from './script-approvals.service.ts';
import type { WalkSnapshot } from './walk-snapshot.ts';

let database: Database;
let tenantId: string;
const asOperator = <T>(fn: Parameters<typeof withIdentity<T>>[2]) => withIdentity(database, { audience: 'operator' }, fn);
const snapshot = (marker: string): WalkSnapshot => ({ version: 1, profile: 'desktop', pages: [], paymentRedirectHost: marker });

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoPlatform(database);
  tenantId = (await withPlatform(database, (tx) => tx.selectFrom('tenants').select('id').limit(1).executeTakeFirstOrThrow())).id;
});
afterAll(() => database.close());

describe('baseline approval', () => {
  it('needs a requester, a different approver and a fresh step-up; the new baseline supersedes the old', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const first = await withTenant(database, tenantId, (tx) => proposeBaseline(tx, { tenantId, profile: 'desktop', snapshot: snapshot('a'), sourceWalkId: null, origin: 'first_walk' }));
    expect(first.status).toBe('proposed');
    // Nobody asked for it yet.
    await expect(asOperator((tx) => approveBaseline(tx, { baselineId: first.id, approver: { id: bob, steppedUpAt: new Date() } }))).rejects.toBeInstanceOf(ConflictError);
    await asOperator((tx) => requestBaselineApproval(tx, { baselineId: first.id, requesterId: alice, reason: '初回の基準' }));
    // The requester cannot approve their own request.
    await expect(asOperator((tx) => approveBaseline(tx, { baselineId: first.id, approver: { id: alice, steppedUpAt: new Date() } }))).rejects.toBeInstanceOf(ForbiddenError);
    // A second person without a recent step-up cannot either.
    await expect(asOperator((tx) => approveBaseline(tx, { baselineId: first.id, approver: { id: bob, steppedUpAt: new Date(Date.now() - 10 * 60_000) } }))).rejects.toBeInstanceOf(ForbiddenError);
    await asOperator((tx) => approveBaseline(tx, { baselineId: first.id, approver: { id: bob, steppedUpAt: new Date() } }));
    expect((await withTenant(database, tenantId, (tx) => approvedBaseline(tx, tenantId, 'desktop')))?.id).toBe(first.id);

    const second = await withTenant(database, tenantId, (tx) => proposeBaseline(tx, { tenantId, profile: 'desktop', snapshot: snapshot('b'), sourceWalkId: null, origin: 'operator', requestedBy: bob, reason: '意図した変更' }));
    await asOperator((tx) => approveBaseline(tx, { baselineId: second.id, approver: { id: alice, steppedUpAt: new Date() } }));
    const rows = await withTenant(database, tenantId, (tx) => tx.selectFrom('monitor_baselines').select(['id', 'status']).where('profile', '=', 'desktop').execute());
    expect(rows.find((r) => r.id === first.id)?.status).toBe('superseded');
    expect(rows.find((r) => r.id === second.id)?.status).toBe('approved');
  });

  it('is refused by the database too when approver = requester', async () => {
    const same = randomUUID();
    await expect(
      database.ownerExec(
        `INSERT INTO monitor_baselines (tenant_id, profile, status, snapshot, origin, requested_by, approved_by, approver_step_up_at) VALUES ('${tenantId}', 'mobile', 'approved', '{}', 'operator', '${same}', '${same}', now())`,
      ),
    ).rejects.toThrow(/check/i);
  });

  it('auto-approves only the first baseline when told to (development)', async () => {
    const first = await withTenant(database, tenantId, (tx) => proposeBaseline(tx, { tenantId, profile: 'mobile', snapshot: snapshot('m1'), sourceWalkId: null, origin: 'first_walk', autoApproveFirst: true }));
    expect(first.status).toBe('approved');
    const next = await withTenant(database, tenantId, (tx) => proposeBaseline(tx, { tenantId, profile: 'mobile', snapshot: snapshot('m2'), sourceWalkId: null, origin: 'first_walk', autoApproveFirst: true }));
    expect(next.status).toBe('proposed');
  });
});

describe('script inventory approvals', () => {
  const request = (requesterId: string, sha384 = `sha384-${'A'.repeat(64)}`) =>
    asOperator((tx) => requestScriptApproval(tx, { scriptId: 'postal-fill', sha384, file: 'js/postal-fill.js', purpose: '郵便番号から住所を補完', owner: 'platform-team', pages: ['checkout'], changeReason: '住所データの更新', requesterId }));

  it('records a request by one person and an approval by another with step-up', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const { id } = await request(alice);
    await expect(request(alice)).rejects.toBeInstanceOf(ConflictError);
    await expect(asOperator((tx) => decideScriptApproval(tx, { approvalId: id, decider: { id: alice, steppedUpAt: new Date() }, approve: true }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(asOperator((tx) => decideScriptApproval(tx, { approvalId: id, decider: { id: bob, steppedUpAt: null }, approve: true }))).rejects.toBeInstanceOf(ForbiddenError);
    const decided = await asOperator((tx) => decideScriptApproval(tx, { approvalId: id, decider: { id: bob, steppedUpAt: new Date() }, approve: true, note: '確認済み' }));
    expect(decided.status).toBe('approved');
    await expect(asOperator((tx) => decideScriptApproval(tx, { approvalId: id, decider: { id: bob, steppedUpAt: new Date() }, approve: true }))).rejects.toBeInstanceOf(ConflictError);
  });
});
