import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anchorDirFromConfig } from '../../../domains/audit/audit-anchor.ts';
import { type AuditSigningKey, loadAuditSigningKey } from '../../../domains/audit/audit-anchor-key.ts';
import { cardCompanyCsv } from '../../../domains/incidents/card-company.csv.ts';
import { forceCredentialReset } from '../../../domains/incidents/credential-reset.service.ts';
import { buildEvidenceBundle } from '../../../domains/incidents/evidence-bundle.service.ts';
import { addIncidentShop, getIncident, openIncident, recordMilestone, setExposureWindow, updateIncidentDetails } from '../../../domains/incidents/incident.service.ts';
import { auditIncident, type IncidentActor } from '../../../domains/incidents/incident-actor.ts';
import { documentPath } from '../../../domains/incidents/incident-documents.service.ts';
import { findDocument, listCurrentDocuments, listIncidentOverviews } from '../../../domains/incidents/incident-overview.query.ts';
import { scopeCsv } from '../../../domains/incidents/incident-scope.csv.ts';
import { computeIncidentScope } from '../../../domains/incidents/incident-scope.query.ts';
import { isSendable, sendDocuments } from '../../../domains/incidents/incident-sending.service.ts';
import { produceIncidentDocuments } from '../../../domains/incidents/incident-workbench.service.ts';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, type IncidentSource, type IncidentStatus, MILESTONE_KINDS, type MilestoneKind } from '../../../domains/incidents/incidents.tables.ts';
import { parseJst } from '../../../domains/incidents/jst.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { StaffActor } from '../../../domains/staff/staff-actor.ts';
import { requireStepUp, type StaffPrincipal } from '../../../platform/http/auth-guard.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { shopHomeUrl } from '../../../platform/http/shop-urls.ts';
import { inOperator, operatorFormBody, operatorFrame, UUID } from '../operator-guard.ts';
import { operatorNavRoles } from '../operator-nav.ts';
import { type FormState, IncidentDetailPage, IncidentListPage } from './operator-incidents.view.tsx';

/**
 * インシデント: the operator's workbench (security officers and platform admins). Incident
 * services open their own operator transactions, so each handler first checks the staff member
 * in the request's scope, then calls the domain with that staff member as the audited actor.
 * Exports of personal data (scope CSV, card CSV, evidence bundle), sending documents and forcing
 * password resets need a recent re-authentication.
 */

function incidentActor(actor: StaffActor): IncidentActor {
  return { type: 'operator', id: actor.id, label: actor.label, sourceIp: actor.sourceIp, requestId: actor.requestId };
}

function csvReply(reply: FastifyReply, fileName: string, body: string) {
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(body);
}

