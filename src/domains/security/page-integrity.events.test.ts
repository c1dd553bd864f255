import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../platform/http/security-headers.ts';
import { judgePageIntegrity, type PageIntegrityReport } from './page-integrity.events.ts';

const SCRIPT = { id: 'page-integrity' as const, file: 'js/page-integrity.js', purpose: '', owner: '', pages: [], sha384: 'sha384-abc', url: '/assets/js/page-integrity.1234.js' };
const SERVED_CSP = contentSecurityPolicy({ scripts: [SCRIPT], reportUri: '/s/shop/hooks/csp-report?page=checkout', https: false });
const SIGNED = 'a'.repeat(64);
const REFERENCES = { approvedScriptPaths: new Set([SCRIPT.url]), signedHashOf: (url: string) => (url === SCRIPT.url ? SIGNED : undefined) };

function report(overrides: Partial<PageIntegrityReport> = {}): PageIntegrityReport {
  return { url: 'http://localhost:3000/s/shop/checkout', status: 200, headerCsp: SERVED_CSP, metaCsp: [], scripts: [`http://localhost:3000${SCRIPT.url}`], assets: [], ...overrides };
}
const kinds = (r: PageIntegrityReport) => judgePageIntegrity(r, REFERENCES).map((f) => f.kind);

describe('page integrity judgement', () => {
  it('finds nothing wrong with the page as Oroshi serves it', () => {
    expect(kinds(report())).toEqual([]);
  });

  it('finds a CSP header that is gone, weakened, unreported or without Trusted Types', () => {
    expect(kinds(report({ headerCsp: null }))).toEqual(['integrity.csp-missing']);
    expect(kinds(report({ headerCsp: SERVED_CSP.replace(/script-src [^;]*/, "script-src 'self' 'unsafe-inline'") }))).toEqual(['integrity.csp-weakened']);
    expect(kinds(report({ headerCsp: SERVED_CSP.replace(/script-src [^;]*/, 'script-src https:') }))).toEqual(['integrity.csp-weakened']);
    expect(kinds(report({ headerCsp: SERVED_CSP.replace(/; report-uri [^;]*/, '') }))).toEqual(['integrity.csp-unreported']);
    expect(kinds(report({ headerCsp: SERVED_CSP.replace("require-trusted-types-for 'script'; ", '') }))).toEqual(['integrity.csp-weakened']);
    expect(kinds(report({ headerCsp: "default-src 'none'" }))).toEqual(['integrity.csp-weakened', 'integrity.csp-unreported']);
  });

  it('finds a CSP moved into <meta>, and scripts that are inline, foreign or not in the inventory', () => {
    expect(kinds(report({ metaCsp: ["script-src 'unsafe-inline'"] }))).toEqual(['integrity.csp-meta']);
    expect(kinds(report({ scripts: ['inline'] }))).toEqual(['integrity.script-inline']);
    expect(kinds(report({ scripts: ['https://cdn.evil.example/s.js'] }))).toEqual(['integrity.script-foreign']);
    expect(kinds(report({ scripts: ['http://localhost:3000/assets/js/other.js'] }))).toEqual(['integrity.script-unlisted']);
  });

  it('finds a script whose bytes differ from the signed build, judged against the server’s own signed value', () => {
    expect(kinds(report({ assets: [{ url: SCRIPT.url, expected: SIGNED, actual: 'b'.repeat(64) }] }))).toEqual(['integrity.asset-unsigned']);
    // A report claiming another expected value changes nothing: the server's reference decides.
    expect(kinds(report({ assets: [{ url: SCRIPT.url, expected: 'b'.repeat(64), actual: SIGNED }] }))).toEqual([]);
    // Nothing signed for the URL (no manifest yet): not judged.
    expect(kinds(report({ assets: [{ url: '/assets/js/unknown.js', expected: SIGNED, actual: 'b'.repeat(64) }] }))).toEqual([]);
  });

  it('does not judge headers of a second request that was redirected or refused', () => {
    expect(kinds(report({ status: 0, headerCsp: null }))).toEqual([]);
    expect(kinds(report({ status: 404, headerCsp: null }))).toEqual([]);
  });
});
