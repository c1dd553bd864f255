import type { FastifyInstance } from 'fastify';
import { listShopStandings } from '../../domains/accounts/membership.service.ts';
import { listLocations } from '../../domains/accounts/salon-locations.service.ts';
import { getSalonProfile } from '../../domains/accounts/salon-profile.service.ts';
import { listSalonUsers } from '../../domains/accounts/salon-users.service.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { AccountHomePage } from './account-home.view.tsx';
import { inSalonAccount } from './account-scope.ts';
import { locationsRoutes } from './locations.routes.tsx';
import { profileRoutes } from './profile.routes.tsx';
import { securityRoutes } from './security.routes.tsx';
import { shopEntryUrl, shopsRoutes } from './shops.routes.tsx';
import { usersRoutes } from './users.routes.tsx';

/** The salon account on the platform origin (`/account/…`; sign-in and sign-up live in ./auth). */
export function accountRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/account', async (request, reply) => {
    const data = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => ({
      principal,
      profile: await getSalonProfile(tx, principal.accountId),
      shops: await listShopStandings(tx, principal.accountId),
      locations: await listLocations(tx, principal.accountId),
      users: await listSalonUsers(tx, principal.accountId),
    }));
    return reply.page(
      <AccountHomePage
        stylesheetUrl={platform.assets.url('css/app.css')}
        userName={data.principal.displayName}
        profile={data.profile}
        shops={data.shops.map((s) => ({ ...s, enterUrl: shopEntryUrl(platform.config, s) }))}
        locationCount={data.locations.length}
        userCount={data.users.length}
      />,
      { page: 'account-home' },
    );
  });
  profileRoutes(app, platform);
  shopsRoutes(app, platform);
  usersRoutes(app, platform);
  locationsRoutes(app, platform);
  securityRoutes(app, platform);
}