export function operatorIncidentRoutes(app: FastifyInstance, platform: Platform) {
  const roles = operatorNavRoles('incidents');
  const config = { staffRoles: roles };
  let signingKey: AuditSigningKey | null = null;
  const key = () => {
    signingKey ??= loadAuditSigningKey(platform.config);
    return signingKey;
  };

  /** The staff member (and step-up when asked), checked in the request's own scope. */
  async function staff(request: FastifyRequest, options: { stepUp?: string } = {}): Promise<{ principal: StaffPrincipal; actor: IncidentActor }> {
    return inOperator(platform, request, roles, async ({ principal, actor }) => {
      if (options.stepUp) requireStepUp(principal, options.stepUp);
      return { principal, actor: incidentActor(actor) };
    });
  }

  async function renderList(request: FastifyRequest, reply: FastifyReply, form?: FormState) {
    const data = await inOperator(platform, request, roles, async ({ tx, principal }) => ({
      principal,
      incidents: await listIncidentOverviews(tx),
      shops: (await tx.selectFrom('tenants').select(['id', 'display_name']).where('status', '<>', 'closed').orderBy('sort_order').execute()).map((t) => ({ id: t.id, name: t.display_name })),
    }));
    return reply.page(<IncidentListPage {...operatorFrame(platform, request, data.principal)} incidents={data.incidents} shops={data.shops} form={form} />, {
      page: 'operator-incidents',
      status: form ? 400 : 200,
    });
  }

  app.get('/operator/incidents', { config }, (request, reply) => renderList(request, reply));

  app.post('/operator/incidents', { config }, async (request, reply) => {
    const { actor } = await staff(request);
    const body = operatorFormBody(request);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const tenantIds = (Array.isArray(raw.tenantIds) ? raw.tenantIds : raw.tenantIds ? [raw.tenantIds] : []).filter((v): v is string => typeof v === 'string');
    const awareAt = parseJst(body.awareAt ?? '');
    const errors: Record<string, string> = {};
    if (!awareAt) errors.awareAt = '認知日時を「2025-04-20T10:15:00」の形式(日本時間)で入力してください。';
    else if (awareAt.getTime() > Date.now()) errors.awareAt = '認知日時に未来の日時は指定できません。';
    if (!(body.title ?? '').trim()) errors.title = '件名を入力してください。';
    else if ((body.title ?? '').length > 200) errors.title = '件名は200文字以内で入力してください。';
    if (!tenantIds.length) errors.tenantIds = '対象のショップを1つ以上選んでください。';
    if (!(INCIDENT_SOURCES as readonly string[]).includes(body.source ?? '')) errors.source = '認知のきっかけを選んでください。';
    const values = { ...body, tenantIds: tenantIds.join(',') };
    try {
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const id = await openIncident(platform.database, actor, {
        title: body.title ?? '',
        source: body.source as IncidentSource,
        awareAt: awareAt!,
        summary: (body.summary ?? '').slice(0, 4000),
        tenantIds,
      });
      return reply.redirect(`/operator/incidents/${id}?done=opened`, 303);
    } catch (err) {
      if (err instanceof ValidationError || err instanceof NotFoundError) {
        const fieldErrors = err instanceof ValidationError ? { ...err.fieldErrors } : { tenantIds: err.message };
        return renderList(request, reply, { form: 'open', values, errors: fieldErrors });
      }
      throw err;
    }
  });

  const NOTICES: Record<string, string> = {
    opened: 'インシデントを起票しました。露出期間は証跡から設定されています。',
    window: '露出期間を変更しました(理由とともに監査ログに記録されました)。',
    milestone: '経過を記録しました。',
    details: '内容を保存しました。',
    documents: '通知文書を作成しました(下書き)。内容を確認してから送付してください。',
    sent: '文書を送付済みにしました。',
    reset: 'パスワードを無効化し、セッションを失効させ、再設定のご案内を送りました。',
    shop: 'ショップを追加しました。',
  };

  async function renderDetail(request: FastifyRequest, reply: FastifyReply, id: string, form?: FormState) {
    if (!UUID.test(id)) throw new NotFoundError('インシデントが見つかりません。');
    const { principal, actor } = await staff(request);
    const view = await getIncident(platform.database, actor, id);
    // Every look at the scope is a cross-shop read, audited with who and why.
    const scopes = await computeIncidentScope(platform.database, actor, view);
    const extra = await inOperator(platform, request, roles, async ({ tx }) => ({
      documents: await listCurrentDocuments(tx, id),
      allShops: (await tx.selectFrom('tenants').select(['id', 'display_name']).where('status', '<>', 'closed').orderBy('sort_order').execute()).map((t) => ({ id: t.id, name: t.display_name })),
    }));
    const done = (request.query as { done?: string }).done;
    return reply.page(
      <IncidentDetailPage
        {...operatorFrame(platform, request, principal)}
        view={view}
        scopes={scopes}
        documents={extra.documents}
        allShops={extra.allShops}
        notice={done ? NOTICES[done] : undefined}
        form={form}
        publicNoticeUrl={(slug, documentId) => `${shopHomeUrl(platform.config, { slug, custom_host: null })}notices/${documentId}`}
      />,
      { page: 'operator-incident', status: form ? 400 : 200 },
    );
  }

  app.get('/operator/incidents/:id', { config }, (request, reply) => renderDetail(request, reply, (request.params as { id: string }).id));

  /** POST handlers: a domain error re-renders the detail with the form's values and errors, nothing changed. */
  function post(path: string, form: (body: Record<string, string>) => string, handle: (ctx: { id: string; body: Record<string, string>; actor: IncidentActor; request: FastifyRequest }) => Promise<string>, stepUp = false) {
    app.post(`/operator/incidents/:id${path}`, { config }, async (request, reply) => {
      const id = (request.params as { id: string }).id;
      if (!UUID.test(id)) throw new NotFoundError('インシデントが見つかりません。');
      const { actor } = await staff(request, stepUp ? { stepUp: `/operator/incidents/${id}` } : {});
      const body = operatorFormBody(request);
      try {
        const done = await handle({ id, body, actor, request });
        return reply.redirect(`/operator/incidents/${id}?done=${done}`, 303);
      } catch (err) {
        if (err instanceof ValidationError) {
          // A shop that is not on the incident has no form of its own on the page: say it at the top.
          if (err.fieldErrors.tenantId) return renderDetail(request, reply, id, { form: 'global', values: body, errors: { _form: err.fieldErrors.tenantId } });
          return renderDetail(request, reply, id, { form: form(body), values: body, errors: { ...err.fieldErrors } });
        }
        if (err instanceof ConflictError) return renderDetail(request, reply, id, { form: 'global', values: body, errors: { _form: err.message } });
        throw err;
      }
    });
  }

  post(
    '/windows',
    (b) => `window-${b.tenantId ?? ''}`,
    async ({ id, body, actor }) => {
      await setExposureWindow(platform.database, actor, {
        incidentId: id,
        tenantId: body.tenantId ?? '',
        start: parseJst(body.start ?? ''),
        end: parseJst(body.end ?? ''),
        reason: (body.reason ?? '').slice(0, 1000),
      });
      return 'window';
    },
  );

  post(
    '/milestones',
    () => 'milestone',
    async ({ id, body, actor }) => {
      if (!(MILESTONE_KINDS as readonly string[]).includes(body.kind ?? '')) throw new ValidationError({ kind: '記録する出来事を選んでください。' });
      await recordMilestone(platform.database, actor, { incidentId: id, kind: body.kind as MilestoneKind, at: parseJst(body.at ?? ''), note: (body.note ?? '').slice(0, 2000) });
      return 'milestone';
    },
  );

  post(
    '/details',
    () => 'details',
    async ({ id, body, actor }) => {
      const preliminaryDays = Number(body.preliminaryDays);
      if (!Number.isInteger(preliminaryDays)) throw new ValidationError({ preliminaryDays: '速報の目標は3〜5日で指定してください。' });
      if (body.status && !(INCIDENT_STATUSES as readonly string[]).includes(body.status)) throw new ValidationError({ status: '状態を選んでください。' });
      const long = (v: string | undefined, max: number, field: string) => {
        if ((v ?? '').length > max) throw new ValidationError({ [field]: `${max}文字以内で入力してください。` });
        return v ?? '';
      };
      await updateIncidentDetails(platform.database, actor, id, {
        summary: long(body.summary, 4000, 'summary'),
        cause: long(body.cause, 4000, 'cause'),
        secondaryDamage: long(body.secondaryDamage, 4000, 'secondaryDamage'),
        prevention: long(body.prevention, 4000, 'prevention'),
        inquiryDesk: long(body.inquiryDesk, 1000, 'inquiryDesk'),
        dataItems: (body.dataItems ?? '')
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter(Boolean),
        preliminaryDays,
        unauthorisedAccess: body.unauthorisedAccess !== 'no',
        status: (body.status as IncidentStatus) || undefined,
      });
      return 'details';
    },
  );

  post(
    '/shops',
    () => 'global',
    async ({ id, body, actor }) => {
      await addIncidentShop(platform.database, actor, id, body.tenantId ?? '');
      return 'shop';
    },
  );

  post(
    '/documents',
    () => 'global',
    async ({ id, actor }) => {
      await produceIncidentDocuments(platform.database, platform.config.dataDir, actor, id);
      return 'documents';
    },
  );

  post(
    '/documents/send',
    () => 'global',
    async ({ id, body, actor }) => {
      if (!isSendable(body.kind ?? '')) throw new ValidationError({ _form: '送付する文書の種類が正しくありません。' });
      const tenantId = body.tenantId ? body.tenantId : null;
      if (tenantId !== null && !UUID.test(tenantId)) throw new ValidationError({ _form: 'このショップはインシデントの対象ではありません。' });
      await sendDocuments(platform.database, actor, { incidentId: id, tenantId, kind: body.kind as Parameters<typeof sendDocuments>[2]['kind'] });
      return 'sent';
    },
    true,
  );

  post(
    '/shops/:tenantId/credential-reset',
    () => 'global',
    async ({ id, actor, request }) => {
      const tenantId = (request.params as { tenantId: string }).tenantId;
      if (!UUID.test(tenantId)) throw new NotFoundError('ショップが見つかりません。');
      const view = await getIncident(platform.database, actor, id);
      if (!view.shops.some((s) => s.tenantId === tenantId)) throw new ValidationError({ _form: 'このショップはインシデントの対象ではありません。' });
      const scope = (await computeIncidentScope(platform.database, actor, view, [tenantId])).get(tenantId)!;
      const origin = platform.config.baseOrigin;
      await forceCredentialReset(platform.database, actor, { id, number: view.incident.number }, scope, (kind, token) =>
        kind === 'salon' ? `${origin}/account/password/reset?token=${token}` : `${origin}/admin/password/reset?token=${token}`,
      );
      return 'reset';
    },
    true,
  );

  app.get('/operator/incidents/:id/documents/:documentId', { config }, async (request, reply) => {
    const { id, documentId } = request.params as { id: string; documentId: string };
    if (!UUID.test(id) || !UUID.test(documentId)) throw new NotFoundError('文書が見つかりません。');
    const doc = await inOperator(platform, request, roles, async ({ tx, principal, actor }) => {
      const found = await findDocument(tx, id, documentId);
      // Letters and the card list carry personal data: a recent re-authentication first.
      if (found && (found.kind === 'member_letter' || found.kind === 'card_company_csv')) requireStepUp(principal, request.url);
      if (found) {
        await auditIncident(tx, incidentActor(actor), { action: 'incident.document_downloaded', resourceType: 'incident_document', resourceId: found.id, result: 'success', detail: { incidentId: id, kind: found.kind } });
      }
      return found;
    });
    if (!doc) throw new NotFoundError('文書が見つかりません。');
    const body = fs.readFileSync(documentPath(platform.config.dataDir, doc));
    return reply
      .header('content-type', doc.content_type)
      .header('content-disposition', `${doc.content_type === 'application/pdf' ? 'inline' : 'attachment'}; filename="${doc.file_name}"`)
      .header('cache-control', 'no-store')
      .send(body);
  });

  app.get('/operator/incidents/:id/shops/:tenantId/scope.csv', { config }, async (request, reply) => {
    const { id, tenantId } = request.params as { id: string; tenantId: string };
    if (!UUID.test(id) || !UUID.test(tenantId)) throw new NotFoundError('インシデントが見つかりません。');
    const { actor } = await staff(request, { stepUp: request.url });
    const view = await getIncident(platform.database, actor, id);
    const shop = view.shops.find((s) => s.tenantId === tenantId);
    if (!shop) throw new NotFoundError('このショップはインシデントの対象ではありません。');
    const scope = (await computeIncidentScope(platform.database, actor, view, [tenantId], { orderNumbers: true })).get(tenantId)!;
    return csvReply(reply, `scope-${view.incident.number}-${shop.slug}.csv`, scopeCsv(shop.displayName, scope));
  });

  app.get('/operator/incidents/:id/card-payments.csv', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new NotFoundError('インシデントが見つかりません。');
    const { actor } = await staff(request, { stepUp: request.url });
    const view = await getIncident(platform.database, actor, id);
    const scopes = await computeIncidentScope(platform.database, actor, view, undefined, { orderNumbers: true });
    const rows = view.shops.map((s) => ({ shopName: s.displayName, merchantName: s.companyName, scope: scopes.get(s.tenantId)! }));
    return csvReply(reply, `card-payments-${view.incident.number}.csv`, cardCompanyCsv(rows));
  });

  app.get('/operator/incidents/:id/evidence.tar', { config }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new NotFoundError('インシデントが見つかりません。');
    const { actor } = await staff(request, { stepUp: request.url });
    const bundle = await buildEvidenceBundle(platform.database, actor, id, { signingKey: key(), anchorDir: anchorDirFromConfig(platform.config) });
    return reply
      .header('content-type', 'application/x-tar')
      .header('content-disposition', `attachment; filename="${bundle.fileName}"`)
      .header('cache-control', 'no-store')
      .header('x-manifest-sha256', bundle.manifestSha256)
      .send(bundle.tar);
  });

}
