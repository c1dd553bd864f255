import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { createSession } from '../../domains/auth/session.service.ts';
import { getIncident } from '../../domains/incidents/incident.service.ts';
import { SYSTEM_ACTOR } from '../../domains/incidents/incident-actor.ts';
import { computeIncidentScope } from '../../domains/incidents/incident-scope.query.ts';
import { formatJst, formatJstInput } from '../../domains/incidents/jst.ts';
import { runMonitorWalk } from '../../monitor/monitor-walk.run.ts';
import { createPlatform, prepareDatabase } from '../../platform/boot.ts';
import { loadConfig } from '../../platform/config/config.ts';
import { openDatabaseFromConfig } from '../../platform/db/open-database.ts';
import { withIdentity } from '../../platform/db/tenant-scope.ts';
import { buildApp } from '../../platform/http/app.ts';
import { createLogger } from '../../platform/log/logger.ts';
import { ROUTES } from '../../web/routes.ts';
import { DEMO_PASSWORD } from '../demo-credentials.ts';
import { seedDemo } from '../seed-demo.ts';
import { seedReplayActivity } from './replay-activity.seed.ts';
import { ServerFiles, tamperedCheckout } from './replay-tamper.ts';

/**
 * npm run demo:incident — BRIEF's breach replayed on a fresh demo platform, in one run:
 *   1. six shops, and salons buying by card (and only opening the payment page) over the days
 *      the skimmer was live — 12, 6, 3, 33, 8 and 92 card payers as in the breach;
 *   2. the attacker changes the payment module on the server's disk; the restarted process sends
 *      a checkout that posts to a look-alike host and loads a skimmer;
 *   3. the browser monitor's walk and the build verifier catch it the way they run in production
 *      — card payments stop, an incident opens by itself with the evidence attached;
 *   4. the security officer walks the workbench over HTTP: the exposure windows from the forensic
 *      finding, the timeline, every document, the notices published, the CSVs and the signed
 *      evidence bundle — all written under DATA_DIR, each path printed.
 * Needs Chromium (the monitor is a real browser).
 */

const MONITOR_EMAIL = 'monitor@minase-shoji.example';
const OFFICER_EMAIL = 'security-officer@minase-shoji.example';
const TARGET_SHOP = 'kaoru-haircare';
const DAY = 86_400_000;

function fail(message: string, code = 1): never {
  process.stderr.write(`demo:incident: ${message}\n`);
  process.exit(code);
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) {
  fail(`Chromium not found at ${chromiumPath}: the browser monitor is a real browser. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`, 3);
}

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join('data', `incident-replay-${stamp}`));
if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) fail(`DATA_DIR ${dataDir} is not empty: the replay needs a fresh platform (leave DATA_DIR unset for a new folder).`, 2);
fs.mkdirSync(dataDir, { recursive: true });
const out = path.join(dataDir, 'incident-replay');
const step = (text: string) => process.stdout.write(`\n▶ ${text}\n`);
const t0 = Date.now();

