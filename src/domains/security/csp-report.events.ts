import type { Database } from '../../platform/db/database.ts';
import type { NormalizedCspReport } from './csp-report.service.ts';
import { isProtectedPage } from './protected-pages.ts';
import type { SecuritySeverity } from './security.tables.ts';
import { type RaisedSecurityEvent, raiseSecurityEvent, type SecurityEventInput } from './security-events.service.ts';

/**
 * Browser reports become security events. On a protected page, anything that looks like a
 * skimmer's move — a script the policy refused, a Trusted Types refusal, anything at all fetched
 * from or sent to a foreign host (Oroshi's pages load nothing from another origin: an image,
 * stylesheet or font from one is a beacon or a payload, catalogue 5 and 10) — is critical and
 * stops cards for the shop. The rest is a warning; on ordinary pages only script refusals are
 * warnings and the rest is information.
 */

const SCRIPT_DIRECTIVES = new Set(['script-src', 'script-src-elem', 'script-src-attr', 'worker-src', 'default-src']);
const TRUSTED_TYPES_DIRECTIVES = new Set(['require-trusted-types-for', 'trusted-types']);
const ALWAYS_CRITICAL_EXFILTRATION = new Set(['form-action', 'connect-src', 'navigate-to']);
/**
 * Origins the browser itself injects into pages it translates (Chrome's built-in translation):
 * a reader's own tool, not an attacker's, so a warning rather than a card stop.
 */
const BROWSER_FEATURE_ORIGINS = new Set(['https://translate.googleapis.com', 'https://translate.google.com', 'https://www.gstatic.com', 'https://fonts.gstatic.com']);

export interface CspEventClassification {
  layer: 'csp_report' | 'trusted_types';
  severity: SecuritySeverity;
  kind: string;
  blocked: string;
}

function originOf(uri: string): string | null {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:' ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/** What was blocked, reduced to something stable: an origin, or a keyword like inline/eval. */
function blockedOf(report: NormalizedCspReport): string {
  const origin = originOf(report.blocked_uri);
  if (origin) return origin;
  const keyword = report.blocked_uri.trim().toLowerCase();
  return /^[a-z-]{1,30}$/.test(keyword) ? keyword : 'other';
}

export function classifyCspReport(report: NormalizedCspReport, page: string): CspEventClassification {
  const directive = (report.effective_directive || report.violated_directive.split(' ')[0] || 'unknown').toLowerCase();
  const blocked = blockedOf(report);
  const layer = TRUSTED_TYPES_DIRECTIVES.has(directive) ? 'trusted_types' : 'csp_report';
  const kind = `csp.${directive.replace(/[^a-z0-9-]/g, '') || 'unknown'}`;
  // Browser extensions inject into every page they can; their reports name their own scheme.
  const fromExtension = /^(chrome|moz|safari(-web)?)-extension:/i.test(report.source_file) || /-extension$/.test(blocked);
  if (fromExtension) return { layer, severity: 'info', kind: `${kind}.extension`, blocked };
  const documentOrigin = originOf(report.document_uri);
  const foreign = blocked.includes('//') && blocked !== documentOrigin;
  let severity: SecuritySeverity;
  if (isProtectedPage(page)) {
    if (SCRIPT_DIRECTIVES.has(directive) || layer === 'trusted_types') severity = 'critical';
    else if (foreign && !BROWSER_FEATURE_ORIGINS.has(blocked)) severity = 'critical';
    else if (ALWAYS_CRITICAL_EXFILTRATION.has(directive) && blocked === 'other') severity = 'critical';
    else severity = 'warning';
  } else {
    severity = SCRIPT_DIRECTIVES.has(directive) || layer === 'trusted_types' || ALWAYS_CRITICAL_EXFILTRATION.has(directive) ? 'warning' : 'info';
  }
  return { layer, severity, kind, blocked };
}

const SEVERITY_LABEL: Record<SecuritySeverity, string> = { critical: '重大', warning: '警告', info: '情報' };

export interface CspEventContext {
  tenantId: string | null;
  page: string;
  sessionId: string | null;
  principalId: string | null;
  userAgent: string;
}

/** Raises (or counts) one event per distinct violation in a batch of reports. */
export async function raiseCspReportEvents(database: Database, reports: readonly NormalizedCspReport[], ctx: CspEventContext): Promise<RaisedSecurityEvent[]> {
  const byFingerprint = new Map<string, SecurityEventInput>();
  for (const report of reports) {
    const c = classifyCspReport(report, ctx.page);
    const fingerprint = `csp:${ctx.page}:${c.kind}:${c.blocked}`;
    const existing = byFingerprint.get(fingerprint);
    const evidence = { kind: 'csp-report', data: { ...report, page: ctx.page, user_agent: ctx.userAgent.slice(0, 300), session_id: ctx.sessionId } };
    if (existing) {
      (existing.evidence as { kind: string; data: Record<string, unknown> }[]).push(evidence);
      continue;
    }
    byFingerprint.set(fingerprint, {
      tenantId: ctx.tenantId,
      layer: c.layer,
      severity: c.severity,
      kind: c.kind,
      page: ctx.page,
      summary: `[${SEVERITY_LABEL[c.severity]}] ページ「${ctx.page}」でブラウザが ${c.kind.slice(4)} 違反を報告しました（ブロック対象: ${c.blocked}）`,
      fingerprint,
      sessionId: ctx.sessionId,
      principalId: ctx.principalId,
      evidence: [evidence],
    });
  }
  const raised: RaisedSecurityEvent[] = [];
  for (const input of byFingerprint.values()) raised.push(await raiseSecurityEvent(database, input));
  return raised;
}
