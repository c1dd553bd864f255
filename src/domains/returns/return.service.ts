import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { queueMail } from '../../platform/mail/mail.ts';
import { auditOrderAction } from '../fulfilment/order-actor-audit.ts';
import { shipmentProgress } from '../fulfilment/shipment.service.ts';
import { type OrderActor, transitionOrder } from '../orders/order-state.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/domain-error.ts';
import { openCancellationRefund, openReturnRefund, type Refund } from './refund.service.ts';
import { reasonSchema } from './return-request.schema.ts';

/**
 * Members ask; staff decide. A cancellation may be asked before picking starts; a return after
 * delivery, line by line. Decisions go through the order state machine (which gives reserved
 * stock back on cancellation); an approved return may put the goods back on the shelf.
 */

export interface MemberRef {
  tenantId: string;
  accountId: string;
  userId: string;
}

async function ownOrder(tx: Tx, member: MemberRef, orderId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) throw new NotFoundError('注文が見つかりません。');
  // RLS already limits a salon session to its account; the filter states it for every caller.
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'order_number', 'status', 'account_id'])
    .where('tenant_id', '=', member.tenantId)
    .where('id', '=', orderId)
    .where('account_id', '=', member.accountId)
    .executeTakeFirst();
  if (!order) throw new NotFoundError('注文が見つかりません。');
  return order;
}

async function openRequest(tx: Tx, tenantId: string, orderId: string) {
  return tx.selectFrom('returns').select(['id', 'kind']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).where('status', '=', 'requested').executeTakeFirst();
}

function parseReason(raw: unknown): string {
  const reason = reasonSchema.safeParse(raw);
  if (!reason.success) throw new ValidationError({ reason: reason.error.issues[0]?.message ?? '理由を入力してください。' });
  return reason.data;
}

export const CANCELLABLE_BY_MEMBER = ['pending_payment', 'confirmed'] as const;

