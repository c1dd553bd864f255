import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Browser } from 'playwright-core';
import { hashSessionToken } from '../../src/domains/auth/session.service.ts';
import type { MonitorProfile } from '../../src/domains/monitor/monitor.tables.ts';
import { cardKillState } from '../../src/domains/payments/card-kill-switch.service.ts';
import { contextOptions } from '../../src/monitor/walk-profiles.ts';
import { type FileSetSpec, productionDependencyDirs, serverFileSet } from '../../src/platform/build-manifest/build-files.ts';
import { signedStaticHashes } from '../../src/platform/build-manifest/build-integrity.ts';
import { createBuildManifest, PROJECT_ROOT, type SignedBuildManifest, writeBuildManifest } from '../../src/platform/build-manifest/build-manifest.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';
import type { RouteModule } from '../../src/platform/http/app.ts';
import { cookieName } from '../../src/platform/http/cookies.ts';
import { runFilePass } from '../../src/verifier/verifier-pass.ts';
import { newVerifierRecordState, type RecordedPass, recordVerifierPass } from '../../src/verifier/verifier-record.ts';
import { signInSalon } from '../sign-in.ts';

/**
 * The attack suite's running Oroshi. An attacker who has changed the server (a template, a module,
 * the header code) leaves two traces: the files on disk, and what the restarted process sends.
 * The files are a signed copy of the parts of the tree under attack (the working tree is shared and
 * must never be corrupted), checked by the real verifier code; what the process sends is a second
 * app instance on the same database whose responses pass through `htmlTamper` — the same bytes a
 * process built from the tampered files would send.
 */

export const SHOP = 'kaoru-haircare';
export const BUYER_EMAIL = 'owner@lumiere-salon.example';
export const MONITOR_EMAIL = 'monitor@minase-shoji.example';

export interface TamperContext {
  path: string;
  method: string;
  userAgent: string;
  /** The signed-in user's e-mail (salon audience), as the skimmer on the server would look it up. */
  userEmail: string | null;
}

export type HtmlTamper = (html: string, ctx: TamperContext, reply: FastifyReply) => string;

/** What the tampered instance does to each HTML response (null: sends it unchanged), and every URL it was asked for. */
export const tamperState: { html: HtmlTamper | null; requests: string[] } = { html: null, requests: [] };

async function signedInEmail(database: Database, request: FastifyRequest, sessionCookie: string): Promise<string | null> {
  const token = request.cookies?.[sessionCookie];
  if (!token) return null;
  const { rows } = await database.ownerExec(
    `SELECT u.email FROM sessions s JOIN salon_users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.audience = 'salon'`,
    [hashSessionToken(token)],
  );
  return rows[0] ? String(rows[0].email) : null;
}

