import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../../domains/accounts/accounts.tables.ts';
import { jstDateTime } from '../../../domains/calendar/calendar-date.ts';
import { exportCarrierCsv } from '../../../domains/fulfilment/carrier-export.service.ts';
import { issueDeliverySlip } from '../../../domains/fulfilment/delivery-slip.service.ts';
import { renderPickingListPdf } from '../../../domains/fulfilment/picking-list.pdf.ts';
import { loadPickingList } from '../../../domains/fulfilment/picking-list.service.ts';
import { addTrackingNumbers, CARRIERS, markDelivered, recordShipment } from '../../../domains/fulfilment/shipment.service.ts';
import { importTrackingCsv } from '../../../domains/fulfilment/tracking-import.service.ts';
import { parseTrackingNumbers } from '../../../domains/fulfilment/tracking-links.ts';
import { type DocumentWork, findDocument, readDocumentPdf } from '../../../domains/invoicing/document-store.ts';
import { issueOrderInvoice, issueReturnInvoice } from '../../../domains/invoicing/order-invoice.service.ts';
import { markBankTransferReceived } from '../../../domains/orders/bank-transfer.ts';
import { type OrderActor, transitionOrder } from '../../../domains/orders/order-state.ts';
import type { Carrier, OrderStatus } from '../../../domains/orders/orders.tables.ts';
import type { PaymentDeps } from '../../../domains/payments/card-payment.service.ts';
import { listReceivables, recordReceipt } from '../../../domains/receivables/receivables.service.ts';
import { completeManualRefund, openCancellationRefund, processCardRefund, type Refund } from '../../../domains/returns/refund.service.ts';
import { decideReturn } from '../../../domains/returns/return.service.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import { auditByStaff, type StaffActor } from '../../../domains/staff/staff-actor.ts';
import { SecretBox } from '../../../platform/crypto/secret-box.ts';
import type { RouteModule } from '../../../platform/http/app.ts';
import { assertCsrf } from '../../../platform/http/app.ts';
import { cookieName } from '../../../platform/http/cookies.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { type AdminScope, formBody, frameOf, inAdmin } from '../admin-guard.ts';
import { adminBase } from '../admin-layout.tsx';
import { type DetailState, OrderDetailPage } from './order-detail.view.tsx';
import { cleanFilter, listOrders, loadOrderDetail } from './orders-admin.read.ts';
import { OrdersListPage } from './orders-list.view.tsx';
import { CarrierExportErrorsPage, CarrierSettingsPage, ReceivablesPage, TrackingImportPage } from './orders-tools.view.tsx';
import { adminStatementRoutes } from './statements-admin.routes.tsx';

/** 受注: order_clerk and shop_admin handle orders; catalog_editor does not. */
export const ORDER_ROLES: readonly StaffRole[] = ['shop_admin', 'order_clerk'];

/** Work after an action's transaction committed; returns what it could not do, for the page. */
type AfterCommit = () => Promise<string[]>;

function orderActor(actor: StaffActor): OrderActor {
  return { type: 'staff', id: actor.id, label: actor.label, sourceIp: actor.sourceIp, requestId: actor.requestId };
}

function ids(request: FastifyRequest): string[] {
  const raw = (request.body as Record<string, unknown> | undefined)?.ids;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v)).slice(0, 1000);
}

function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

