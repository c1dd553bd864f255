import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import { isProtectedPage } from './protected-pages.ts';
import { type RaisedSecurityEvent, raiseSecurityEvent } from './security-events.service.ts';

/**
 * The protected pages' own integrity check (static/js/page-integrity.js): on load, the buyer's
 * browser asks for its page's headers again and looks at what it received — the CSP header as the
 * network delivered it, CSPs in <meta>, the scripts in the document — and reports only when
 * something is off. A CSP dropped or weakened on the way (a tampered process, a proxy, a setting)
 * sends no CSP report at all: this is the browser-side signal for it, within a second of the load.
 *
 * The server judges the reported facts itself; the script's own verdict only decides whether to
 * send. Like a CSP report, a report can be forged by anyone who can load a page; it is rate-limited
 * and attributed (session, address), and a critical one stops cards until an officer lifts it.
 */

const MAX_TEXT = 4000;

export const pageIntegrityReportSchema = z.object({
  url: z.string().max(2000),
  status: z.number().int().min(0).max(999),
  headerCsp: z.string().max(MAX_TEXT).nullable(),
  metaCsp: z.array(z.string().max(MAX_TEXT)).max(10),
  scripts: z.array(z.string().max(2000)).max(100),
  /** Scripts and stylesheets whose bytes did not hash to what the signed build says (SHA-256, hex). */
  assets: z
    .array(z.object({ url: z.string().max(300), expected: z.string().regex(/^[0-9a-f]{64}$/), actual: z.string().regex(/^[0-9a-f]{64}$/) }))
    .max(20)
    .default([]),
});

export type PageIntegrityReport = z.infer<typeof pageIntegrityReportSchema>;

export interface IntegrityFinding {
  kind: string;
  summary: string;
}

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** Oroshi's pages admit scripts by hash only: any other source in script-src is a weakening. */
const HASH_OR_NONE = /^'(sha(256|384|512)-[A-Za-z0-9+/=_-]+|none)'$/;

function cspFindings(csp: string): IntegrityFinding[] {
  const found: IntegrityFinding[] = [];
  const d = directives(csp);
  const scriptSrc = d.get('script-src') ?? d.get('default-src');
  if (!scriptSrc) found.push({ kind: 'integrity.csp-weakened', summary: 'CSP にスクリプトの制限（script-src）がありません' });
  else {
    const loose = scriptSrc.filter((token) => !HASH_OR_NONE.test(token));
    if (loose.length) found.push({ kind: 'integrity.csp-weakened', summary: `CSP の script-src が弱められています: ${loose.slice(0, 5).join(' ')}` });
  }
  for (const name of ['script-src-elem', 'script-src-attr']) {
    const extra = d.get(name);
    if (extra?.some((token) => !HASH_OR_NONE.test(token))) found.push({ kind: 'integrity.csp-weakened', summary: `CSP の ${name} が弱められています` });
  }
  if (!d.has('require-trusted-types-for')) found.push({ kind: 'integrity.csp-weakened', summary: 'CSP から Trusted Types の要求が外されています' });
  if (!d.has('report-uri')) found.push({ kind: 'integrity.csp-unreported', summary: 'CSP に違反の報告先（report-uri）がありません' });
  return found;
}

/** The server's own references: the approved scripts' URLs, and the signed build's SHA-256 of a served asset URL. */
export interface IntegrityReferences {
  approvedScriptPaths: ReadonlySet<string>;
  signedHashOf: (assetUrl: string) => string | undefined;
}

/** What is wrong with the page as the browser received it (empty: nothing). */
export function judgePageIntegrity(report: PageIntegrityReport, references: IntegrityReferences): IntegrityFinding[] {
  const { approvedScriptPaths } = references;
  const found: IntegrityFinding[] = [];
  // A redirect or an error page on the second request says nothing about the first one's headers.
  if (report.status >= 200 && report.status < 300) {
    if (report.headerCsp === null || report.headerCsp.trim() === '') found.push({ kind: 'integrity.csp-missing', summary: 'ページに CSP ヘッダーがありません' });
    else found.push(...cspFindings(report.headerCsp));
  }
  if (report.metaCsp.length) found.push({ kind: 'integrity.csp-meta', summary: `CSP が <meta> で配信されています（${report.metaCsp.length} 件）` });
  let pageOrigin: string | null = null;
  try {
    pageOrigin = new URL(report.url).origin;
  } catch {
    pageOrigin = null;
  }
  for (const script of report.scripts) {
    if (script === 'inline') {
      found.push({ kind: 'integrity.script-inline', summary: 'ページにインラインスクリプトがあります' });
      continue;
    }
    let url: URL;
    try {
      url = new URL(script);
    } catch {
      found.push({ kind: 'integrity.script-unlisted', summary: 'ページに読み取れないスクリプトがあります' });
      continue;
    }
    if (url.origin !== pageOrigin) found.push({ kind: 'integrity.script-foreign', summary: `ページに他のオリジンのスクリプトがあります: ${url.origin}` });
    else if (!approvedScriptPaths.has(url.pathname)) found.push({ kind: 'integrity.script-unlisted', summary: `ページにスクリプト台帳にないスクリプトがあります: ${url.pathname.slice(0, 200)}` });
  }
  // The browser's hash is judged against the server's own copy of the signed value, not the one it was sent.
  for (const asset of report.assets) {
    const signed = references.signedHashOf(asset.url);
    if (signed && signed !== asset.actual) found.push({ kind: 'integrity.asset-unsigned', summary: `配信されたファイルが署名済みビルドと一致しません: ${asset.url.slice(0, 200)}` });
  }
  // One finding per kind: the event is the problem, not each of its symptoms.
  return [...new Map(found.map((f) => [f.kind, f])).values()];
}

export interface PageIntegrityContext {
  tenantId: string | null;
  page: string;
  sessionId: string | null;
  principalId: string | null;
  userAgent: string;
  clientIp: string;
}

/** One event per finding: critical on a protected page (stops cards for the shop), a warning elsewhere. */
export async function raisePageIntegrityEvents(
  database: Database,
  report: PageIntegrityReport,
  findings: readonly IntegrityFinding[],
  ctx: PageIntegrityContext,
): Promise<RaisedSecurityEvent[]> {
  const severity = isProtectedPage(ctx.page) ? 'critical' : 'warning';
  const raised: RaisedSecurityEvent[] = [];
  for (const finding of findings) {
    raised.push(
      await raiseSecurityEvent(database, {
        tenantId: ctx.tenantId,
        layer: 'browser_integrity',
        severity,
        kind: finding.kind,
        page: ctx.page,
        summary: `${finding.summary}（${ctx.page}、購入者のブラウザーが受け取ったページ）`,
        fingerprint: `integrity:${ctx.page}:${finding.kind}`,
        sessionId: ctx.sessionId,
        principalId: ctx.principalId,
        evidence: [{ kind: 'page-integrity-report', data: { ...report, page: ctx.page, user_agent: ctx.userAgent.slice(0, 300), client_ip: ctx.clientIp, session_id: ctx.sessionId } }],
      }),
    );
  }
  return raised;
}
