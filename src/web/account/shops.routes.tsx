import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  acceptCustomerInvitation,
  applyToShop,
  invitationBindingMessage,
  invitationBindingOf,
  listShopStandings,
  MEMBERSHIP_LABELS,
  previewCustomerInvitation,
  type ShopStanding,
} from '../../domains/accounts/membership.service.ts';
import { DomainError, NotFoundError, ValidationError } from '../../domains/shared/domain-error.ts';
import type { Config } from '../../platform/config/config.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { shopHomeUrl } from '../../platform/http/shop-urls.ts';
import { CAN_EDIT, inSalonAccount } from './account-scope.ts';
import { InvitationPage, ShopsPage, type ShopsPageProps } from './shops.view.tsx';

/**
 * Where an approved salon enters a shop: on the shared development host the shop's path (same
 * cookie); with shop origins, the platform sign-in's handoff, which mints the shop-bound session.
 */
export function shopEntryUrl(config: Config, shop: { slug: string; customHost: string | null }): string {
  if (config.pathTenants || !config.BASE_DOMAIN) return shopHomeUrl(config, { slug: shop.slug, custom_host: shop.customHost });
  return `/account/sign-in?shop=${encodeURIComponent(shop.slug)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function shopsRoutes(app: FastifyInstance, platform: Platform) {
  const render = async (request: FastifyRequest, reply: FastifyReply, extra: Pick<ShopsPageProps, 'message'> & { status?: number } = {}) => {
    const query = request.query as { shop?: unknown };
    const data = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => {
      const profile = await tx.selectFrom('salon_accounts').select('verification_status').where('id', '=', principal.accountId).executeTakeFirstOrThrow();
      return { principal, profile, shops: await listShopStandings(tx, principal.accountId) };
    });
    return reply.page(
      <ShopsPage
        stylesheetUrl={platform.assets.url('css/app.css')}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        canApply={CAN_EDIT.includes(data.principal.role)}
        profileReady={data.profile.verification_status !== 'unsubmitted'}
        shops={data.shops.map((s: ShopStanding) => ({ ...s, enterUrl: shopEntryUrl(platform.config, s) }))}
        focusSlug={typeof query.shop === 'string' ? query.shop : undefined}
        message={extra.message}
      />,
      { page: 'account-shops', status: extra.status },
    );
  };

  app.get('/account/shops', (request, reply) => render(request, reply));

  app.post('/account/shops/:tenantId/apply', async (request, reply) => {
    const { tenantId } = request.params as { tenantId: string };
    if (!UUID.test(tenantId)) throw new NotFoundError('このショップは見つかりませんでした。');
    const body = (request.body ?? {}) as { consent?: string; note?: string };
    try {
      const outcome = await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) =>
        applyToShop(tx, { accountId: principal.accountId, userId: principal.userId, tenantId, consent: body.consent === 'yes', note: body.note }),
      );
      const message =
        outcome.outcome === 'applied'
          ? { tenantId, kind: 'ok' as const, text: '申請しました。ショップの審査結果はメールでお知らせします。' }
          : { tenantId, kind: 'info' as const, text: `このショップにはすでに申請済みです（現在の状況: ${MEMBERSHIP_LABELS[outcome.status]}）。` };
      return render(request, reply, { message });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const text = Object.values(error.fieldErrors).join(' ') || error.message;
      return render(request, reply, { message: { tenantId, kind: 'error', text }, status: 400 });
    }
  });

  // A shop's invitation to an existing customer: the salon signs in (or signs up), then accepts here.
  app.get('/account/invitations/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const principal = await inSalonAccount(platform, request, undefined, async ({ principal: p }) => p);
    const preview = await previewCustomerInvitation(platform.database, token);
    // Told before the form: an invitation is accepted only by the invited, verified address.
    const binding = await invitationBindingOf(platform.database, principal, preview.email);
    return reply.page(
      <InvitationPage
        stylesheetUrl={platform.assets.url('css/app.css')}
        csrfToken={request.csrfToken()}
        userName={principal.displayName}
        token={token}
        preview={preview}
        blocked={binding === 'ok' ? undefined : invitationBindingMessage(binding, preview.email)}
      />,
      { page: 'account-invitation' },
    );
  });

  app.post('/account/invitations/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const body = (request.body ?? {}) as { consent?: string };
    const principal = await inSalonAccount(platform, request, CAN_EDIT, async ({ principal: p }) => p);
    try {
      const accepted = await acceptCustomerInvitation(platform.database, {
        token,
        accountId: principal.accountId,
        userId: principal.userId,
        consent: body.consent === 'yes',
        ip: request.ip,
        requestId: String(request.id),
      });
      return reply.redirect(`/account/shops?shop=${encodeURIComponent(accepted.shopSlug)}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation_failed', 'conflict', 'forbidden'].includes(error.code)) throw error;
      const preview = await previewCustomerInvitation(platform.database, token);
      const message = error instanceof ValidationError ? (Object.values(error.fieldErrors)[0] ?? error.message) : error.message;
      const status = error.code === 'validation_failed' ? 400 : error.code === 'forbidden' ? 403 : 409;
      return reply.page(
        <InvitationPage
          stylesheetUrl={platform.assets.url('css/app.css')}
          csrfToken={request.csrfToken()}
          userName={principal.displayName}
          token={token}
          preview={preview}
          error={error.code === 'forbidden' ? undefined : message}
          blocked={error.code === 'forbidden' ? message : undefined}
        />,
        { page: 'account-invitation', status },
      );
    }
  });
}