function adminOrderRoutesOn(app: FastifyInstance, platform: Platform) {
  const config = { staffRoles: ORDER_ROLES };
  const within = <T,>(request: FastifyRequest, fn: (s: AdminScope) => Promise<T>) => inAdmin(platform, request, ORDER_ROLES, fn);
  const work = (request: FastifyRequest): DocumentWork => ({ inScope: (fn) => within(request, (s) => fn(s.tx)), dataDir: platform.config.dataDir });
  const orderUrl = (slug: string, id: string) => `${adminBase(slug)}/orders/${id}`;
  const paymentDeps: PaymentDeps = { database: platform.database, box: new SecretBox(platform.secrets), log: platform.log };

  /** Sends a card refund to the provider (no transaction open); what failed is returned for the page. */
  async function sendCardRefund(tenantId: string, refund: Refund | null, actor: StaffActor): Promise<string[]> {
    if (refund?.method !== 'card' || refund.status === 'completed') return [];
    const outcome = await processCardRefund(paymentDeps, { tenantId, refundId: refund.id, actor });
    return outcome.ok ? [] : [`カードへの返金ができませんでした（${outcome.message}）。下の「返金」から再試行できます。`];
  }

  /** The 返還インボイス of an approved return, drawn with no transaction open. */
  async function sendReturnInvoice(request: FastifyRequest, tenantId: string, returnId: string, issuedBy: string | null): Promise<string[]> {
    try {
      await issueReturnInvoice(work(request), { tenantId, returnId, issuedBy });
      return [];
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') return [`返還インボイスを発行できませんでした（${err.message}）。書類欄から再発行できます。`];
      throw err;
    }
  }

  async function renderDetail(request: FastifyRequest, reply: FastifyReply, id: string, state: DetailState = {}, status = 200) {
    const data = await within(request, async (s) => ({ ...s, detail: await loadOrderDetail(s.tx, s.tenant.id, id) }));
    if (!data.detail) throw new NotFoundError('注文が見つかりません。');
    const notice = state.notice ?? ((request.query as { done?: string }).done ? '保存しました。' : undefined);
    return reply.page(<OrderDetailPage {...frameOf(platform, request, data)} detail={data.detail} {...state} notice={notice} />, { page: 'admin-order-detail', status });
  }

  /**
   * Runs a detail-page action; user mistakes re-show the page with the message, never a 500. The
   * action may hand back work for after its transaction committed (a provider call, a PDF);
   * what that work could not do is shown on the page, the committed action stays.
   */
  async function act(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, fn: (s: AdminScope) => Promise<void> | Promise<AfterCommit>, values: Record<string, string> = {}) {
    try {
      const { slug, after } = await within(request, async (s) => ({ after: await fn(s), slug: s.tenant.slug }));
      const problems = typeof after === 'function' ? await after() : [];
      if (problems.length) return renderDetail(request, reply, request.params.id, { notice: '保存しました。', error: problems.join(' ') });
      return reply.redirect(`${orderUrl(slug, request.params.id)}?done=1`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderDetail(request, reply, request.params.id, { errors: err.fieldErrors, error: err.fieldErrors._form ?? err.message, values }, 400);
      if (err instanceof DomainError && err.code !== 'not_found' && err.code !== 'forbidden' && err.code !== 'csrf_failed') return renderDetail(request, reply, request.params.id, { error: err.message, values }, 409);
      throw err;
    }
  }

  app.get('/orders', { config }, async (request, reply) => {
    const filter = cleanFilter(request.query as Record<string, unknown>);
    const data = await within(request, async (s) => ({ ...s, list: await listOrders(s.tx, s.tenant.id, filter) }));
    return reply.page(<OrdersListPage {...frameOf(platform, request, data)} {...data.list} filter={filter} />, { page: 'admin-orders' });
  });

  app.post('/orders/bulk', { config }, async (request, reply) => {
    // Who is asking first: a stranger learns nothing from the form's validation.
    await within(request, async () => undefined);
    const body = formBody(request);
    const chosen = ids(request);
    const action = body.action;
    if (action === 'picking') {
      const model = await within(request, (s) => loadPickingList(s.tx, s.tenant.id, chosen.length ? chosen : null));
      if (!model.orders.length) return reply.redirect(`${(await within(request, async (s) => adminBase(s.tenant.slug)))}/orders`, 303);
      return sendPdf(reply, await renderPickingListPdf(model), `${model.listNumber}.pdf`);
    }
    if (action !== 'yamato' && action !== 'sagawa') throw new ValidationError({ action: '出力の種類を選んでください。' });
    const result = await within(request, async (s) => ({ ...s, csv: await exportCarrierCsv(s.tx, { tenantId: s.tenant.id, carrier: action, orderIds: chosen.length ? chosen : null, actor: orderActor(s.actor) }) }));
    if (result.csv.errors.length && body.force !== '1') {
      return reply.page(
        <CarrierExportErrorsPage {...frameOf(platform, request, result)} carrier={action} errors={result.csv.errors} orderNumbers={result.csv.orderNumbers} rowCount={result.csv.rowCount} ids={chosen} />,
        { page: 'admin-orders-export-errors', status: 422 },
      );
    }
    return reply
      .header('content-type', 'text/csv; charset=Shift_JIS')
      .header('content-disposition', `attachment; filename="${result.csv.fileName}"`)
      .header('cache-control', 'private, no-store')
      .send(result.csv.csv);
  });

  app.get('/orders/tracking-import', { config }, async (request, reply) => {
    const data = await within(request, async (s) => s);
    return reply.page(<TrackingImportPage {...frameOf(platform, request, data)} />, { page: 'admin-tracking-import' });
  });

  app.post('/orders/tracking-import', { config: { ...config, csrf: 'manual' } }, async (request, reply) => {
    await within(request, async () => undefined);
    const show = async (props: { errors?: { line: number; message: string }[]; formError?: string; applied?: { orders: number; shipped: number } }, status: number) => {
      const data = await within(request, async (s) => s);
      return reply.page(<TrackingImportPage {...frameOf(platform, request, data)} {...props} />, { page: 'admin-tracking-import', status });
    };
    if (!request.isMultipart()) return show({ formError: 'CSV ファイルを選んでください。' }, 400);
    let file: MultipartFile | undefined;
    let bytes: Buffer;
    let carrier: string | undefined;
    try {
      file = await request.file({ limits: { fileSize: 5 * 1024 * 1024 } });
      if (!file) return show({ formError: 'CSV ファイルを選んでください。' }, 400);
      const fields: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(file.fields)) {
        const f = Array.isArray(field) ? field[0] : field;
        if (f && f.type === 'field') fields[name] = f.value;
      }
      assertCsrf(platform, { body: fields, headers: request.headers, cookies: request.cookies, log: request.log }, cookieName(platform.config, 'csrf'));
      carrier = typeof fields.carrier === 'string' ? fields.carrier : undefined;
      bytes = await file.toBuffer();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return show({ formError: 'ファイルが大きすぎます（5MBまで）。' }, 400);
      throw err;
    }
    const outcome = await within(request, (s) =>
      importTrackingCsv(s.tx, { tenantId: s.tenant.id, file: bytes, carrier: carrier === 'yamato' || carrier === 'sagawa' ? carrier : undefined, actor: orderActor(s.actor) }),
    );
    if (!outcome.applied) return show({ errors: outcome.errors }, 422);
    return show({ applied: { orders: outcome.updated.size, shipped: outcome.shippedOrders.length } }, 200);
  });

  app.get('/orders/carrier-settings', { config }, async (request, reply) => {
    const data = await within(request, async (s) => ({ ...s, row: await s.tx.selectFrom('shop_carrier_accounts').selectAll().where('tenant_id', '=', s.tenant.id).executeTakeFirst() }));
    const values = {
      yamatoBillingCustomerCode: data.row?.yamato_billing_customer_code ?? '',
      yamatoBillingClassCode: data.row?.yamato_billing_class_code ?? '',
      yamatoFreightManagementNumber: data.row?.yamato_freight_management_number ?? '01',
      sagawaCustomerCode: data.row?.sagawa_customer_code ?? '',
    };
    const notice = (request.query as { done?: string }).done ? '保存しました。' : undefined;
    return reply.page(<CarrierSettingsPage {...frameOf(platform, request, data)} values={values} notice={notice} />, { page: 'admin-carrier-settings' });
  });

  app.post('/orders/carrier-settings', { config }, async (request, reply) => {
    const body = formBody(request);
    const v = (k: string) => (body[k] ?? '').normalize('NFKC').trim();
    const values = { yamatoBillingCustomerCode: v('yamatoBillingCustomerCode'), yamatoBillingClassCode: v('yamatoBillingClassCode'), yamatoFreightManagementNumber: v('yamatoFreightManagementNumber'), sagawaCustomerCode: v('sagawaCustomerCode') };
    const errors: Record<string, string> = {};
    if (!/^(\d{10,12})?$/.test(values.yamatoBillingCustomerCode)) errors.yamatoBillingCustomerCode = 'ご請求先顧客コードは10〜12桁の数字です。';
    if (!/^\d{0,3}$/.test(values.yamatoBillingClassCode)) errors.yamatoBillingClassCode = '分類コードは3桁までの数字です。';
    if (!/^(\d{2})?$/.test(values.yamatoFreightManagementNumber)) errors.yamatoFreightManagementNumber = '運賃管理番号は2桁の数字です。';
    if (!/^\d{0,12}$/.test(values.sagawaCustomerCode)) errors.sagawaCustomerCode = 'お客様コードは12桁までの数字です。';
    if (Object.keys(errors).length) {
      const data = await within(request, async (s) => s);
      return reply.page(<CarrierSettingsPage {...frameOf(platform, request, data)} values={values} errors={errors} />, { page: 'admin-carrier-settings', status: 400 });
    }
    const slug = await within(request, async (s) => {
      const row = {
        yamato_billing_customer_code: values.yamatoBillingCustomerCode,
        yamato_billing_class_code: values.yamatoBillingClassCode,
        yamato_freight_management_number: values.yamatoFreightManagementNumber,
        sagawa_customer_code: values.sagawaCustomerCode,
      };
      await s.tx
        .insertInto('shop_carrier_accounts')
        .values({ tenant_id: s.tenant.id, ...row })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(row))
        .execute();
      await auditByStaff(s.tx, s.actor, { action: 'shop.carrier_accounts_updated', resourceType: 'shop', resourceId: s.tenant.slug, result: 'success', detail: row });
      return s.tenant.slug;
    });
    return reply.redirect(`${adminBase(slug)}/orders/carrier-settings?done=1`, 303);
  });

  app.get<{ Params: { id: string } }>('/orders/:id', { config }, (request, reply) => renderDetail(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>('/orders/:id/transition', { config }, (request, reply) => {
    const body = formBody(request);
    const to = body.to as OrderStatus;
    const note = (body.note ?? '').slice(0, 500);
    return act(
      request,
      reply,
      async (s): Promise<AfterCommit> => {
        if (!['picking', 'delivered', 'cancelled'].includes(to)) throw new ValidationError({ to: 'この操作はできません。' });
        if (to === 'delivered') {
          await markDelivered(s.tx, { tenantId: s.tenant.id, orderId: request.params.id, actor: orderActor(s.actor) });
        } else {
          await transitionOrder(s.tx, { tenantId: s.tenant.id, orderId: request.params.id, to, actor: orderActor(s.actor), note: note || (to === 'cancelled' ? 'ショップによるキャンセル' : '') });
        }
        // A paid order cancelled by the shop owes the member everything paid.
        const refund = to === 'cancelled' ? await openCancellationRefund(s.tx, { tenantId: s.tenant.id, orderId: request.params.id, actor: orderActor(s.actor) }) : null;
        const { tenant, actor } = s;
        return () => sendCardRefund(tenant.id, refund, actor);
      },
      body,
    );
  });

  app.post<{ Params: { id: string } }>('/orders/:id/bank-transfer', { config }, (request, reply) => {
    const body = formBody(request);
    return act(
      request,
      reply,
      async (s) => {
        const amount = (body.amountYen ?? '').normalize('NFKC').replace(/[,円\s]/g, '');
        const errors: Record<string, string> = {};
        if (!/^\d{1,9}$/.test(amount)) errors.amountYen = '入金額を数字で入力してください。';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(body.receivedOn ?? '') || body.receivedOn! > jstDateTime(new Date()).date) errors.receivedOn = '入金日を正しく入力してください（未来の日付は不可）。';
        if (Object.keys(errors).length) throw new ValidationError(errors);
        await markBankTransferReceived(s.tx, { tenantId: s.tenant.id, orderId: request.params.id, amountYen: Number(amount), receivedOn: body.receivedOn!, actor: orderActor(s.actor) });
      },
      body,
    );
  });

  app.post<{ Params: { id: string } }>('/orders/:id/shipments', { config }, (request, reply) => {
    const body = formBody(request);
    return act(
      request,
      reply,
      async (s) => {
        const carrier = body.carrier as Carrier;
        const tracking = parseTrackingNumbers(body.tracking ?? '');
        const errors: Record<string, string> = {};
        if (!CARRIERS.includes(carrier)) errors.carrier = '配送業者を選んでください。';
        if (tracking.invalid.length) errors.tracking = `お問い合わせ番号の形式が正しくありません: ${tracking.invalid.slice(0, 3).join(' ')}`;
        const lines: { lineNo: number; quantity: number; lotNumber: string }[] = [];
        for (const [key, raw] of Object.entries(body)) {
          const m = /^qty_(\d{1,4})$/.exec(key);
          if (!m) continue;
          const value = raw.normalize('NFKC').trim();
          if (value === '' || value === '0') continue;
          if (!/^\d{1,6}$/.test(value)) {
            errors[key] = '数量は0以上の整数で入力してください。';
            continue;
          }
          lines.push({ lineNo: Number(m[1]), quantity: Number(value), lotNumber: body[`lot_${m[1]}`] ?? '' });
        }
        if (Object.keys(errors).length) throw new ValidationError(errors);
        await recordShipment(s.tx, { tenantId: s.tenant.id, orderId: request.params.id, carrier, trackingNumbers: tracking.numbers, lines, actor: orderActor(s.actor) });
      },
      body,
    );
  });

  app.post<{ Params: { id: string; sid: string } }>('/orders/:id/shipments/:sid/tracking', { config }, (request, reply) => {
    const body = formBody(request);
    const field = `tracking_${request.params.sid}`;
    return act(
      request,
      reply,
      async (s) => {
        const tracking = parseTrackingNumbers(body[field] ?? '');
        if (tracking.invalid.length || !tracking.numbers.length) throw new ValidationError({ [field]: 'お問い合わせ番号を英数字6〜30文字で入力してください。' });
        const owned = await s.tx.selectFrom('shipments').select('id').where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.sid).executeTakeFirst();
        if (!owned) throw new NotFoundError('出荷が見つかりません。');
        await addTrackingNumbers(s.tx, { tenantId: s.tenant.id, shipmentId: request.params.sid, trackingNumbers: tracking.numbers, actor: orderActor(s.actor) });
      },
      body,
    );
  });

  app.post<{ Params: { id: string; rid: string } }>('/orders/:id/returns/:rid/decide', { config }, (request, reply) => {
    const body = formBody(request);
    return act(
      request,
      reply,
      async (s) => {
        const owned = await s.tx.selectFrom('returns').select('id').where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.rid).executeTakeFirst();
        if (!owned) throw new NotFoundError('申請が見つかりません。');
        const decided = await decideReturn(s.tx, { tenantId: s.tenant.id, returnId: request.params.rid, approve: body.decision === 'approve', note: body.note ?? '', restock: body.restock === '1', actor: orderActor(s.actor) });
        const { tenant, actor } = s;
        // The 返還インボイス and a card refund happen after the decision committed, with no transaction open.
        return async () => [
          ...(decided.kind === 'return' && decided.approved ? await sendReturnInvoice(request, tenant.id, request.params.rid, actor.id) : []),
          ...(decided.approved ? await sendCardRefund(tenant.id, decided.refund, actor) : []),
        ];
      },
      body,
    );
  });

  app.post<{ Params: { id: string; rid: string } }>('/orders/:id/returns/:rid/return-invoice', { config }, (request, reply) =>
    act(request, reply, async (s) => {
      const owned = await s.tx.selectFrom('returns').select('id').where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.rid).executeTakeFirst();
      if (!owned) throw new NotFoundError('申請が見つかりません。');
      const { tenant, actor } = s;
      return () => sendReturnInvoice(request, tenant.id, request.params.rid, actor.id);
    }),
  );

  /** A card refund again (after a provider outage); the same key at the provider, so never twice. */
  app.post<{ Params: { id: string; rid: string } }>('/orders/:id/refunds/:rid/card', { config }, (request, reply) =>
    act(request, reply, async (s) => {
      const refund = await s.tx.selectFrom('refunds').selectAll().where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.rid).executeTakeFirst();
      if (!refund) throw new NotFoundError('返金が見つかりません。');
      if (refund.method !== 'card') throw new ConflictError('カード決済の返金ではありません。');
      const { tenant, actor } = s;
      return () => sendCardRefund(tenant.id, refund, actor);
    }),
  );

  /** 返金済み: staff transferred a bank-transfer or COD refund and record the account and the day. */
  app.post<{ Params: { id: string; rid: string } }>('/orders/:id/refunds/:rid/complete', { config }, (request, reply) => {
    // Field names carry the refund (several forms on one page); the domain takes them plain.
    const values = formBody(request);
    const suffix = `_${request.params.rid.slice(0, 8)}`;
    const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.endsWith(suffix) ? k.slice(0, -suffix.length) : k, v]));
    return act(
      request,
      reply,
      async (s) => {
        const owned = await s.tx.selectFrom('refunds').select('id').where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.rid).executeTakeFirst();
        if (!owned) throw new NotFoundError('返金が見つかりません。');
        try {
          await completeManualRefund(s.tx, { tenantId: s.tenant.id, refundId: request.params.rid, form: body, actor: orderActor(s.actor), today: jstDateTime(new Date()).date });
        } catch (err) {
          if (err instanceof ValidationError) throw new ValidationError(Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [`${k}${suffix}`, v])));
          throw err;
        }
      },
      values,
    );
  });

  app.post<{ Params: { id: string } }>('/orders/:id/invoice', { config }, async (request, reply) => {
    const body = formBody(request);
    const { tenantId, slug, actorId } = await within(request, async (s) => ({ tenantId: s.tenant.id, slug: s.tenant.slug, actorId: s.actor.id }));
    try {
      const doc = await issueOrderInvoice(work(request), { tenantId, orderId: request.params.id, issuedBy: actorId, correction: body.mode === 'correction' });
      await within(request, async (s) => {
          await auditByStaff(s.tx, s.actor, { action: 'order.invoice_issued', resourceType: 'document', resourceId: doc.document_number, result: 'success', detail: { orderId: request.params.id, supersedes: doc.supersedes } });
      });
      return reply.redirect(`${orderUrl(slug, request.params.id)}?done=1`, 303);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'conflict') return renderDetail(request, reply, request.params.id, { error: err.message }, 409);
      throw err;
    }
  });

  app.get<{ Params: { id: string; doc: string } }>('/orders/:id/documents/:doc.pdf', { config }, async (request, reply) => {
    const doc = await within(request, async (s) => {
      const d = await findDocument(s.tx, s.tenant.id, request.params.doc);
      if (d.order_id !== request.params.id) throw new NotFoundError('書類が見つかりません。');
      return d;
    });
    return sendPdf(reply, await readDocumentPdf(platform.config.dataDir, doc), `${doc.document_number}.pdf`);
  });

  app.get<{ Params: { id: string; sid: string } }>('/orders/:id/shipments/:sid/slip.pdf', { config }, async (request, reply) => {
    const { tenantId, actorId } = await within(request, async (s) => {
      const owned = await s.tx.selectFrom('shipments').select('id').where('tenant_id', '=', s.tenant.id).where('order_id', '=', request.params.id).where('id', '=', request.params.sid).executeTakeFirst();
      if (!owned) throw new NotFoundError('出荷が見つかりません。');
      return { tenantId: s.tenant.id, actorId: s.actor.id };
    });
    const doc = await issueDeliverySlip(work(request), { tenantId, shipmentId: request.params.sid, issuedBy: actorId });
    return sendPdf(reply, await readDocumentPdf(platform.config.dataDir, doc), `${doc.document_number}.pdf`);
  });

  app.get('/receivables', { config }, async (request, reply) => {
    const today = jstDateTime(new Date()).date;
    const data = await within(request, async (s) => ({ ...s, rows: await listReceivables(s.tx, s.tenant.id, today) }));
    const notice = (request.query as { done?: string }).done ? '入金を記録しました。' : undefined;
    return reply.page(<ReceivablesPage {...frameOf(platform, request, data)} rows={data.rows} today={today} notice={notice} />, { page: 'admin-receivables' });
  });

  app.post<{ Params: { account: string } }>('/receivables/:account/receipts', { config }, async (request, reply) => {
    const body = formBody(request);
    const today = jstDateTime(new Date()).date;
    await within(request, async () => undefined);
    if (!/^[0-9a-f-]{36}$/i.test(request.params.account)) throw new NotFoundError('会員が見つかりません。');
    try {
      const slug = await within(request, async (s) => {
        await recordReceipt(s.tx, { tenantId: s.tenant.id, accountId: request.params.account, form: body, actor: orderActor(s.actor), today });
        return s.tenant.slug;
      });
      return reply.redirect(`${adminBase(slug)}/receivables?done=1`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const data = await within(request, async (s) => ({ ...s, rows: await listReceivables(s.tx, s.tenant.id, today) }));
      return reply.page(<ReceivablesPage {...frameOf(platform, request, data)} rows={data.rows} today={today} errors={err.fieldErrors} values={body} errorAccount={request.params.account} />, { page: 'admin-receivables', status: 400 });
    }
  });
}

/** 受注管理 under /admin/:shop/orders/…, 売掛金 under /admin/:shop/receivables, 月次請求書 under /admin/:shop/statements. */
export const adminOrderRoutes: RouteModule = async (app, platform) => {
  await app.register(
    async (shopApp) => {
      adminOrderRoutesOn(shopApp, platform);
      adminStatementRoutes(shopApp, platform);
    },
    { prefix: '/admin/:shop' },
  );
};
