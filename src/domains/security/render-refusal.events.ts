import { createHash } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { type RaisedSecurityEvent, raiseSecurityEvent } from './security-events.service.ts';

export interface RenderRefusal {
  /** The shop whose page it was (request.tenantId), null on platform pages. */
  tenantId: string | null;
  /** The route pattern (request.routeOptions.url): stable across requests, unlike the URL. */
  route: string;
  /** The refused tag or script id, as the renderer reported it. */
  found: string;
  url: string;
  requestId: string;
}

/**
 * A page that tried to ship a script nobody approved (a tampered template, a stored text or a
 * setting smuggling one in) was refused by the renderer. The buyer got an error page, not the
 * script — but whatever put it there is still in place, so this is critical for the shop.
 */
export function raiseRenderRefusal(database: Database, refusal: RenderRefusal): Promise<RaisedSecurityEvent> {
  const found = refusal.found.slice(0, 500);
  const digest = createHash('sha256').update(found).digest('hex').slice(0, 16);
  return raiseSecurityEvent(database, {
    tenantId: refusal.tenantId,
    layer: 'render_refusal',
    severity: 'critical',
    kind: 'render.uninventoried-script',
    page: refusal.route.slice(0, 100),
    summary: `承認されていないスクリプトを含むページの配信を拒否しました（${refusal.route}）`,
    fingerprint: `render:${refusal.route}:${digest}`,
    evidence: [{ kind: 'refused-markup', data: { found, url: refusal.url.slice(0, 1000), requestId: refusal.requestId } }],
  });
}
