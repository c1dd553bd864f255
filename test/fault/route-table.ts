import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * The app's real route table, collected with an onRoute hook registered before the route modules
 * (as the closed-shop test does), so routes added later are covered without touching the tests.
 */
export function routeCollector(into: RouteOptions[]): (app: FastifyInstance) => void {
  return (app) => {
    app.addHook('onRoute', (route) => {
      into.push(route);
    });
  };
}

export function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
}

export type Audience = 'member' | 'salon' | 'staff' | 'operator' | 'anonymous';

/** Who may use a route: the audience whose session gets a request past the guard to the validator. */
export function audienceOf(url: string): Audience {
  if (url.startsWith('/s/:shop') || url.startsWith('/h/:host')) return 'member';
  if (url.startsWith('/admin/:shop') || url.startsWith('/admin/mfa') || url.startsWith('/admin/step-up') || url.startsWith('/admin/sign-out')) return 'staff';
  if (url.startsWith('/operator')) return 'operator';
  if (url.startsWith('/account')) return 'salon';
  return 'anonymous';
}

/** Fills :params with the values the test prepared (a real row where the route needs one), else a random UUID. */
export function concreteUrl(url: string, values: (route: string, param: string) => string | undefined): string {
  return url.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(values(url, name) ?? crypto.randomUUID())).replace(/\*$/, 'x');
}