export function tamperPlugin(database: Database): RouteModule {
  return (instance, platform) => {
    // Over HTTPS the session cookie carries the __Host- prefix.
    const sessionCookie = cookieName(platform.config, 'session');
    // What reached the server: a skimmer exfiltrating through an endpoint the policy allows lands here.
    instance.addHook('onRequest', async (request) => {
      tamperState.requests.push(request.url);
    });
    instance.addHook('onSend', async (request, reply, payload) => {
      const tamper = tamperState.html;
      if (!tamper || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
      const ctx: TamperContext = {
        path: request.url.split('?')[0] ?? '',
        method: request.method,
        userAgent: String(request.headers['user-agent'] ?? ''),
        userEmail: await signedInEmail(database, request, sessionCookie),
      };
      return tamper(payload, ctx, reply);
    });
  };
}

/**
 * A production dependency the server loads on every page (the HTML renderer), signed with the rest:
 * the copy holds this one of the hundreds the real manifest covers (copying all would cost more
 * than the suite), with the real file-set rules (serverFileSet: what Node can load from it).
 */
export const SIGNED_DEPENDENCY = 'node_modules/preact-render-to-string';

/** A signed copy of the attacked parts of the tree, and the real verifier pass over it. */
export class SignedTree {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'oroshi-attack-'));
  private readonly keys = generateKeyPairSync('ed25519');
  private readonly manifestPath = path.join(this.root, 'build-manifest.json');
  private readonly originals = new Map<string, Buffer>();
  readonly spec: FileSetSpec;
  private state = newVerifierRecordState('attack-suite', 30);

  constructor() {
    const dirs = ['src', 'static', SIGNED_DEPENDENCY];
    if (!productionDependencyDirs(PROJECT_ROOT).includes(SIGNED_DEPENDENCY)) throw new Error(`${SIGNED_DEPENDENCY} is not a production dependency`);
    this.spec = { trees: serverFileSet(PROJECT_ROOT).trees.filter((t) => dirs.includes(t.dir)), files: [] };
    for (const dir of dirs) fs.cpSync(path.join(PROJECT_ROOT, dir), path.join(this.root, dir), { recursive: true });
    this.manifest = createBuildManifest({ root: this.root, privateKey: this.keys.privateKey, appEnv: 'test', spec: this.spec });
    writeBuildManifest(this.manifestPath, this.manifest);
  }

  private readonly manifest: SignedBuildManifest;

  /** What a process started on this tree knows once its manifest is verified (Platform.signedAssetHashes): the attacker cannot re-sign. */
  signedAssetHashes(): Map<string, string> {
    return signedStaticHashes(this.manifest);
  }

  file(rel: string): string {
    return path.join(this.root, rel);
  }

  /** The attacker's edit: appends to (or replaces) a file, remembering the original bytes. */
  tamper(rel: string, edit: (text: string) => string): void {
    const file = this.file(rel);
    if (!this.originals.has(rel)) this.originals.set(rel, fs.readFileSync(file));
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  }

  /** The attacker's edit of a binary file (an image): appends bytes after what is there. */
  append(rel: string, data: string | Buffer): void {
    const file = this.file(rel);
    if (!this.originals.has(rel)) this.originals.set(rel, fs.readFileSync(file));
    fs.appendFileSync(file, data);
  }

  restore(): void {
    for (const [rel, body] of this.originals) fs.writeFileSync(this.file(rel), body);
    this.originals.clear();
    this.state = newVerifierRecordState('attack-suite', 30);
  }

  /** One pass of the verifier as its process runs it: files, then the database's stored texts. */
  verify(database: Database): Promise<RecordedPass> {
    return recordVerifierPass(database, runFilePass({ root: this.root, manifestPath: this.manifestPath, publicKey: this.keys.publicKey, spec: this.spec }), this.state);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export async function listen(instance: FastifyInstance): Promise<string> {
  await instance.listen({ port: 0, host: '127.0.0.1' });
  const address = instance.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The product the buyer and the monitor open: the first product link on the shop's home. */
export async function firstProductCode(app: FastifyInstance, password: string): Promise<string> {
  const home = await app.inject({ url: `/s/${SHOP}/`, headers: { cookie: (await signInSalon(app, BUYER_EMAIL, password, SHOP)).cookie } });
  const code = decodeURIComponent(/href="[^"]*\/p\/([^"/?]+)"/.exec(home.body)?.[1] ?? '');
  if (!code) throw new Error('no product link on the shop home');
  return code;
}

/** Database clock: event and switch times are stamped by it. */
export async function dbNow(database: Database): Promise<Date> {
  const { rows } = await database.ownerExec(`SELECT now() AS now`);
  return new Date(rows[0]!.now as string);
}

/** Between scenarios: every open event acknowledged and every card stop released (as the operator would after an incident). */
export async function resetProtection(database: Database): Promise<void> {
  await database.ownerExec(`UPDATE security_events SET acknowledged_at = now(), acknowledgement = 'attack suite reset' WHERE acknowledged_at IS NULL`);
  await database.ownerExec(`DELETE FROM card_kill_switches`);
}

export interface SeenEvent {
  layer: string;
  severity: string;
  kind: string;
  page: string;
  /** When the event was first raised. */
  seen_at: Date;
  contained_at: Date | null;
}

/** Events for the shop (or platform-wide) seen since `since` (open events were acknowledged before each scenario, so these are new). */
export async function eventsSince(database: Database, tenantId: string, since: Date): Promise<SeenEvent[]> {
  const { rows } = await database.ownerExec(
    `SELECT layer, severity, kind, page, first_seen_at AS seen_at, contained_at FROM security_events
      WHERE (tenant_id = $1 OR tenant_id IS NULL) AND last_seen_at >= $2 AND acknowledged_at IS NULL ORDER BY first_seen_at`,
    [tenantId, since],
  );
  return rows.map((r) => ({ ...(r as unknown as SeenEvent), seen_at: new Date(r.seen_at as string), contained_at: r.contained_at ? new Date(r.contained_at as string) : null }));
}

/** Layers that raised a warning or critical event; CSP and Trusted Types reports from one header are one layer. */
export function detectingLayers(events: readonly SeenEvent[]): string[] {
  const layers = events.filter((e) => e.severity !== 'info').map((e) => (e.layer === 'trusted_types' ? 'csp_report' : e.layer));
  return [...new Set(layers)].sort();
}

/** Whether checkout would refuse a card for the shop right now (the read checkout itself makes). */
export async function cardsStopped(database: Database, tenantId: string): Promise<boolean> {
  return (await withTenant(database, tenantId, (tx) => cardKillState(tx, tenantId))).engaged;
}

export interface Timing {
  detected_s: number | null;
  contained_s: number | null;
}

export function timingOf(events: readonly SeenEvent[], since: Date): Timing {
  const detected = events.filter((e) => e.severity !== 'info').map((e) => e.seen_at.getTime());
  const contained = events.map((e) => e.contained_at?.getTime()).filter((t): t is number => t !== undefined);
  const s = (t: number[]) => (t.length ? Math.max(0, (Math.min(...t) - since.getTime()) / 1000) : null);
  return { detected_s: s(detected), contained_s: s(contained) };
}

/** Waits until `probe` is true (browser reports arrive ~0.1–0.2 s after a load). */
export async function until(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return probe();
}

/**
 * A real buyer (not the monitor): an ordinary Chromium profile, signed in through the platform
 * form, adds the first product to the cart and opens the checkout; `then` may act on the page.
 */
export async function buyerVisit(
  browser: Browser,
  baseUrl: string,
  options: { profile: MonitorProfile; password: string; then?: (page: import('playwright-core').Page) => Promise<void> },
): Promise<void> {
  const context = await browser.newContext(contextOptions(options.profile, browser));
  // A step that cannot happen on a tampered page fails fast instead of waiting Playwright's 30 s.
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/account/sign-in?shop=${SHOP}`);
    await page.fill('input[name="email"]', BUYER_EMAIL);
    await page.fill('input[name="password"]', options.password);
    await Promise.all([page.waitForNavigation(), page.locator('form:has(input[name="password"]) [type="submit"]').first().click()]);
    await page.goto(`${baseUrl}/s/${SHOP}/`);
    const href = await page.locator('a[href*="/p/"]').first().getAttribute('href');
    if (href) {
      await page.goto(new URL(href, page.url()).href);
      if ((await page.locator('form.add-to-cart').count()) > 0) {
        await Promise.all([page.waitForNavigation(), page.locator('form.add-to-cart [type="submit"]').first().click()]);
      }
    }
    await page.goto(`${baseUrl}/s/${SHOP}/cart`);
    await page.goto(`${baseUrl}/s/${SHOP}/checkout`);
    await options.then?.(page);
    await page.waitForTimeout(400);
  } finally {
    await context.close();
  }
}
