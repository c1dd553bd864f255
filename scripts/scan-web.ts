import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserSession } from '../test/fault/browser-session.ts';
import { freePort, type OroshiProcess, startOroshi } from '../test/fault/oroshi-process.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-credentials.ts';

/**
 * npm run scan:web (outside CI; scripts/scan-web.sh installs the tools). Two local instances on
 * their own embedded databases with the demo seeded: the real build (`src/main.ts`) and the
 * negative-control build (the same app plus one deliberately injectable route). sqlmap and wapiti
 * run against both with a signed-in salon member's session. Passes when the control's planted
 * route is found and the real build yields no finding; prints what each tool said.
 */

const SHOP = 'ayame-color';
const MEMBER = 'owner@lumiere-salon.example';
const SCAN_SECONDS = Number(process.env.SCAN_SECONDS ?? 240);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-scan-'));

async function start(name: string, entry: string, extra: Record<string, string> = {}): Promise<OroshiProcess> {
  const port = await freePort();
  const dataDir = path.join(work, name);
  process.stdout.write(`--- starting the ${name} build on :${port} (demo seed on an embedded database)\n`);
  return startOroshi({ PORT: String(port), DATA_DIR: dataDir, BASE_URL: `http://127.0.0.1:${port}`, SEED_DEMO: 'true', JOBS_ENABLED: 'false', ...extra }, { entry, readyTimeoutMs: 300_000 });
}

async function signedIn(base: string): Promise<BrowserSession> {
  const browser = new BrowserSession();
  const page = await browser.request(base, `/account/sign-in?shop=${SHOP}`);
  const res = await browser.request(base, '/account/sign-in', { form: { _csrf: BrowserSession.csrfToken(page.body), email: MEMBER, password: DEMO_PASSWORD, shop: SHOP } });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const handoff = new URL(res.location, base);
  await browser.request(base, `${handoff.pathname}${handoff.search}`);
  const front = await browser.request(base, `/s/${SHOP}/`);
  if (front.status !== 200) throw new Error(`the signed-in shop front answered ${front.status}`);
  return browser;
}

interface ToolResult {
  tool: string;
  target: string;
  findings: string[];
}

function sqlmap(target: string, cookie: string, outDir: string): ToolResult {
  const args = ['-u', target, '--batch', `--cookie=${cookie}`, '--level=1', '--risk=1', '--technique=BEU', '--output-dir', outDir, '--disable-coloring', '--flush-session', '--skip=_csrf', '--answers=follow=N'];
  const run = spawnSync('sqlmap', args, { encoding: 'utf8', timeout: SCAN_SECONDS * 1000, maxBuffer: 64 * 1024 * 1024 });
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const findings = out.includes('identified the following injection point')
    ? [...out.matchAll(/Parameter: ([^\n]+)\n(?:\s+Type: ([^\n]+)\n)?/g)].map((m) => `${m[1]} ${m[2] ?? ''}`.trim())
    : [];
  if (run.error) findings.push(`sqlmap did not finish: ${run.error.message}`);
  return { tool: 'sqlmap', target, findings };
}

// Debian's wapiti 3.0.4 crashes on Python 3.11 when given an exclusion (-x: its wildcard regex puts
// a global flag last), so nothing is excluded: the shop's sign-out form may end the session
// part-way, after which the crawl continues as an anonymous visitor.
function wapiti(start: string, cookie: string, report: string): ToolResult & { anomalies: string[] } {
  const args = ['-u', start, '--scope', 'folder', '-m', 'sql,xss,exec,file,crlf,redirect', '-d', '2', '--max-links-per-page', '15', '--max-scan-time', String(SCAN_SECONDS), '--flush-session', '-H', `Cookie: ${cookie}`, '-f', 'json', '-o', report];
  const run = spawnSync('wapiti', args, { encoding: 'utf8', timeout: (SCAN_SECONDS + 120) * 1000, maxBuffer: 64 * 1024 * 1024 });
  const findings: string[] = [];
  const anomalies: string[] = [];
  const crawled = /Wapiti found (\d+) URLs and forms/.exec(run.stdout ?? '')?.[1];
  process.stdout.write(`wapiti crawled ${crawled ?? '?'} URLs and forms from ${start}\n`);
  if (!fs.existsSync(report)) return { tool: 'wapiti', target: start, findings: [`wapiti wrote no report: ${(run.stderr ?? '').slice(-500)}`], anomalies };
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { vulnerabilities?: Record<string, { path: string; parameter?: string; info?: string }[]>; anomalies?: Record<string, { path: string; info?: string }[]> };
  for (const [kind, list] of Object.entries(json.vulnerabilities ?? {})) for (const v of list) findings.push(`${kind}: ${v.path} ${v.parameter ?? ''} — ${(v.info ?? '').slice(0, 160)}`);
  for (const [kind, list] of Object.entries(json.anomalies ?? {})) for (const v of list) anomalies.push(`${kind}: ${v.path} — ${(v.info ?? '').slice(0, 160)}`);
  return { tool: 'wapiti', target: start, findings, anomalies };
}

