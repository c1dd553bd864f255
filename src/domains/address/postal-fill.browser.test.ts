import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTAL_DATA_DIR } from './postal-code.ts';

/**
 * static/js/postal-fill.js in headless Chromium, on a page locked down the way Oroshi's pages are:
 * the script is admitted only by its SHA-384 (CSP hash + SRI) and Trusted Types are required with
 * no policy, so any string-to-DOM sink in the script would throw and raise a violation.
 */

const SCRIPT_PATH = fileURLToPath(new URL('../../../static/js/postal-fill.js', import.meta.url));
const script = fs.readFileSync(SCRIPT_PATH);
const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
// Attack catalogue 1: code appended to a first-party bundle, served under the approved hash.
const tampered = Buffer.concat([script, Buffer.from('\nnew Image().src = "/steal?d=" + document.cookie;\n')]);

const CSP = [
  "default-src 'none'",
  `script-src '${integrity}'`,
  "connect-src 'self'",
  "img-src 'none'",
  "style-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
  'report-uri /csp-report',
].join('; ');

const CUSTOM_CHUNK = JSON.stringify({ '1234567': [['東京都', '港区', '芝']] });

function formPage(scriptUrl: string): string {
  const prefectures = ['', '北海道', '東京都', '愛知県', '三重県', '沖縄県']
    .map((p) => `<option value="${p}">${p || '選択してください'}</option>`)
    .join('');
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>住所</title>
<script src="${scriptUrl}" integrity="${integrity}" defer></script></head>
<body>
<form id="main" method="post" action="/save">
  <label for="zip">郵便番号</label><input id="zip" name="zip" autocomplete="postal-code" data-postal-code>
  <label for="pref">都道府県</label><select id="pref" name="pref" data-prefecture>${prefectures}</select>
  <label for="city">市区町村</label><input id="city" name="city" data-city>
  <label for="line1">町域・番地</label><input id="line1" name="line1" data-address-line1>
</form>
<form id="other" method="post" action="/save">
  <label for="zip2">郵便番号</label><input id="zip2" data-postal-code data-postal-base="/custom/postal/">
  <input id="pref2" data-prefecture><input id="city2" data-city><input id="line12" data-address-line1>
</form>
</body></html>`;
}

describe('static/js/postal-fill.js in Chromium under a hash-pinned CSP with Trusted Types', () => {
  let server: http.Server;
  let origin: string;
  let browser: Browser;
  const requests: string[] = [];
  const cspReports: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push(url.pathname);
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, ...headers });
        res.end(body);
      };
      if (req.method === 'POST' && url.pathname === '/csp-report') {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          cspReports.push(body);
          send(204, 'text/plain', '');
        });
        return;
      }
      const chunk = /^\/assets\/postal\/(\d{3})\.json$/.exec(url.pathname);
      if (url.pathname === '/form') {
        send(200, 'text/html; charset=utf-8', formPage('/assets/js/postal-fill.js'), { 'content-security-policy': CSP });
      } else if (url.pathname === '/tampered') {
        send(200, 'text/html; charset=utf-8', formPage('/assets/js/postal-fill.tampered.js'), {
          'content-security-policy': CSP,
        });
      } else if (url.pathname === '/assets/js/postal-fill.js') {
        send(200, 'text/javascript; charset=utf-8', script);
      } else if (url.pathname === '/assets/js/postal-fill.tampered.js') {
        send(200, 'text/javascript; charset=utf-8', tampered);
      } else if (chunk && fs.existsSync(path.join(POSTAL_DATA_DIR, `${chunk[1]}.json`))) {
        send(200, 'application/json', fs.readFileSync(path.join(POSTAL_DATA_DIR, `${chunk[1]}.json`)));
      } else if (url.pathname === '/custom/postal/123.json') {
        send(200, 'application/json', CUSTOM_CHUNK);
      } else {
        send(404, 'text/plain', 'not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  interface Watched {
    page: Page;
    violations: () => Promise<string[]>;
    problems: string[];
    foreign: string[];
  }

  async function open(pathname: string): Promise<Watched> {
    const page = await browser.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) foreign.push(request.url());
    });
    // Injected by the browser's devtools channel, so the page's CSP does not block the listener.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => {
        seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample}`);
      });
    });
    await page.goto(`${origin}${pathname}`, { waitUntil: 'load' });
    const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    return { page, violations, problems, foreign };
  }

  it('fills prefecture, city and town for a single match, and announces it', async () => {
    const { page, violations, problems, foreign } = await open('/form');
    await page.locator('#zip').pressSequentially('100-0001');
    await expect.poll(() => page.inputValue('#line1')).toBe('千代田');
    expect(await page.inputValue('#pref')).toBe('東京都');
    expect(await page.inputValue('#city')).toBe('千代田区');

    const message = page.locator('#main .postal-fill-message');
    expect(await message.textContent()).toBe('住所を入力しました。');
    expect(await message.getAttribute('aria-live')).toBe('polite');
    expect(await message.getAttribute('role')).toBe('status');
    expect(await page.getAttribute('#zip', 'aria-describedby')).toBe(await message.getAttribute('id'));
    expect(requests).toContain('/assets/postal/100.json');

    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('accepts full-width digits with 〒 and a city-level code (empty town)', async () => {
    const { page, violations } = await open('/form');
    await page.fill('#line1', '前の入力');
    await page.fill('#zip', '〒０６０－００００');
    await expect.poll(() => page.inputValue('#city')).toBe('札幌市中央区');
    expect(await page.inputValue('#pref')).toBe('北海道');
    expect(await page.inputValue('#line1')).toBe('');
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('offers a <select> when a code spans two prefectures, and fills the chosen one', async () => {
    const { page, violations, problems } = await open('/form');
    await page.fill('#zip', '4980000');
    const choices = page.locator('#main select.postal-fill-choices');
    await expect.poll(() => choices.isVisible()).toBe(true);
    expect(await choices.locator('option').allTextContents()).toEqual([
      '住所を選んでください',
      '愛知県弥富市',
      '三重県桑名郡木曽岬町',
    ]);
    expect(await choices.getAttribute('aria-label')).toBeTruthy();
    expect(await page.textContent('#main .postal-fill-message')).toContain('2件');

    await choices.selectOption({ label: '三重県桑名郡木曽岬町' });
    await expect.poll(() => page.inputValue('#pref')).toBe('三重県');
    expect(await page.inputValue('#city')).toBe('桑名郡木曽岬町');
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fills the shared city at once when many towns share a code, then the chosen town', async () => {
    const { page, violations } = await open('/form');
    await page.fill('#zip', '452-0961');
    const choices = page.locator('#main select.postal-fill-choices');
    await expect.poll(() => choices.isVisible()).toBe(true);
    expect(await page.inputValue('#pref')).toBe('愛知県');
    expect(await page.inputValue('#city')).toBe('清須市');
    expect(await choices.locator('option').count()).toBeGreaterThan(50);
    await choices.selectOption({ label: '春日夢の森' });
    await expect.poll(() => page.inputValue('#line1')).toBe('春日夢の森');
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('says so in Japanese when a code is unknown, in a known or an unknown chunk', async () => {
    const { page, violations, problems } = await open('/form');
    const message = page.locator('#main .postal-fill-message');
    await page.fill('#zip', '100-0099');
    await expect.poll(() => message.textContent()).toContain('見つかりません');
    await page.fill('#zip', '');
    await page.fill('#zip', '000-0000');
    await expect.poll(() => requests.includes('/assets/postal/000.json')).toBe(true);
    await expect.poll(() => message.textContent()).toContain('見つかりません');
    expect(await page.inputValue('#line1')).toBe('');
    expect(await violations()).toEqual([]);
    // The browser logs the 404 of the missing chunk; nothing else may appear.
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await page.close();
  });

  it('reads chunks from the data-postal-base given on the input, scoped to its own form', async () => {
    const { page, violations } = await open('/form');
    await page.fill('#zip2', '123-4567');
    await expect.poll(() => page.inputValue('#line12')).toBe('芝');
    expect(await page.inputValue('#city2')).toBe('港区');
    expect(await page.inputValue('#pref2')).toBe('東京都');
    expect(await page.inputValue('#city')).toBe('');
    expect(requests).toContain('/custom/postal/123.json');
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('runs on a page where Trusted Types really are enforced and violations are seen', async () => {
    const { page, violations } = await open('/form');
    const outcome = await page.evaluate(() => {
      try {
        document.body.innerHTML = '<b>x</b>';
        return 'assigned';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(outcome).toBe('TypeError');
    await expect.poll(violations).toEqual([expect.stringContaining('require-trusted-types-for')]);
    await page.close();
  });

  it('refuses a tampered copy of the script served under the approved hash', async () => {
    const { page, problems } = await open('/tampered');
    await page.fill('#zip', '1000001');
    await page.waitForTimeout(300);
    expect(await page.inputValue('#line1')).toBe('');
    expect(await page.locator('.postal-fill-message').count()).toBe(0);
    expect(requests).not.toContain('/steal');
    expect(problems.join('\n')).toMatch(/integrity/i);
    await page.close();
  });

  it('reported only the deliberate Trusted Types violation through report-uri', async () => {
    // The deliberate violation above proves reports get through, so an empty rest means something.
    await expect.poll(() => cspReports.filter((r) => r.includes('require-trusted-types-for')).length).toBe(1);
    expect(cspReports.filter((r) => !r.includes('require-trusted-types-for'))).toEqual([]);
  });
});
