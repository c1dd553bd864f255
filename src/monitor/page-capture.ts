import { createHash } from 'node:crypto';
import type { Page, Response } from 'playwright-core';
import { cardLikeReasons, type InputForDetection } from '../domains/monitor/card-input.detect.ts';
import {
  type CardLikeInput,
  type FormRecord,
  type InputRecord,
  normaliseCspViolation,
  normaliseUrl,
  type PageSnapshot,
  pickSecurityHeaders,
  type ScriptRecord,
  type StylesheetRecord,
  uniqueForms,
  uniqueScripts,
  uniqueSorted,
  uniqueStylesheets,
  type WalkStep,
} from '../domains/monitor/walk-snapshot.ts';

/**
 * Records what one page of the walk received: listens from before the navigation starts (every
 * request's origin, every script and stylesheet body as the browser got it, console CSP
 * violations), then reads the rendered DOM (inline scripts and styles, forms and inputs, iframes,
 * <meta> CSPs).
 */

function sha384(body: Buffer | string): string {
  return `sha384-${createHash('sha384').update(body).digest('base64')}`;
}

interface DomInput extends InputForDetection {
  formIndex: number;
}

interface DomReading {
  origin: string;
  inlineScripts: string[];
  scriptSrcs: string[];
  inlineStyles: string[];
  stylesheetHrefs: string[];
  forms: { action: string; method: string }[];
  inputs: DomInput[];
  iframes: string[];
  metaCsp: string[];
}

/** Runs in the page; plain JavaScript (no closures over Node values). */
const READ_DOM = `(() => {
  const attr = (el, n) => (el.getAttribute(n) ?? '');
  const forms = [...document.querySelectorAll('form')];
  const inputs = [...document.querySelectorAll('input, select, textarea, button')].map((el) => ({
    tag: el.tagName.toLowerCase(),
    name: attr(el, 'name'),
    type: el.tagName === 'INPUT' || el.tagName === 'BUTTON' ? (attr(el, 'type') || (el.tagName === 'BUTTON' ? 'submit' : 'text')).toLowerCase() : '',
    autocomplete: attr(el, 'autocomplete'),
    inputmode: attr(el, 'inputmode'),
    pattern: attr(el, 'pattern'),
    maxlength: attr(el, 'maxlength'),
    id: attr(el, 'id'),
    placeholder: attr(el, 'placeholder'),
    ariaLabel: attr(el, 'aria-label'),
    formIndex: el.form ? forms.indexOf(el.form) : -1,
  }));
  return {
    origin: location.origin,
    inlineScripts: [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? ''),
    scriptSrcs: [...document.querySelectorAll('script[src]')].map((s) => s.src),
    inlineStyles: [...document.querySelectorAll('style')].map((s) => s.textContent ?? ''),
    stylesheetHrefs: [...document.querySelectorAll('link[rel~="stylesheet" i][href]')].map((l) => l.href),
    forms: forms.map((f) => ({ action: new URL(attr(f, 'action') || location.href, location.href).href, method: (attr(f, 'method') || 'get').toLowerCase() })),
    inputs,
    iframes: [...document.querySelectorAll('iframe, frame, embed, object')].map((f) => f.getAttribute('src') || f.getAttribute('data') || 'about:blank'),
    metaCsp: [...document.querySelectorAll('meta[http-equiv]')].filter((m) => m.httpEquiv.toLowerCase().startsWith('content-security-policy')).map((m) => m.content),
  };
})()`;

export interface PageRecorder {
  finish(step: WalkStep, document: Response | null): Promise<PageSnapshot>;
  stop(): void;
}

