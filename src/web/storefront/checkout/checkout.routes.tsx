import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Buyer } from '../../../domains/cart/buyer.ts';
import { loadCart } from '../../../domains/cart/cart.service.ts';
import { type CheckoutFormValues, checkoutValues } from '../../../domains/checkout/checkout.schema.ts';
import {
  type CheckoutDraft,
  deliveryDateOptions,
  listOwnLocations,
  MEMBERSHIP_LOCK_PRELOAD,
  newIdempotencyKey,
  placeOrder,
  prepareCheckout,
} from '../../../domains/checkout/checkout.service.ts';
import { offeredPaymentMethods } from '../../../domains/checkout/payment-methods.ts';
import { preloadedShopSettings, SHOP_SETTINGS_PRELOAD, type ShopSettings } from '../../../domains/orders/shop-settings.ts';
import { NotFoundError, ValidationError } from '../../../domains/shared/domain-error.ts';
import type { Tenant, TenantLegal } from '../../../platform/db/schema.ts';
import type { Tx } from '../../../platform/db/tenant-scope.ts';
import type { Platform } from '../../../platform/http/platform.ts';
import { inShop as inShopScope, type ShopScope } from '../../../platform/http/request-scope.ts';
import { requireShopBuyer } from '../cart/shop-buyer.ts';
import { CheckoutCompletePage } from './checkout-complete.view.tsx';
import { CheckoutConfirmPage } from './checkout-confirm.view.tsx';
import { CheckoutFormPage } from './checkout-form.view.tsx';

/**
 * Checkout (protected pages 'checkout' and 'checkout-confirm'): the form, the final confirmation
 * with every 特定商取引法 item, and one "注文を確定する" POST that places the order once per
 * idempotency key. Prices are never read from the POST: the confirmed total only detects change.
 */

async function formData(tx: Tx, buyer: Buyer, settings: ShopSettings, now: Date) {
  const cart = await loadCart(tx, buyer);
  const locations = await listOwnLocations(tx, buyer.accountId);
  const methods = await offeredPaymentMethods({ tx, settings, buyer, amountInclTax: cart.tax.total, now });
  return {
    cart,
    locations,
    dateOptions: deliveryDateOptions(settings, now),
    methods: methods.map((m) => ({ id: m.plugin.id, label: m.plugin.label, available: m.availability.available, reason: m.availability.available ? null : m.availability.reason })),
  };
}

type FormData = Awaited<ReturnType<typeof formData>>;

function legalOf(tenant: Tenant): TenantLegal {
  return (typeof tenant.legal === 'string' ? JSON.parse(tenant.legal) : tenant.legal) as TenantLegal;
}

// Every checkout page needs the shop's settings: read in the request's setup round trip.
const inShop = <T,>(platform: Platform, request: FastifyRequest, fn: (scope: ShopScope) => Promise<T>, preload = SHOP_SETTINGS_PRELOAD) =>
  inShopScope(platform, request, fn, preload);
// Placement also takes the buyer's membership lock there (placeOrder's first step).
const PLACEMENT_PRELOAD = `${SHOP_SETTINGS_PRELOAD},\n${MEMBERSHIP_LOCK_PRELOAD}`;
const settingsOf = (scope: ShopScope) => preloadedShopSettings(scope.preloaded, scope.tenant.id);