const config = loadConfig({ APP_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', PORT: '0' });
const log = createLogger(config.LOG_LEVEL);
step(`fresh demo platform (PGlite) under ${dataDir}`);
const database = await openDatabaseFromConfig(config);
const apps: FastifyInstance[] = [];
try {
  await prepareDatabase(database, config, log);
  const platform = createPlatform(config, database, log);
  await seedDemo(database, platform.secrets, log);
  const shops = (await database.ownerExec(`SELECT id, slug, display_name FROM tenants WHERE status = 'active' ORDER BY sort_order, slug`)).rows as { id: string; slug: string; display_name: string }[];
  const target = shops.find((s) => s.slug === TARGET_SHOP) ?? fail(`demo shop ${TARGET_SHOP} missing`);

  // When each shop's exposure began (what the forensic investigation will find): the target first,
  // the other hosted shops a few days later, as in the breach.
  const now = new Date();
  const windowStart = new Map(shops.map((s, i) => [s.id, new Date(now.getTime() - (s.id === target.id ? 10 : 7 - (i % 3)) * DAY)]));
  const activity = await seedReplayActivity(database, shops, windowStart, now);
  process.stdout.write(`  ${activity.map((a) => `${a.slug}: ${a.payers} card payers, ${a.viewersOnly} page-view-only, ${a.before} before the window`).join('\n  ')}\n`);

  const listen = async (app: FastifyInstance) => {
    apps.push(app);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return address;
  };
  const clean = await buildApp(platform, ROUTES);
  const cleanUrl = await listen(clean);
  const monitorSettings = (url: string) => ({
    database,
    log,
    config: { BASE_DOMAIN: undefined, pathTenants: true, baseOrigin: url, CHROMIUM_PATH: chromiumPath, APP_ENV: 'development' as const },
    platformUrl: url,
    credentials: { email: MONITOR_EMAIL, password: DEMO_PASSWORD },
    sessions: new Map(),
    autoApproveFirstBaseline: true,
  });

  step(`the browser monitor walks ${target.display_name}'s checkout before the attack (its first walk becomes the approved baseline)`);
  const baseline = await runMonitorWalk(monitorSettings(cleanUrl), { tenantId: target.id, profile: 'desktop', reason: 'incident-replay' });
  if (baseline.error) fail(`baseline walk failed: ${baseline.error}`);
  process.stdout.write(`  walk ${baseline.walkId}: ${baseline.judgement?.outcome ?? 'recorded'} in ${baseline.durationMs} ms\n`);

  step('the attacker changes the payment module on the server; the restarted process sends a tampered checkout');
  const files = new ServerFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-replay-server-')));
  const changed = files.tamperPaymentModule();
  process.stdout.write(`  changed ${changed} (a signed copy of the server's files: the working tree is untouched)\n`);
  const attacked = await buildApp(createPlatform(config, database, log), [tamperedCheckout(TARGET_SHOP), ...ROUTES]);
  const attackedUrl = await listen(attacked);

  step('detection: the monitor walks the live checkout, the verifier checks the files');
  const walk = await runMonitorWalk(monitorSettings(attackedUrl), { tenantId: target.id, profile: 'desktop', reason: 'incident-replay' });
  process.stdout.write(`  monitor: ${walk.judgement?.outcome ?? walk.error} (${walk.judgement?.events.length ?? 0} event(s) raised)\n`);
  const pass = await files.verify(database);
  process.stdout.write(`  verifier: ${pass.problems} problem(s), ${pass.raised.length} event(s) raised\n`);
  fs.rmSync(files.root, { recursive: true, force: true });
  const events = (
    await database.ownerExec(`SELECT layer, severity, kind, summary, first_seen_at, contained_at, incident_id FROM security_events WHERE severity = 'critical' ORDER BY first_seen_at`)
  ).rows as { layer: string; kind: string; summary: string; first_seen_at: Date; contained_at: Date | null; incident_id: string | null }[];
  for (const e of events) process.stdout.write(`  ${e.layer} ${e.kind}: ${e.summary} · cards stopped ${e.contained_at ? formatJst(new Date(e.contained_at)) : 'no'}\n`);
  const incidentId = events.find((e) => e.incident_id)?.incident_id ?? fail('no incident was opened by the critical events');
  const containedAt = new Date(Math.max(...events.map((e) => new Date(e.contained_at ?? e.first_seen_at).getTime())));
  const cardStop = await database.ownerExec(`SELECT tenant_id, engaged FROM card_kill_switches WHERE engaged`);
  process.stdout.write(`  card payments stopped: ${cardStop.rows.map((r) => (r.tenant_id ? shops.find((s) => s.id === r.tenant_id)?.slug : 'all shops')).join(', ')}\n`);

  step('the security officer works the incident in the workbench (over HTTP, as in the browser)');
  const officer = (await database.ownerExec(`SELECT id FROM staff_users WHERE email = $1`, [OFFICER_EMAIL])).rows[0]?.id as string;
  const { token } = await withIdentity(database, { principalId: officer, audience: 'operator' }, (tx) => createSession(tx, { audience: 'operator', userId: officer, mfaVerified: true }));
  const session = `oroshi_session=${token}`;
  const base = `/operator/incidents/${incidentId}`;
  const page = await clean.inject({ method: 'GET', url: base, headers: { cookie: session } });
  if (page.statusCode !== 200) fail(`workbench answered ${page.statusCode}`);
  const csrfCookie = page.cookies.find((c) => c.name.endsWith('oroshi_csrf'))!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookies = `${session}; ${csrfCookie.name}=${csrfCookie.value}`;
  const post = async (url: string, payload: Record<string, string>) => {
    const res = await clean.inject({ method: 'POST', url, headers: { cookie: cookies }, payload: { _csrf: csrf, ...payload } });
    if (res.statusCode !== 303) fail(`POST ${url} answered ${res.statusCode}: ${/role="alert">([^<]*)/.exec(res.body)?.[1] ?? ''}`);
  };
  const get = async (url: string) => {
    const res = await clean.inject({ method: 'GET', url, headers: { cookie: cookies } });
    if (res.statusCode !== 200) fail(`GET ${url} answered ${res.statusCode}`);
    return res.rawPayload;
  };
  for (const shop of shops) {
    await post(`${base}/windows`, {
      tenantId: shop.id,
      start: formatJstInput(windowStart.get(shop.id)!),
      end: formatJstInput(containedAt),
      reason: 'フォレンジック調査: 改ざんされた決済モジュールが配信を始めた時刻から、カード決済を停止した時刻まで',
    });
  }
  await post(`${base}/details`, {
    status: 'investigating',
    summary: '当社が運営する卸売プラットフォームの決済処理に第三者による不正アクセスがあり、決済画面が改ざんされました。改ざん期間中にカード決済を行った、または決済画面を表示したお客様のカード情報が漏えいしたおそれがあります。',
    cause: 'サーバー上の決済モジュールが第三者により改ざんされ、決済画面から外部サイトへカード情報が送信される状態になっていました。',
    dataItems: ['カード名義人名', 'カード番号', '有効期限', 'セキュリティコード', '会社名・ご担当者名', 'メールアドレス'].join('\n'),
    secondaryDamage: 'カードの不正利用のおそれがあります。現時点で不正利用の報告は受けておりません。',
    prevention: '決済画面の全スクリプトの台帳管理とハッシュ固定、ブラウザー監視の常時実施、サーバーファイルの署名検証を行っています。',
    inquiryDesk: '個人情報お問い合わせ窓口 0120-000-000(平日10時〜17時)',
    preliminaryDays: '3',
    unauthorisedAccess: 'yes',
  });
  await post(`${base}/milestones`, { kind: 'forensic_started', at: formatJstInput(new Date(containedAt.getTime() + 1000)), note: '外部調査会社に依頼' });
  await post(`${base}/documents`, {});
  for (const shop of shops) await post(`${base}/documents/send`, { tenantId: shop.id, kind: 'public_notice' });

  step(`writing the results under ${out}`);
  fs.mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const write = (rel: string, body: Buffer | string) => {
    const file = path.join(out, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    written.push(file);
  };
  const view = await getIncident(database, SYSTEM_ACTOR, incidentId);
  const scopes = await computeIncidentScope(database, SYSTEM_ACTOR, view);
  const lines = ['| ショップ | 露出期間 (JST) | 通知対象の会員 | カード決済の会員 / 件数 | 決済画面の表示のみ | 住所なし |', '|---|---|---:|---:|---:|---:|'];
  let mismatch = false;
  for (const shop of view.shops) {
    const c = scopes.get(shop.tenantId)!.counts;
    const seeded = activity.find((a) => a.tenantId === shop.tenantId)!;
    if (c.cardPayers !== seeded.payers || c.pageViewOnly !== seeded.viewersOnly) mismatch = true;
    lines.push(`| ${shop.displayName} | ${formatJst(shop.windowStart)} 〜 ${formatJst(shop.windowEnd)} | ${c.members} | ${c.cardPayers} / ${c.cardAttempts} | ${c.pageViewOnly} | ${c.postalMissing} |`);
  }
  write('counts.md', `# ${view.incident.number} ${view.incident.title}\n\n${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const docs = (await database.ownerExec(`SELECT d.id, d.kind, d.tenant_id, d.file_name, d.storage_key FROM incident_documents d WHERE d.incident_id = $1 AND d.superseded_by IS NULL ORDER BY d.kind, d.file_name`, [incidentId])).rows as {
    id: string;
    kind: string;
    tenant_id: string | null;
    file_name: string;
  }[];
  const folder: Record<string, string> = { member_letter: 'letters', public_notice: 'notices', shop_notice: 'shop-notices', card_company_csv: 'card-company', ppc_preliminary: 'ppc', ppc_final: 'ppc' };
  for (const d of docs) {
    const shop = shops.find((s) => s.id === d.tenant_id)?.slug ?? '';
    write(path.join(folder[d.kind] ?? d.kind, d.kind === 'member_letter' ? shop : '', d.file_name), await get(`${base}/documents/${d.id}`));
  }
  for (const shop of view.shops) write(path.join('scope', `scope-${shop.slug}.csv`), await get(`${base}/shops/${shop.tenantId}/scope.csv`));
  write('card-company/card-payments-all-shops.csv', await get(`${base}/card-payments.csv`));
  write(`evidence-${view.incident.number}.tar`, await get(`${base}/evidence.tar`));
  write('workbench.html', await get(base));
  const notice = docs.find((d) => d.kind === 'public_notice' && d.tenant_id === target.id)!;
  const noticeUrl = `${cleanUrl}/s/${target.slug}/notices/${notice.id}`;

  // Screenshots for the README: the workbench and a public notice, as a browser shows them.
  try {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    await context.addCookies([{ name: 'oroshi_session', value: token, url: cleanUrl }]);
    const tab = await context.newPage();
    await tab.goto(`${cleanUrl}${base}`);
    await tab.screenshot({ path: path.join(out, 'screenshots', 'workbench.png'), fullPage: false });
    await tab.goto(noticeUrl);
    await tab.screenshot({ path: path.join(out, 'screenshots', 'public-notice.png'), fullPage: true });
    written.push(path.join(out, 'screenshots', 'workbench.png'), path.join(out, 'screenshots', 'public-notice.png'));
    await browser.close();
  } catch (err) {
    process.stdout.write(`  (screenshots skipped: ${(err as Error).message})\n`);
  }

  step('done');
  for (const file of written) process.stdout.write(`  ${path.relative(process.cwd(), file)}\n`);
  process.stdout.write(
    `\n${docs.filter((d) => d.kind === 'member_letter').length} letters, ${docs.filter((d) => d.kind === 'public_notice').length} public notices (published), PPC 速報 and 確報 drafts, card-company CSV and the signed evidence bundle for ${view.incident.number}, in ${((Date.now() - t0) / 1000).toFixed(0)} s.\n` +
      `Detected → incident opened automatically at ${formatJst(view.incident.aware_at)}; PPC 速報 due ${formatJst(view.deadlines[0]!.dueAt)}.\n` +
      `Start the platform on this data to look around: DATA_DIR=${path.relative(process.cwd(), dataDir)} PORT=3200 npm start (a security officer: ${OFFICER_EMAIL}, password ${DEMO_PASSWORD}, TOTP via npm run demo:totp -- ${OFFICER_EMAIL}).\n`,
  );
  if (mismatch) fail('the scope counts differ from the seeded activity');
} finally {
  for (const app of apps) await app.close().catch(() => undefined);
  await database.close();
}