function print(label: string, results: (ToolResult & { anomalies?: string[] })[]): void {
  process.stdout.write(`\n=== ${label}\n`);
  for (const r of results) {
    process.stdout.write(`${r.tool} ${r.target}: ${r.findings.length ? `${r.findings.length} finding(s)` : 'nothing found'}\n`);
    for (const f of r.findings) process.stdout.write(`    ${f}\n`);
    for (const a of r.anomalies ?? []) process.stdout.write(`    anomaly ${a}\n`);
  }
}

let real: OroshiProcess | undefined;
let control: OroshiProcess | undefined;
let exitCode = 1;
try {
  [real, control] = await Promise.all([start('real', 'src/main.ts'), start('control', 'scripts/scan-negative-control.server.ts', { OROSHI_SCAN_NEGATIVE_CONTROL: '1' })]);

  const browser = await signedIn(real.url);
  const cookie = browser.cookieHeader();
  const front = await browser.request(real.url, `/s/${SHOP}/`);
  const category = /href="(\/s\/[^"/]+\/c\/[^"?]+)"/.exec(front.body)?.[1] ?? `/s/${SHOP}/c/x`;
  const product = /href="(\/s\/[^"/]+\/p\/[^"?]+)"/.exec(front.body)?.[1] ?? `/s/${SHOP}/p/x`;
  const realTargets = [
    `${real.url}/s/${SHOP}/search?q=shampoo&page=1`,
    `${real.url}${category}?page=1&sort=name`,
    `${real.url}${product}*`,
    `${real.url}/account/sign-in?shop=${SHOP}&next=%2Faccount`,
  ];
  const realResults: (ToolResult & { anomalies?: string[] })[] = realTargets.map((t) => sqlmap(t, cookie, path.join(work, 'sqlmap-real')));
  realResults.push(wapiti(`${real.url}/s/${SHOP}/`, cookie, path.join(work, 'wapiti-real.json')));

  const controlBrowser = await signedIn(control.url);
  const controlCookie = controlBrowser.cookieHeader();
  const controlResults: (ToolResult & { anomalies?: string[] })[] = [sqlmap(`${control.url}/scan-control/products?sku=STORM-01`, controlCookie, path.join(work, 'sqlmap-control'))];
  controlResults.push(wapiti(`${control.url}/scan-control/products?sku=x`, controlCookie, path.join(work, 'wapiti-control.json')));

  print('real build (must find nothing)', realResults);
  print('negative control (must find the planted route)', controlResults);
  const realClean = realResults.every((r) => r.findings.length === 0);
  const controlCaught = controlResults.every((r) => r.findings.some((f) => !f.startsWith('sqlmap did not finish') && !f.startsWith('wapiti wrote no report')));
  process.stdout.write(`\nreal build clean: ${realClean ? 'yes' : 'NO'} · planted route found by both tools: ${controlCaught ? 'yes' : 'NO'}\n`);
  exitCode = realClean && controlCaught ? 0 : 1;
} catch (err) {
  process.stderr.write(`scan:web failed: ${(err as Error).message}\n`);
} finally {
  await Promise.all([real?.stop(), control?.stop()]);
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
