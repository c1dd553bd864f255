import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addToCart } from '../../../domains/cart/cart.service.ts';
import { issueDeliverySlip } from '../../../domains/fulfilment/delivery-slip.service.ts';
import { findDocument, readDocumentPdf } from '../../../domains/invoicing/document-store.ts';
import { issueOrderInvoice } from '../../../domains/invoicing/order-invoice.service.ts';
import { CANCELLABLE_BY_MEMBER, requestCancellation, requestReturn } from '../../../domains/returns/return.service.ts';
import { returnLinesFromForm } from '../../../domains/returns/return-request.schema.ts';
import { DomainError, NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inShop, type ShopScope } from '../../../platform/http/request-scope.ts';
import { requireShopBuyer, type ShopBuyer } from '../cart/shop-buyer.ts';
import { listMemberOrders, listMemberStatements, loadMemberOrder } from './member-orders.read.ts';
import { MemberOrderPage, type MemberOrderState, MemberOrdersPage, MemberStatementsPage } from './member-orders.view.tsx';

/**
 * The member's order history on the shop origin (/account/... under the shop): orders, their
 * tracking and documents, statements, one-click reorder, cancellation and return requests.
 * Every page passes the member gate; every query is the member's own account (RLS says so too).
 */

type Member = ShopBuyer & { scope: ShopScope };

function body(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((request.body ?? {}) as Record<string, unknown>)) if (k !== '_csrf' && typeof v === 'string') out[k] = v.slice(0, 2000);
  return out;
}

function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
  return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).header('cache-control', 'private, no-store').send(pdf);
}

