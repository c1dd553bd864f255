import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';

// Any element: the page's root component decides its own props.
// biome-ignore lint/suspicious/noExplicitAny: a vnode's props type is its component's business
type AnyVNode = VNode<any>;

import { renderDocument, UninventoriedScriptError } from '../views/render-page.ts';
import type { Platform } from './platform.ts';
import type { ApprovedScript, ScriptId } from './script-inventory.ts';
import { contentSecurityPolicy } from './security-headers.ts';

export interface PageOptions {
  /** Stable page id, used in CSP reports and the monitor's baselines (e.g. 'checkout', 'sign-in'). */
  page: string;
  scripts?: readonly ScriptId[];
  formActionOrigins?: readonly string[];
  status?: number;
}

/** Scripts a page declared, each one approved in the inventory; anything else fails the page. */
export function approvedScriptsFor(platform: Platform, page: string, ids: readonly ScriptId[]): ApprovedScript[] {
  return ids.map((id) => {
    const script = platform.scripts.get(id);
    if (script?.pages.includes(page)) return script;
    throw new UninventoriedScriptError(`${id} on page ${page}`);
  });
}

/** Called after a page is rendered (never throws into the reply; keep it cheap: no I/O). */
export type PageSentListener = (request: FastifyRequest, page: string, status: number) => void;

// Per platform, so two apps in one process (tests) never see each other's pages.
const pageSentListeners = new WeakMap<Platform, PageSentListener>();

/** Registered once at boot: the incident scope's page-view recorder (domains/page-views). */
export function onPageSent(platform: Platform, listener: PageSentListener): void {
  pageSentListeners.set(platform, listener);
}

export function cspReportUri(request: FastifyRequest, page: string): string {
  return `${request.shopBase}/hooks/csp-report?page=${encodeURIComponent(page)}`;
}

export function sendPage(platform: Platform, request: FastifyRequest, reply: FastifyReply, node: AnyVNode, options: PageOptions): FastifyReply {
  const scripts = approvedScriptsFor(platform, options.page, options.scripts ?? []);
  const html = renderDocument(node, scripts);
  const status = options.status ?? 200;
  try {
    pageSentListeners.get(platform)?.(request, options.page, status);
  } catch (err) {
    request.log.error({ err, event: 'page_view.listener_failed' }, 'page view listener failed');
  }
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      contentSecurityPolicy({
        scripts,
        formActionOrigins: options.formActionOrigins,
        reportUri: cspReportUri(request, options.page),
        https: platform.config.secureCookies,
      }),
    )
    .send(html);
}