export async function requestCancellation(tx: Tx, member: MemberRef, input: { orderId: string; reason: unknown }): Promise<string> {
  const reason = parseReason(input.reason);
  const order = await ownOrder(tx, member, input.orderId);
  if (!(CANCELLABLE_BY_MEMBER as readonly string[]).includes(order.status)) throw new ConflictError('出荷準備が始まった注文はキャンセルを申請できません。ショップにお問い合わせください。');
  if (await openRequest(tx, member.tenantId, order.id)) throw new ConflictError('この注文には審査中の申請があります。');
  const row = await tx
    .insertInto('returns')
    .values({ tenant_id: member.tenantId, order_id: order.id, account_id: member.accountId, kind: 'cancellation', status: 'requested', reason, lines: JSON.stringify([]), requested_by: member.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Returnable quantity per line: shipped less what approved returns already took back. */
export async function returnableQuantities(tx: Tx, tenantId: string, orderId: string): Promise<Map<number, number>> {
  const progress = await shipmentProgress(tx, tenantId, orderId);
  const decided = await tx.selectFrom('returns').select('lines').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).where('kind', '=', 'return').where('status', 'in', ['approved', 'completed']).execute();
  const returned = new Map<number, number>();
  for (const r of decided) for (const l of typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) returned.set(l.lineNo, (returned.get(l.lineNo) ?? 0) + l.quantity);
  return new Map(progress.map((p) => [p.lineNo, p.shipped - (returned.get(p.lineNo) ?? 0)]));
}

export async function requestReturn(tx: Tx, member: MemberRef, input: { orderId: string; reason: unknown; lines: { lineNo: number; quantity: number }[] }): Promise<string> {
  const errors: Record<string, string> = {};
  const reason = reasonSchema.safeParse(input.reason);
  if (!reason.success) errors.reason = reason.error.issues[0]?.message ?? '理由を入力してください。';
  const order = await ownOrder(tx, member, input.orderId);
  if (order.status !== 'delivered') throw new ConflictError('返品は配達完了後に申請いただけます。');
  if (await openRequest(tx, member.tenantId, order.id)) throw new ConflictError('この注文には審査中の申請があります。');
  const returnable = await returnableQuantities(tx, member.tenantId, order.id);
  const merged = new Map<number, number>();
  for (const l of input.lines) merged.set(l.lineNo, (merged.get(l.lineNo) ?? 0) + l.quantity);
  for (const [lineNo, quantity] of merged) {
    const max = returnable.get(lineNo);
    if (max === undefined) errors[`qty_${lineNo}`] = '注文にない明細です。';
    else if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) errors[`qty_${lineNo}`] = `返品できる数量は${max}個までです。`;
  }
  if (merged.size === 0) errors._form = '返品する商品の数量を入力してください。';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const lines = [...merged].map(([lineNo, quantity]) => ({ lineNo, quantity }));
  const row = await tx
    .insertInto('returns')
    .values({ tenant_id: member.tenantId, order_id: order.id, account_id: member.accountId, kind: 'return', status: 'requested', reason: reason.data!, lines: JSON.stringify(lines), requested_by: member.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await transitionOrder(tx, { tenantId: member.tenantId, orderId: order.id, to: 'return_requested', actor: { type: 'salon_user', id: member.userId }, note: `返品申請: ${reason.data}` });
  return row.id;
}

export interface DecideInput {
  tenantId: string;
  returnId: string;
  approve: boolean;
  note: string;
  /** Approved return: put the goods back in stock (unopened, saleable). */
  restock?: boolean;
  actor: OrderActor;
}

export interface DecisionResult {
  kind: 'cancellation' | 'return';
  orderId: string;
  approved: boolean;
  /** What the approval gives back (a card refund still has to be sent to the provider). */
  refund: Refund | null;
}

export async function decideReturn(tx: Tx, input: DecideInput): Promise<DecisionResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.returnId)) throw new NotFoundError('申請が見つかりません。');
  const { rows } = await sql<{ id: string; order_id: string; kind: 'cancellation' | 'return'; status: string; lines: unknown; reason: string }>`
    SELECT id, order_id, kind, status, lines, reason FROM returns WHERE tenant_id = ${input.tenantId}::uuid AND id = ${input.returnId}::uuid FOR UPDATE`.execute(tx);
  const request = rows[0];
  if (!request) throw new NotFoundError('申請が見つかりません。');
  if (request.status !== 'requested') throw new ConflictError('この申請は判断済みです。');
  const note = input.note.normalize('NFKC').trim().slice(0, 1000);
  if (!input.approve && !note) throw new ValidationError({ note: 'お断りする理由を入力してください（お客様にお知らせします）。' });
  const order = await tx.selectFrom('orders').select(['order_number', 'is_synthetic']).where('tenant_id', '=', input.tenantId).where('id', '=', request.order_id).executeTakeFirstOrThrow();
  const lines: { lineNo: number; quantity: number }[] = typeof request.lines === 'string' ? JSON.parse(request.lines) : (request.lines as { lineNo: number; quantity: number }[]);

  if (request.kind === 'cancellation' && input.approve) {
    await transitionOrder(tx, { tenantId: input.tenantId, orderId: request.order_id, to: 'cancelled', actor: input.actor, note: `お客様のキャンセル申請を承認: ${request.reason}` });
  } else if (request.kind === 'return') {
    await transitionOrder(tx, { tenantId: input.tenantId, orderId: request.order_id, to: input.approve ? 'returned' : 'delivered', actor: input.actor, note: input.approve ? '返品を承認' : `返品をお断り: ${note}` });
    if (input.approve && input.restock && !order.is_synthetic) {
      const orderLines = await tx.selectFrom('order_lines').select(['line_no', 'variant_id']).where('tenant_id', '=', input.tenantId).where('order_id', '=', request.order_id).execute();
      for (const l of lines) {
        const variantId = orderLines.find((x) => x.line_no === l.lineNo)?.variant_id;
        if (!variantId) continue;
        await tx.updateTable('product_variants').set({ stock_on_hand: sql`stock_on_hand + ${l.quantity}` }).where('tenant_id', '=', input.tenantId).where('id', '=', variantId).execute();
        await tx
          .insertInto('stock_adjustments')
          .values({ tenant_id: input.tenantId, variant_id: variantId, delta: l.quantity, reason: 'return', note: `返品 ${order.order_number}`, actor_id: input.actor.type === 'staff' ? (input.actor.id ?? null) : null })
          .execute();
      }
    }
  }
  await tx
    .updateTable('returns')
    .set({ status: input.approve ? 'approved' : 'refused', decided_by: input.actor.id ?? null, decided_at: new Date(), decision_note: note })
    .where('tenant_id', '=', input.tenantId)
    .where('id', '=', request.id)
    .execute();
  await auditOrderAction(tx, input.actor, input.approve ? 'order.request_approved' : 'order.request_refused', order.order_number, { returnId: request.id, kind: request.kind, lines, restock: input.restock ?? false }, note);
  // The refund is opened with the decision, so an approval can never be left without one.
  let refund: Refund | null = null;
  if (input.approve && request.kind === 'return') refund = await openReturnRefund(tx, { tenantId: input.tenantId, returnId: request.id, actor: input.actor });
  if (input.approve && request.kind === 'cancellation') refund = await openCancellationRefund(tx, { tenantId: input.tenantId, orderId: request.order_id, returnId: request.id, actor: input.actor });
  // An approved cancellation is announced by the state machine's cancellation mail.
  if (!(request.kind === 'cancellation' && input.approve)) await queueDecisionMail(tx, input.tenantId, request.id, refund);
  return { kind: request.kind, orderId: request.order_id, approved: input.approve, refund };
}