export function memberOrderRoutes(app: FastifyInstance, platform: Platform) {
  const asMember = <T,>(request: FastifyRequest, fn: (m: Member) => Promise<T>) =>
    inShop(platform, request, async (scope) => fn({ ...(await requireShopBuyer(platform, scope, request)), scope }));
  const frame = (request: FastifyRequest, m: Member) => ({
    tenant: m.scope.tenant,
    base: request.shopBase,
    stylesheetUrl: platform.assets.url('css/app.css'),
    nav: m.nav,
    csrfToken: request.csrfToken(),
  });

  async function renderOrder(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, state: MemberOrderState = {}, status = 200) {
    const data = await asMember(request, async (m) => ({ m, detail: await loadMemberOrder(m.scope.tx, m.scope.tenant.id, m.buyer.accountId, request.params.id) }));
    if (!data.detail) throw new NotFoundError('ご注文が見つかりません。');
    const done = (request.query as { done?: string }).done;
    const notice = state.notice ?? (done === 'cancel' ? 'キャンセルを申請しました。ショップからのご連絡をお待ちください。' : done === 'return' ? '返品を申請しました。ショップからのご連絡をお待ちください。' : undefined);
    const canCancel = (CANCELLABLE_BY_MEMBER as readonly string[]).includes(data.detail.order.status) && data.m.member.principal.role !== 'viewer';
    return reply.page(<MemberOrderPage {...frame(request, data.m)} detail={data.detail} canCancel={canCancel} {...state} notice={notice} />, { page: 'member-order', status });
  }

  app.get('/account/orders', async (request, reply) => {
    const page = Math.min(Math.max(1, Number((request.query as { page?: string }).page) || 1), 1000);
    const data = await asMember(request, async (m) => ({ m, list: await listMemberOrders(m.scope.tx, m.scope.tenant.id, m.buyer.accountId, page) }));
    return reply.page(<MemberOrdersPage {...frame(request, data.m)} rows={data.list.rows} hasMore={data.list.hasMore} page={page} />, { page: 'member-orders' });
  });

  app.get('/account/statements', async (request, reply) => {
    const data = await asMember(request, async (m) => ({ m, rows: await listMemberStatements(m.scope.tx, m.scope.tenant.id, m.buyer.accountId) }));
    return reply.page(<MemberStatementsPage {...frame(request, data.m)} rows={data.rows as never} />, { page: 'member-statements' });
  });

  app.get<{ Params: { id: string } }>('/account/orders/:id', (request, reply) => renderOrder(request, reply));

  app.get<{ Params: { doc: string } }>('/account/documents/:doc.pdf', async (request, reply) => {
    const doc = await asMember(request, async (m) => {
      const d = await findDocument(m.scope.tx, m.scope.tenant.id, request.params.doc);
      if (d.account_id !== m.buyer.accountId) throw new NotFoundError('書類が見つかりません。');
      return d;
    });
    return sendPdf(reply, await readDocumentPdf(platform.config.dataDir, doc), doc.document_number);
  });

  const memberWork = (request: FastifyRequest) => ({ inScope: <T,>(fn: (tx: ShopScope['tx']) => Promise<T>) => asMember(request, (m) => fn(m.scope.tx)), dataDir: platform.config.dataDir });

  app.get<{ Params: { id: string } }>('/account/orders/:id/invoice.pdf', async (request, reply) => {
    const tenantId = await asMember(request, async (m) => {
      if (!(await loadMemberOrder(m.scope.tx, m.scope.tenant.id, m.buyer.accountId, request.params.id))) throw new NotFoundError('ご注文が見つかりません。');
      return m.scope.tenant.id;
    });
    const doc = await issueOrderInvoice(memberWork(request), { tenantId, orderId: request.params.id });
    return sendPdf(reply, await readDocumentPdf(platform.config.dataDir, doc), doc.document_number);
  });

  app.get<{ Params: { id: string; sid: string } }>('/account/orders/:id/shipments/:sid/slip.pdf', async (request, reply) => {
    const tenantId = await asMember(request, async (m) => {
      const order = await loadMemberOrder(m.scope.tx, m.scope.tenant.id, m.buyer.accountId, request.params.id);
      if (!order?.shipments.some((s) => s.id === request.params.sid)) throw new NotFoundError('納品書が見つかりません。');
      return m.scope.tenant.id;
    });
    const doc = await issueDeliverySlip(memberWork(request), { tenantId, shipmentId: request.params.sid });
    return sendPdf(reply, await readDocumentPdf(platform.config.dataDir, doc), doc.document_number);
  });

  /** One click: every line of the order into the cart; lines that cannot be ordered now are reported. */
  app.post<{ Params: { id: string } }>('/account/orders/:id/reorder', async (request, reply) => {
    const outcome = await inShop(platform, request, async (scope) => {
      const { buyer } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      const detail = await loadMemberOrder(scope.tx, scope.tenant.id, buyer.accountId, request.params.id);
      if (!detail) throw new NotFoundError('ご注文が見つかりません。');
      let added = 0;
      const refused: string[] = [];
      for (const line of detail.lines) {
        try {
          await addToCart(scope.tx, buyer, { variantId: line.variant_id, quantity: line.quantity });
          added++;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          refused.push(`${line.name}: ${Object.values(err.fieldErrors)[0] ?? err.message}`);
        }
      }
      return { added, refused };
    });
    if (outcome.refused.length === 0) return reply.redirect(`${request.shopBase}/cart?done=added`, 303);
    return renderOrder(request, reply, { notice: outcome.added ? `${outcome.added}点をカートに追加しました。` : undefined, refused: outcome.refused }, 200);
  });

  const memberRequest = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, kind: 'cancel' | 'return') => {
    const form = body(request);
    try {
      await inShop(platform, request, async (scope) => {
        const { buyer } = await requireShopBuyer(platform, scope, request, { canOrder: true });
        const ref = { tenantId: scope.tenant.id, accountId: buyer.accountId, userId: buyer.userId };
        if (kind === 'cancel') {
          await requestCancellation(scope.tx, ref, { orderId: request.params.id, reason: form.reason });
        } else {
          const parsed = returnLinesFromForm(form);
          if (Object.keys(parsed.errors).length) throw new ValidationError(parsed.errors);
          await requestReturn(scope.tx, ref, { orderId: request.params.id, reason: form.reason, lines: parsed.lines });
        }
      });
    } catch (err) {
      if (err instanceof ValidationError) return renderOrder(request, reply, { errors: err.fieldErrors, values: form, error: err.message }, 400);
      if (err instanceof DomainError && err.code === 'conflict') return renderOrder(request, reply, { error: err.message, values: form }, 409);
      throw err;
    }
    return reply.redirect(`${request.shopBase}/account/orders/${request.params.id}?done=${kind}`, 303);
  };

  app.post<{ Params: { id: string } }>('/account/orders/:id/cancel', (request, reply) => memberRequest(request, reply, 'cancel'));
  app.post<{ Params: { id: string } }>('/account/orders/:id/return', (request, reply) => memberRequest(request, reply, 'return'));
}
