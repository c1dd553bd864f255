import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { type Tx, withTenant } from '../../platform/db/tenant-scope.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { DEFAULT_EXPOSED_PAGES } from './exposed-pages.ts';
import { prefillExposureWindow } from './exposure-window.prefill.ts';
import { asOperator, auditIncident, type IncidentActor } from './incident-actor.ts';
import { type Deadline, incidentDeadlines } from './incident-deadlines.ts';
import type { IncidentSource, IncidentStatus, MilestoneKind } from './incidents.tables.ts';

export const DEFAULT_DATA_ITEMS = ['カード名義人名', 'カード番号', '有効期限', 'セキュリティコード', '会社名・ご担当者名', 'メールアドレス', '住所・電話番号'];

export interface OpenIncidentInput {
  title: string;
  source: IncidentSource;
  awareAt: Date;
  summary?: string;
  cause?: string;
  tenantIds: readonly string[];
  securityEventId?: string | null;
  unauthorisedAccess?: boolean;
  preliminaryDays?: number;
  dataItems?: readonly string[];
  inquiryDesk?: string;
  secondaryDamage?: string;
  prevention?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function nextNumber(tx: Tx, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  // Serialised by the unique number: a concurrent open retries with the next one.
  const row = await sql<{ n: number }>`SELECT count(*)::int + 1 AS n FROM incidents WHERE number LIKE ${`INC-${year}-%`}`.execute(tx);
  return `INC-${year}-${String(row.rows[0]!.n).padStart(3, '0')}`;
}

/** Opens an incident (by hand, or from a critical security event) with its shops' windows prefilled. */
export async function openIncident(database: Database, actor: IncidentActor, input: OpenIncidentInput, now = new Date()): Promise<string> {
  const errors: Record<string, string> = {};
  if (!input.title.trim()) errors.title = '件名を入力してください。';
  if (input.awareAt.getTime() > now.getTime()) errors.awareAt = '認知日時に未来の日時は指定できません。';
  if (!input.tenantIds.every((id) => UUID.test(id))) errors.tenantIds = 'ショップの指定が正しくありません。';
  const preliminaryDays = input.preliminaryDays ?? 5;
  if (preliminaryDays < 3 || preliminaryDays > 5) errors.preliminaryDays = '速報の目標は3〜5日で指定してください。';
  if (Object.keys(errors).length) throw new ValidationError(errors);

  return asOperator(database, actor, (tx) => openIncidentIn(tx, actor, input, now));
}

/** The opening itself, in the caller's operator transaction (automatic opening locks first). */
export async function openIncidentIn(tx: Tx, actor: IncidentActor, input: OpenIncidentInput, now = new Date()): Promise<string> {
  const preliminaryDays = input.preliminaryDays ?? 5;
  const number = await nextNumber(tx, now);
  const incident = await tx
    .insertInto('incidents')
    .values({
      number,
      title: input.title.trim(),
      summary: input.summary ?? '',
      cause: input.cause ?? '',
      source: input.source,
      security_event_id: input.securityEventId ?? null,
      aware_at: input.awareAt,
      unauthorised_access: input.unauthorisedAccess ?? true,
      preliminary_days: preliminaryDays,
      data_items: [...(input.dataItems ?? DEFAULT_DATA_ITEMS)],
      inquiry_desk: input.inquiryDesk ?? '',
      secondary_damage: input.secondaryDamage ?? '',
      prevention: input.prevention ?? '',
      opened_by: actor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const tenantId of new Set(input.tenantIds)) await addShop(tx, actor, incident.id, tenantId, now);
  if (input.securityEventId) {
    await tx.updateTable('security_events').set({ incident_id: incident.id }).where('id', '=', input.securityEventId).execute();
  }
  await auditIncident(tx, actor, {
    action: 'incident.open',
    resourceType: 'incident',
    resourceId: incident.id,
    result: 'success',
    detail: { number, source: input.source, tenantIds: [...input.tenantIds], securityEventId: input.securityEventId ?? null },
  });
  return incident.id;
}

export async function addShop(tx: Tx, actor: IncidentActor, incidentId: string, tenantId: string, now: Date): Promise<void> {
  const shop = await tx.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
  if (!shop) throw new NotFoundError('ショップが見つかりません。');
  const incident = await tx.selectFrom('incidents').select('aware_at').where('id', '=', incidentId).executeTakeFirstOrThrow();
  const prefilled = await prefillExposureWindow(tx, tenantId, now);
  // Without evidence: from 30 days before awareness until now, to be narrowed by hand.
  const window = prefilled ?? {
    start: new Date(incident.aware_at.getTime() - 30 * 24 * 3600 * 1000),
    end: now,
    source: 'manual' as const,
    reason: '証跡なし: 認知の30日前から現在まで(要確認)',
  };
  await tx
    .insertInto('incident_shops')
    .values({
      tenant_id: tenantId,
      incident_id: incidentId,
      window_start: window.start,
      window_end: window.end,
      window_source: window.source,
      window_reason: window.reason,
      exposed_pages: [...DEFAULT_EXPOSED_PAGES],
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'incident_id']).doNothing())
    .execute();
  await auditIncident(tx, actor, {
    action: 'incident.shop_added',
    resourceType: 'incident',
    resourceId: incidentId,
    result: 'success',
    detail: { tenantId, windowStart: window.start.toISOString(), windowEnd: window.end.toISOString(), source: window.source },
  });
}

export async function addIncidentShop(database: Database, actor: IncidentActor, incidentId: string, tenantId: string, now = new Date()): Promise<void> {
  if (!UUID.test(tenantId)) throw new ValidationError({ tenantId: 'ショップを選んでください。' });
  await asOperator(database, actor, async (tx) => {
    await requireIncident(tx, incidentId);
    await addShop(tx, actor, incidentId, tenantId, now);
  });
}

async function requireIncident(tx: Tx, incidentId: string) {
  if (!UUID.test(incidentId)) throw new NotFoundError('インシデントが見つかりません。');
  const row = await tx.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirst();
  if (!row) throw new NotFoundError('インシデントが見つかりません。');
  return row;
}

/** Changes one shop's exposure window: checked, with a reason, audited with the old and new window. */
export async function setExposureWindow(
  database: Database,
  actor: IncidentActor,
  input: { incidentId: string; tenantId: string; start: Date | null; end: Date | null; reason: string; exposedPages?: readonly string[]; platformPagesExposed?: boolean },
  now = new Date(),
): Promise<void> {
  const errors: Record<string, string> = {};
  if (!input.start) errors.start = '開始日時を「2025-04-13T00:00:00」の形式(日本時間)で入力してください。';
  if (!input.end) errors.end = '終了日時を「2025-04-22T12:00:00」の形式(日本時間)で入力してください。';
  if (input.start && input.end && input.end.getTime() <= input.start.getTime()) errors.end = '終了日時は開始日時より後にしてください。';
  if (input.end && input.end.getTime() > now.getTime()) errors.end = '終了日時に未来の日時は指定できません。';
  if (input.start && input.start.getTime() > now.getTime()) errors.start = '開始日時に未来の日時は指定できません。';
  if (!input.reason.trim()) errors.reason = '変更の理由を入力してください。';
  if (input.exposedPages && input.exposedPages.length === 0) errors.exposedPages = '対象ページを1つ以上指定してください。';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await asOperator(database, actor, async (tx) => {
    await requireIncident(tx, input.incidentId);
    if (!UUID.test(input.tenantId)) throw new ValidationError({ tenantId: 'このショップはインシデントの対象ではありません。' });
    const before = await tx.selectFrom('incident_shops').selectAll().where('incident_id', '=', input.incidentId).where('tenant_id', '=', input.tenantId).executeTakeFirst();
    if (!before) throw new ValidationError({ tenantId: 'このショップはインシデントの対象ではありません。' });
    await tx
      .updateTable('incident_shops')
      .set({
        window_start: input.start!,
        window_end: input.end!,
        window_source: 'manual',
        window_reason: input.reason.trim(),
        ...(input.exposedPages && { exposed_pages: [...input.exposedPages] }),
        ...(input.platformPagesExposed !== undefined && { platform_pages_exposed: input.platformPagesExposed }),
      })
      .where('incident_id', '=', input.incidentId)
      .where('tenant_id', '=', input.tenantId)
      .execute();
    await auditIncident(tx, actor, {
      action: 'incident.window_changed',
      resourceType: 'incident',
      resourceId: input.incidentId,
      result: 'success',
      reason: input.reason.trim(),
      detail: {
        tenantId: input.tenantId,
        before: { start: before.window_start.toISOString(), end: before.window_end.toISOString(), source: before.window_source },
        after: { start: input.start!.toISOString(), end: input.end!.toISOString() },
      },
    });
  });
}

const MILESTONE_STATUS: Partial<Record<MilestoneKind, IncidentStatus>> = {
  contained: 'contained',
  forensic_started: 'investigating',
  forensic_finished: 'reporting',
};

/** Records a step of the timeline (at a JST time the operator states); advances the status where it implies one. */
export async function recordMilestone(
  database: Database,
  actor: IncidentActor,
  input: { incidentId: string; kind: MilestoneKind; at: Date | null; note?: string; tenantId?: string | null },
  now = new Date(),
): Promise<void> {
  if (!input.at) throw new ValidationError({ at: '日時を「2025-04-22T12:00:00」の形式(日本時間)で入力してください。' });
  if (input.at.getTime() > now.getTime() + 60_000) throw new ValidationError({ at: '未来の日時は記録できません。' });
  await asOperator(database, actor, async (tx) => {
    const incident = await requireIncident(tx, input.incidentId);
    if (input.tenantId) {
      const onIncident = await tx.selectFrom('incident_shops').select('tenant_id').where('incident_id', '=', input.incidentId).where('tenant_id', '=', input.tenantId).executeTakeFirst();
      if (!onIncident) throw new ValidationError({ tenantId: 'このショップはインシデントの対象ではありません。' });
    }
    await tx
      .insertInto('incident_milestones')
      .values({ incident_id: input.incidentId, tenant_id: input.tenantId ?? null, kind: input.kind, at: input.at!, note: input.note ?? '', recorded_by: actor.id })
      .execute();
    const order: IncidentStatus[] = ['open', 'contained', 'investigating', 'reporting', 'closed'];
    const next = MILESTONE_STATUS[input.kind];
    if (next && order.indexOf(next) > order.indexOf(incident.status)) {
      await tx.updateTable('incidents').set({ status: next }).where('id', '=', input.incidentId).execute();
    }
    await auditIncident(tx, actor, {
      action: 'incident.milestone',
      resourceType: 'incident',
      resourceId: input.incidentId,
      result: 'success',
      detail: { kind: input.kind, at: input.at!.toISOString(), tenantId: input.tenantId ?? null },
    });
  });
}

export async function updateIncidentDetails(
  database: Database,
  actor: IncidentActor,
  incidentId: string,
  input: { summary: string; cause: string; secondaryDamage: string; prevention: string; inquiryDesk: string; dataItems: readonly string[]; preliminaryDays: number; unauthorisedAccess: boolean; status?: IncidentStatus },
): Promise<void> {
  if (input.preliminaryDays < 3 || input.preliminaryDays > 5) throw new ValidationError({ preliminaryDays: '速報の目標は3〜5日で指定してください。' });
  if (input.dataItems.length === 0) throw new ValidationError({ dataItems: '漏えいのおそれがある項目を1つ以上入力してください。' });
  await asOperator(database, actor, async (tx) => {
    await requireIncident(tx, incidentId);
    await tx
      .updateTable('incidents')
      .set({
        summary: input.summary,
        cause: input.cause,
        secondary_damage: input.secondaryDamage,
        prevention: input.prevention,
        inquiry_desk: input.inquiryDesk,
        data_items: [...input.dataItems],
        preliminary_days: input.preliminaryDays,
        unauthorised_access: input.unauthorisedAccess,
        ...(input.status && { status: input.status }),
      })
      .where('id', '=', incidentId)
      .execute();
    await auditIncident(tx, actor, { action: 'incident.details_changed', resourceType: 'incident', resourceId: incidentId, result: 'success', detail: { status: input.status ?? null } });
  });
}

export type IncidentRow = Awaited<ReturnType<typeof requireIncident>>;

export interface IncidentShopView {
  tenantId: string;
  slug: string;
  displayName: string;
  companyName: string;
  windowStart: Date;
  windowEnd: Date;
  windowSource: string;
  windowReason: string;
  exposedPages: string[];
  platformPagesExposed: boolean;
}

export interface IncidentView {
  incident: IncidentRow;
  shops: IncidentShopView[];
  milestones: { id: string; kind: MilestoneKind; at: Date; note: string; tenantId: string | null }[];
  deadlines: Deadline[];
}

/** One incident in the transaction's scope: the operator sees every shop, a shop only itself. */
export async function loadIncident(tx: Tx, incidentId: string, now = new Date()): Promise<IncidentView> {
  const incident = await requireIncident(tx, incidentId);
  const shops = await tx
    .selectFrom('incident_shops as s')
    .innerJoin('tenants as t', 't.id', 's.tenant_id')
    .select(['s.tenant_id', 't.slug', 't.display_name', 't.company_name', 's.window_start', 's.window_end', 's.window_source', 's.window_reason', 's.exposed_pages', 's.platform_pages_exposed'])
    .where('s.incident_id', '=', incidentId)
    .orderBy('t.sort_order')
    .orderBy('t.slug')
    .execute();
  const milestones = await tx.selectFrom('incident_milestones').select(['id', 'kind', 'at', 'note', 'tenant_id']).where('incident_id', '=', incidentId).orderBy('at').execute();
  const firstOf = (kind: MilestoneKind) => milestones.find((m) => m.kind === kind && m.tenant_id === null)?.at ?? null;
  return {
    incident,
    shops: shops.map((s) => ({
      tenantId: s.tenant_id,
      slug: s.slug,
      displayName: s.display_name,
      companyName: s.company_name,
      windowStart: s.window_start,
      windowEnd: s.window_end,
      windowSource: s.window_source,
      windowReason: s.window_reason,
      exposedPages: s.exposed_pages,
      platformPagesExposed: s.platform_pages_exposed,
    })),
    milestones: milestones.map((m) => ({ id: m.id, kind: m.kind, at: m.at, note: m.note, tenantId: m.tenant_id })),
    deadlines: incidentDeadlines(
      {
        awareAt: incident.aware_at,
        preliminaryDays: incident.preliminary_days,
        unauthorisedAccess: incident.unauthorised_access,
        preliminaryDoneAt: firstOf('ppc_preliminary'),
        finalDoneAt: firstOf('ppc_final'),
      },
      now,
    ),
  };
}

export function listIncidents(tx: Tx) {
  return tx.selectFrom('incidents').select(['id', 'number', 'title', 'status', 'aware_at', 'source', 'opened_at']).orderBy('opened_at', 'desc').execute();
}

export function getIncident(database: Database, actor: IncidentActor, incidentId: string, now = new Date()): Promise<IncidentView> {
  return asOperator(database, actor, (tx) => loadIncident(tx, incidentId, now));
}

/** A shop's own incidents (its staff's view): the shop scope's RLS shows only incidents it is on. */
export function listShopIncidents(database: Database, tenantId: string) {
  return withTenant(database, tenantId, (tx) => listIncidents(tx));
}

export function assertShopOnIncident(view: IncidentView, tenantId: string): IncidentShopView {
  const shop = view.shops.find((s) => s.tenantId === tenantId);
  if (!shop) throw new ConflictError('このショップはインシデントの対象ではありません。');
  return shop;
}
