import { z } from 'zod';
import type { Tx } from '../../platform/db/tenant-scope.ts';

/**
 * Browser violation reports (CSP and Trusted Types). Accepts the report-uri shape
 * (`{"csp-report": {...}}`) and the Reporting API shape (`[{type, url, body}]`), keeps only known
 * fields, bounded in length, and stores them attributed to shop, page and session.
 */

const str = (max: number) => z.string().max(4096).transform((v) => v.slice(0, max)).optional();
const int = z.coerce.number().int().min(0).max(10_000_000).optional();

const legacyReport = z.object({
  'csp-report': z.object({
    'document-uri': str(2000),
    'violated-directive': str(500),
    'effective-directive': str(200),
    'blocked-uri': str(2000),
    disposition: str(20),
    'source-file': str(2000),
    'line-number': int,
    'column-number': int,
    'script-sample': str(200),
  }),
});

const reportingApiReport = z
  .array(
    z.object({
      type: z.string().max(100),
      url: str(2000),
      body: z.object({
        documentURL: str(2000),
        blockedURL: str(2000),
        effectiveDirective: str(200),
        disposition: str(20),
        sourceFile: str(2000),
        lineNumber: int,
        columnNumber: int,
        sample: str(200),
      }),
    }),
  )
  .max(20);

export interface NormalizedCspReport {
  document_uri: string;
  blocked_uri: string;
  violated_directive: string;
  effective_directive: string;
  disposition: string;
  source_file: string;
  line_number: number | null;
  column_number: number | null;
  script_sample: string;
}

/** Returns the reports in a body, or null when it is not a violation report at all. */
export function parseCspReports(body: unknown): NormalizedCspReport[] | null {
  const legacy = legacyReport.safeParse(body);
  if (legacy.success) {
    const r = legacy.data['csp-report'];
    return [
      {
        document_uri: r['document-uri'] ?? '',
        blocked_uri: r['blocked-uri'] ?? '',
        violated_directive: r['violated-directive'] ?? '',
        effective_directive: r['effective-directive'] ?? r['violated-directive']?.split(' ')[0] ?? '',
        disposition: r.disposition ?? '',
        source_file: r['source-file'] ?? '',
        line_number: r['line-number'] ?? null,
        column_number: r['column-number'] ?? null,
        script_sample: r['script-sample'] ?? '',
      },
    ];
  }
  const modern = reportingApiReport.safeParse(body);
  if (modern.success) {
    const reports = modern.data.filter((r) => r.type === 'csp-violation');
    if (reports.length === 0) return null;
    return reports.map(({ url, body: b }) => ({
      document_uri: b.documentURL ?? url ?? '',
      blocked_uri: b.blockedURL ?? '',
      violated_directive: b.effectiveDirective ?? '',
      effective_directive: b.effectiveDirective ?? '',
      disposition: b.disposition ?? '',
      source_file: b.sourceFile ?? '',
      line_number: b.lineNumber ?? null,
      column_number: b.columnNumber ?? null,
      script_sample: b.sample ?? '',
    }));
  }
  return null;
}

export interface CspReportContext {
  tenantId: string | null;
  page: string;
  userAgent: string;
  clientIp: string;
  sessionId: string | null;
}

export async function storeCspReports(tx: Tx, reports: NormalizedCspReport[], ctx: CspReportContext): Promise<void> {
  await tx
    .insertInto('csp_reports')
    .values(
      reports.map((r) => ({
        ...r,
        tenant_id: ctx.tenantId,
        page: ctx.page,
        user_agent: ctx.userAgent.slice(0, 500),
        client_ip: ctx.clientIp,
        session_id: ctx.sessionId,
      })),
    )
    .execute();
}
