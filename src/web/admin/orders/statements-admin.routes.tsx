import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jstDateTime } from '../../../domains/calendar/calendar-date.ts';
import { findDocument, readDocumentPdf } from '../../../domains/invoicing/document-store.ts';
import { attachStatementPdf } from '../../../domains/receivables/statement.service.ts';
import { cleanStatementFilter, listStatements, markStatementPaid, markStatementSent } from '../../../domains/receivables/statement-admin.service.ts';
import { DomainError, NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { type AdminScope, formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { adminBase } from '../admin-layout.tsx';
import { navRoles } from '../admin-nav.ts';
import { StatementsPage } from './statements.view.tsx';

const NOTICES: Record<string, string> = { sent: '送付済みにしました。', paid: '入金を記録しました。', pdf: '請求書のPDFを作成しました。' };

/** 月次請求書 under /admin/:shop/statements: list, PDF, mark sent and paid (order clerks and shop admins). */
export function adminStatementRoutes(app: FastifyInstance, platform: Platform) {
  const roles = navRoles('statements');
  const config = { staffRoles: roles };
  const within = <T,>(request: FastifyRequest, fn: (s: AdminScope) => Promise<T>) => inAdmin(platform, request, roles, fn);
  const today = () => jstDateTime(new Date()).date;

  async function render(request: FastifyRequest, reply: FastifyReply, state: { error?: string; errors?: Record<string, string>; values?: Record<string, string>; errorStatement?: string } = {}, status = 200) {
    const filter = cleanStatementFilter(request.query as Record<string, unknown>);
    const data = await within(request, async (s) => ({ ...s, rows: await listStatements(s.tx, s.tenant.id, filter, today()) }));
    const done = (request.query as { done?: string }).done;
    return reply.page(<StatementsPage {...frameOf(platform, request, data)} rows={data.rows} filter={filter} today={today()} notice={done ? NOTICES[done] : undefined} {...state} />, {
      page: 'admin-statements',
      status,
    });
  }

  /** A statement action: mistakes re-show the list with the message on the right row, never a 500. */
  async function act(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, done: string, fn: (s: AdminScope) => Promise<void>) {
    const body = formBody(request);
    try {
      const slug = await within(request, async (s) => {
        await fn(s);
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/statements?done=${done}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return render(request, reply, { errors: err.fieldErrors, values: body, errorStatement: request.params.id, error: err.fieldErrors._form ?? err.message }, 400);
      if (err instanceof DomainError && err.code === 'conflict') return render(request, reply, { error: err.message }, 409);
      throw err;
    }
  }

  app.get('/statements', { config }, (request, reply) => render(request, reply));

  app.get<{ Params: { id: string } }>('/statements/:id.pdf', { config }, async (request, reply) => {
    const doc = await within(request, async (s) => {
      if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) throw new NotFoundError('請求書が見つかりません。');
      const statement = await s.tx.selectFrom('statements').select('document_id').where('tenant_id', '=', s.tenant.id).where('id', '=', request.params.id).executeTakeFirst();
      if (!statement?.document_id) throw new NotFoundError('請求書のPDFがありません。');
      return findDocument(s.tx, s.tenant.id, statement.document_id);
    });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${doc.document_number}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(await readDocumentPdf(platform.config.dataDir, doc));
  });

  app.post<{ Params: { id: string } }>('/statements/:id/sent', { config }, (request, reply) =>
    act(request, reply, 'sent', (s) => markStatementSent(s.tx, { tenantId: s.tenant.id, statementId: request.params.id, via: formBody(request).via ?? '', actor: staffOrderActor(s) })),
  );

  app.post<{ Params: { id: string } }>('/statements/:id/paid', { config }, (request, reply) =>
    act(request, reply, 'paid', async (s) => {
      await markStatementPaid(s.tx, { tenantId: s.tenant.id, statementId: request.params.id, form: formBody(request), actor: staffOrderActor(s), today: today() });
    }),
  );

  /** The closing job draws PDFs at night; staff can draw a missing one now (no transaction open while drawing). */
  app.post<{ Params: { id: string } }>('/statements/:id/pdf', { config }, async (request, reply) => {
    const { tenantId, slug } = await within(request, async (s) => {
      if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) throw new NotFoundError('請求書が見つかりません。');
      const statement = await s.tx.selectFrom('statements').select('id').where('tenant_id', '=', s.tenant.id).where('id', '=', request.params.id).executeTakeFirst();
      if (!statement) throw new NotFoundError('請求書が見つかりません。');
      return { tenantId: s.tenant.id, slug: s.tenant.slug };
    });
    try {
      await attachStatementPdf({ inScope: (fn) => within(request, (s) => fn(s.tx)), dataDir: platform.config.dataDir }, tenantId, request.params.id);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') return render(request, reply, { error: `請求書のPDFを作成できませんでした（${err.message}）。` }, 409);
      throw err;
    }
    return reply.redirect(`${adminBase(slug)}/statements?done=pdf`, 303);
  });
}

function staffOrderActor(s: AdminScope) {
  return { type: 'staff' as const, id: s.actor.id, label: s.actor.label, sourceIp: s.actor.sourceIp, requestId: s.actor.requestId };
}