function refundSentence(refund: Refund | null): string {
  if (!refund) return '';
  const amount = `${refund.amount_yen.toLocaleString('ja-JP')}円`;
  switch (refund.method) {
    case 'card':
      return `返品分 ${amount}（税込）はご利用のカードへ返金いたします。カード会社によりご利用明細への反映に時間がかかる場合があります。`;
    case 'bank_transfer':
    case 'cod':
      return `返品分 ${amount}（税込）は銀行振込で返金いたします。返金先の口座をショップよりお伺いします。`;
    case 'statement_credit':
      return `返品分 ${amount}（税込）は次回の締め請求書で差し引きます（掛け払い）。`;
  }
}

async function queueDecisionMail(tx: Tx, tenantId: string, returnId: string, refund: Refund | null): Promise<void> {
  const r = await tx.selectFrom('returns').selectAll().where('tenant_id', '=', tenantId).where('id', '=', returnId).executeTakeFirstOrThrow();
  const order = await tx.selectFrom('orders').select(['order_number', 'is_synthetic']).where('tenant_id', '=', tenantId).where('id', '=', r.order_id).executeTakeFirstOrThrow();
  const user = await tx.selectFrom('salon_users').select(['email', 'display_name', 'is_synthetic']).where('id', '=', r.requested_by).executeTakeFirst();
  if (!user || user.is_synthetic || order.is_synthetic) return;
  const shop = await tx.selectFrom('tenants').select(['display_name', 'company_name']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  const what = r.kind === 'cancellation' ? 'キャンセル' : '返品';
  const approved = r.status === 'approved';
  const text = [
    `${user.display_name} 様`,
    '',
    `ご注文（注文番号 ${order.order_number}）の${what}のお申し出について、${approved ? '承認いたしました' : '誠に恐れ入りますがお受けできませんでした'}。`,
    r.decision_note ? `ショップより: ${r.decision_note}` : '',
    approved && r.kind === 'return' ? '返品の送付方法はショップよりご連絡いたします。返還インボイスは注文履歴からダウンロードいただけます。' : '',
    approved ? refundSentence(refund) : '',
    '',
    shop.company_name,
  ];
  await queueMail(tx, {
    tenantId,
    to: user.email,
    subject: `【${shop.display_name}】${what}のお申し出について（注文番号 ${order.order_number}）`,
    text: text.filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
  });
}