export function checkoutRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  const renderForm = (request: FastifyRequest, reply: FastifyReply, d: { tenant: Tenant; nav: Parameters<typeof CheckoutFormPage>[0]['nav']; data: FormData; values: CheckoutFormValues; errors: Record<string, string>; message?: string; status?: number }) =>
    reply.page(
      <CheckoutFormPage
        tenant={d.tenant}
        base={request.shopBase}
        stylesheetUrl={stylesheetUrl()}
        nav={d.nav}
        csrfToken={request.csrfToken()}
        values={d.values}
        errors={d.errors}
        message={d.message}
        {...d.data}
      />,
      { page: 'checkout', scripts: ['postal-fill'], status: d.status },
    );

  const renderConfirm = (request: FastifyRequest, reply: FastifyReply, d: { tenant: Tenant; nav: Parameters<typeof CheckoutFormPage>[0]['nav']; draft: CheckoutDraft; cancellationTerms: string; values: CheckoutFormValues; key: string; messages: string[]; status?: number }) =>
    reply.page(
      <CheckoutConfirmPage
        tenant={d.tenant}
        legal={legalOf(d.tenant)}
        cancellationTerms={d.cancellationTerms}
        base={request.shopBase}
        stylesheetUrl={stylesheetUrl()}
        nav={d.nav}
        csrfToken={request.csrfToken()}
        draft={d.draft}
        values={d.values}
        idempotencyKey={d.key}
        messages={d.messages}
      />,
      { page: 'checkout-confirm', status: d.status },
    );

  app.get('/checkout', async (request, reply) => {
    const now = new Date();
    const result = await inShop(platform, request, async (scope) => {
      const { buyer, nav } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      const data = await formData(scope.tx, buyer, settingsOf(scope), now);
      const preferred = data.methods.find((m) => m.available)?.id ?? '';
      return { tenant: scope.tenant, nav, data, preferred };
    });
    if (result.data.cart.lines.length === 0) return reply.redirect(`${request.shopBase}/cart`, 303);
    const values = checkoutValues({ paymentMethod: result.preferred });
    return renderForm(request, reply, { ...result, values, errors: {} });
  });

  app.post('/checkout/edit', async (request, reply) => {
    const values = checkoutValues(request.body);
    const result = await inShop(platform, request, async (scope) => {
      const { buyer, nav } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      return { tenant: scope.tenant, nav, data: await formData(scope.tx, buyer, settingsOf(scope), new Date()) };
    });
    return renderForm(request, reply, { ...result, values, errors: {} });
  });

  app.post('/checkout', async (request, reply) => {
    const values = checkoutValues(request.body);
    const now = new Date();
    const result = await inShop(platform, request, async (scope) => {
      const { buyer, nav } = await requireShopBuyer(platform, scope, request, { canOrder: true });
      const settings = settingsOf(scope);
      try {
        const draft = await prepareCheckout(scope.tx, buyer, settings, values, now);
        return { kind: 'confirm' as const, tenant: scope.tenant, nav, draft, cancellationTerms: settings.cancellationTerms };
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return { kind: 'form' as const, tenant: scope.tenant, nav, errors: { ...err.fieldErrors }, message: err.message, data: await formData(scope.tx, buyer, settingsOf(scope), now) };
      }
    });
    if (result.kind === 'form') return renderForm(request, reply, { ...result, values, status: 422 });
    return renderConfirm(request, reply, { ...result, values, key: newIdempotencyKey(), messages: [] });
  });

  app.post('/checkout/place', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = checkoutValues(body);
    const key = typeof body.idempotencyKey === 'string' ? body.idempotencyKey.slice(0, 120) : '';
    const confirmedTotal = Number(typeof body.confirmedTotal === 'string' && /^\d{1,10}$/.test(body.confirmedTotal) ? body.confirmedTotal : -1);
    const now = new Date();
    const result = await inShop(
      platform,
      request,
      async (scope) => {
        const { buyer, nav } = await requireShopBuyer(platform, scope, request, { canOrder: true });
        const settings = settingsOf(scope);
        const membershipLocked = scope.preloaded.locked_membership_id === buyer.membershipId;
        const outcome = await placeOrder(scope.tx, { buyer, settings, form: values, idempotencyKey: key, confirmedTotalInclTax: confirmedTotal, clientIp: request.ip, now, shop: scope.tenant, membershipLocked });
        const data = outcome.kind === 'changed' && !outcome.draft ? await formData(scope.tx, buyer, settings, now) : null;
        return { outcome, tenant: scope.tenant, nav, cancellationTerms: settings.cancellationTerms, data };
      },
      PLACEMENT_PRELOAD,
    );
    const { outcome } = result;
    if (outcome.kind === 'placed' && outcome.next.kind === 'redirect') {
      // A payment method's next step is a path inside the shop (e.g. /payment/<id>).
      const url = outcome.next.url.startsWith('/') ? `${request.shopBase}${outcome.next.url}` : outcome.next.url;
      return reply.redirect(url, 303);
    }
    if (outcome.kind === 'placed' || outcome.kind === 'existing') {
      return reply.redirect(`${request.shopBase}/checkout/complete/${encodeURIComponent(outcome.orderNumber)}`, 303);
    }
    if (outcome.draft) {
      return renderConfirm(request, reply, { ...result, draft: outcome.draft, values, key, messages: outcome.messages, status: 409 });
    }
    return renderForm(request, reply, { tenant: result.tenant, nav: result.nav, data: result.data!, values, errors: {}, message: outcome.messages.join(' '), status: 422 });
  });

  app.get('/checkout/complete/:orderNumber', async (request, reply) => {
    const orderNumber = (request.params as { orderNumber: string }).orderNumber;
    const result = await inShop(platform, request, async (scope) => {
      // The member gate comes first: a closed shop answers every non-member the same way.
      const { buyer, nav } = await requireShopBuyer(platform, scope, request);
      if (!/^[A-Z0-9-]{6,20}$/.test(orderNumber)) throw new NotFoundError('注文が見つかりません。');
      const order = await scope.tx
        .selectFrom('orders')
        .select(['order_number', 'payment_method', 'total_incl_tax', 'transfer_reference', 'payment_due_date'])
        .where('tenant_id', '=', scope.tenant.id)
        .where('account_id', '=', buyer.accountId)
        .where('order_number', '=', orderNumber)
        .executeTakeFirst();
      if (!order) throw new NotFoundError('注文が見つかりません。');
      const settings = settingsOf(scope);
      return { tenant: scope.tenant, nav, order, email: buyer.email, bank: settings.bankAccount };
    });
    const o = result.order;
    return reply.page(
      <CheckoutCompletePage
        tenant={result.tenant}
        base={request.shopBase}
        stylesheetUrl={stylesheetUrl()}
        nav={result.nav}
        bank={result.bank}
        order={{
          orderNumber: o.order_number,
          paymentMethod: o.payment_method,
          totalInclTax: o.total_incl_tax,
          transferReference: o.transfer_reference,
          paymentDueDate: o.payment_due_date ? String(o.payment_due_date) : null,
          email: result.email,
        }}
      />,
      { page: 'checkout-complete' },
    );
  });
}