export function startRecording(page: Page): PageRecorder {
  const origins = new Set<string>();
  const scriptBodies: Promise<ScriptRecord & { url: string } | null>[] = [];
  const styleBodies: Promise<{ url: string; sha384: string }>[] = [];
  const violations: string[] = [];
  const onRequest = (request: import('playwright-core').Request) => {
    try {
      const url = new URL(request.url());
      if (/^(https?|wss?):$/.test(url.protocol)) origins.add(url.origin);
    } catch {
      // about:, data: — no origin to record
    }
  };
  const onResponse = (response: Response) => {
    const type = response.request().resourceType();
    if (type === 'stylesheet') {
      styleBodies.push(
        response
          .body()
          .then((body) => ({ url: response.url(), sha384: sha384(body) }))
          .catch(() => ({ url: response.url(), sha384: 'unreadable' })),
      );
      return;
    }
    if (type !== 'script') return;
    scriptBodies.push(
      response
        .body()
        .then((body) => ({ url: response.url(), src: response.url(), sha384: sha384(body) }))
        .catch(() => ({ url: response.url(), src: response.url(), sha384: 'unreadable' })),
    );
  };
  const onConsole = (message: import('playwright-core').ConsoleMessage) => {
    const text = message.text();
    if (/Content Security Policy|Trusted Type/i.test(text)) violations.push(text);
  };
  const onWebSocket = (socket: import('playwright-core').WebSocket) => onRequest({ url: () => socket.url() } as import('playwright-core').Request);
  page.on('request', onRequest);
  page.on('response', onResponse);
  page.on('console', onConsole);
  page.on('websocket', onWebSocket);
  const stop = () => {
    page.off('request', onRequest);
    page.off('response', onResponse);
    page.off('console', onConsole);
    page.off('websocket', onWebSocket);
  };

  return {
    stop,
    async finish(step, document) {
      // Late scripts and beacons (a skimmer that waits for the page to settle) still count.
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
      const dom = (await page.evaluate(READ_DOM)) as DomReading;
      stop();
      const pageOrigin = dom.origin;
      const loaded = (await Promise.all(scriptBodies)).filter((s): s is ScriptRecord & { url: string } => s !== null);
      const loadedUrls = new Set(loaded.map((s) => s.url));
      const scripts: ScriptRecord[] = [
        ...loaded.map((s) => ({ src: normaliseUrl(s.url, pageOrigin), sha384: s.sha384 })),
        // A tag the browser refused to fetch (CSP) is still a script someone put on the page.
        ...dom.scriptSrcs.filter((src) => !loadedUrls.has(src)).map((src) => ({ src: normaliseUrl(src, pageOrigin), sha384: 'not-loaded' })),
        ...dom.inlineScripts.map((text) => ({ src: null, sha384: sha384(text) })),
      ];
      const styles = await Promise.all(styleBodies);
      const styleUrls = new Set(styles.map((s) => s.url));
      const stylesheets: StylesheetRecord[] = [
        ...styles.map((s) => ({ href: normaliseUrl(s.url, pageOrigin), sha384: s.sha384 })),
        ...dom.stylesheetHrefs.filter((href) => !styleUrls.has(href)).map((href) => ({ href: normaliseUrl(href, pageOrigin), sha384: 'not-loaded' })),
        ...dom.inlineStyles.map((text) => ({ href: null, sha384: sha384(text) })),
      ];
      const record = (i: DomInput): InputRecord => ({ tag: i.tag, name: i.name, type: i.type, autocomplete: i.autocomplete, inputmode: i.inputmode, pattern: i.pattern, maxlength: i.maxlength });
      const forms: FormRecord[] = dom.forms.map((f, index) => ({
        action: normaliseUrl(f.action, pageOrigin),
        method: f.method,
        inputs: dom.inputs.filter((i) => i.formIndex === index).map(record),
      }));
      const cardInputs: CardLikeInput[] = dom.inputs.flatMap((i) => {
        const reasons = cardLikeReasons(i);
        if (!reasons.length) return [];
        const form = i.formIndex >= 0 ? dom.forms[i.formIndex] : undefined;
        return [{ formAction: form ? normaliseUrl(form.action, pageOrigin) : null, name: i.name || i.id || '', reasons }];
      });
      const headers = document ? pickSecurityHeaders(await document.allHeaders()) : {};
      return {
        step,
        url: normaliseUrl(page.url(), pageOrigin),
        origin: pageOrigin,
        status: document?.status() ?? 0,
        headers,
        metaCsp: dom.metaCsp,
        scripts: uniqueScripts(scripts),
        stylesheets: uniqueStylesheets(stylesheets),
        forms: uniqueForms(forms),
        cardInputs,
        iframes: uniqueSorted(dom.iframes.map((src) => normaliseUrl(src, pageOrigin))),
        // The page's own origin is 'self': the same site on another port or host is not a new origin.
        requestOrigins: uniqueSorted([...origins].map((o) => (o === pageOrigin ? 'self' : o))),
        cspViolations: uniqueSorted(violations.map((v) => normaliseCspViolation(v, pageOrigin))),
      };
    },
  };
}
