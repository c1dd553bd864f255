import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';

// Any element: the page's root component decides its own props.
// biome-ignore lint/suspicious/noExplicitAny: a vnode's props type is its component's business
type AnyVNode = VNode<any>;

import { isProtectedPage } from '../../domains/security/protected-pages.ts';
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

/**
 * Scripts a page declared, each one approved in the inventory for that page (anything else fails
 * the page), and on a protected page the integrity check after them. A check whose file failed
 * its hash at boot is left out rather than failing every protected page: the boot logged it and
 * the verifier and the monitor report the changed file.
 */
export function approvedScriptsFor(platform: Platform, page: string, ids: readonly ScriptId[]): ApprovedScript[] {
  const declared = ids.map((id) => {
    const script = platform.scripts.get(id);
    if (script?.pages.includes(page)) return script;
    throw new UninventoriedScriptError(`${id} on page ${page}`);
  });
  const integrity = isProtectedPage(page) ? platform.scripts.get('page-integrity') : undefined;
  return integrity ? [...declared, integrity] : declared;
}

export function pageIntegrityReportUri(request: FastifyRequest, page: string): string {
  return `${request.shopBase}/hooks/page-integrity?page=${encodeURIComponent(page)}`;
}

// Per (assets, signed hashes) pair: a process swaps neither after boot, a test may.
const attestationCache = new WeakMap<object, WeakMap<object, string>>();

/**
 * `url=sha256` for every script and stylesheet this process serves, with the SHA-256 the signed
 * build manifest has for its file: the integrity check hashes what it received and compares. Empty
 * until the manifest is verified or signed.
 */
export function signedAssetAttestations(platform: Pick<Platform, 'assets' | 'signedAssetHashes'>): string {
  const hashes = platform.signedAssetHashes;
  if (!hashes) return '';
  let byHashes = attestationCache.get(platform.assets);
  if (!byHashes) {
    byHashes = new WeakMap();
    attestationCache.set(platform.assets, byHashes);
  }
  let value = byHashes.get(hashes);
  if (value === undefined) {
    value = platform.assets
      .all()
      .filter((a) => /\.(js|css)$/.test(a.logicalPath) && hashes.has(a.logicalPath))
      .map((a) => `${a.url}=${hashes.get(a.logicalPath)}`)
      .join(' ');
    byHashes.set(hashes, value);
  }
  return value;
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
  const integrityReport = scripts.some((s) => s.id === 'page-integrity') ? pageIntegrityReportUri(request, options.page) : null;
  const attestations = integrityReport ? signedAssetAttestations(platform) : '';
  const meta: Record<string, string> = integrityReport ? { 'oroshi-integrity-report': integrityReport } : {};
  if (attestations) meta['oroshi-integrity-assets'] = attestations;
  const html = renderDocument(node, scripts, meta);
  const status = options.status ?? 200;
  try {
    // A HEAD is the integrity check asking for the headers again, not a load of the page.
    if (request.method !== 'HEAD') pageSentListeners.get(platform)?.(request, options.page, status);
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
