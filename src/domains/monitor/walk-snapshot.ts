import type { MonitorProfile } from './monitor.tables.ts';

/**
 * What one monitor walk saw: per page of the walk, what a buyer's browser received. Everything
 * here is already normalised — what legitimately differs between two walks of an unchanged site
 * (CSRF tokens, session ids, order numbers, idempotency keys, dates, ids in URLs, field values)
 * is never recorded or is replaced by a placeholder — so two snapshots of the same site are equal
 * and a diff shows only real change.
 */

export const WALK_STEPS = [
  'platform-sign-in',
  'shop-product',
  'cart',
  'checkout',
  'checkout-confirm',
  'payment-step',
  'payment-provider',
  'payment-cancel',
  'staff-sign-in',
] as const;
export type WalkStep = (typeof WALK_STEPS)[number];

export interface ScriptRecord {
  /** Normalised URL, or null for an inline script. */
  src: string | null;
  /** `sha384-<base64>` of the body the browser received (inline: of the text). */
  sha384: string;
}

export interface StylesheetRecord {
  /** Normalised URL of a stylesheet the page loaded (`<link>` or `@import`), or null for an inline `<style>`. */
  href: string | null;
  /** `sha384-<base64>` of the body the browser received (inline: of the text; 'not-loaded' when the browser refused it). */
  sha384: string;
}

export interface InputRecord {
  tag: 'input' | 'select' | 'textarea' | 'button';
  name: string;
  type: string;
  autocomplete: string;
  inputmode: string;
  pattern: string;
  maxlength: string;
}

export interface FormRecord {
  /** Normalised action (same-origin: path only). */
  action: string;
  method: string;
  /** Sorted, de-duplicated; values are never recorded. */
  inputs: InputRecord[];
}

/** An input that looks like it takes a card number, expiry or security code. */
export interface CardLikeInput {
  formAction: string | null;
  name: string;
  reasons: string[];
}

export interface PageSnapshot {
  step: WalkStep;
  /** Normalised URL of the page the step ended on (same-origin: path only). */
  url: string;
  origin: string;
  status: number;
  /** Security headers of the document response, lower-case names, normalised values. */
  headers: Record<string, string>;
  /** CSPs delivered in <meta http-equiv> (a weakening: a header cannot be overridden by meta, but a missing header can). */
  metaCsp: string[];
  scripts: ScriptRecord[];
  /**
   * Stylesheets, as scripts (a stylesheet can carry a payload: catalogue 10). Absent in snapshots
   * recorded before the monitor read them — "not recorded", never "none".
   */
  stylesheets?: StylesheetRecord[];
  forms: FormRecord[];
  /** Inputs anywhere on the page (in or outside a form) that look like card fields. */
  cardInputs: CardLikeInput[];
  iframes: string[];
  /** Origins of every request the page made, sorted. */
  requestOrigins: string[];
  /** CSP violations the console reported, normalised. */
  cspViolations: string[];
}

export interface WalkSnapshot {
  version: 1;
  profile: MonitorProfile;
  pages: PageSnapshot[];
  /** Host the payment step finally landed on (the provider's), when the payment step was walked. */
  paymentRedirectHost: string | null;
}

export type DeviationSeverity = 'warning' | 'critical';

export interface Deviation {
  kind: string;
  severity: DeviationSeverity;
  step: WalkStep | 'walk';
  /** Japanese, one line. */
  summary: string;
  /** Stable per problem: the same deviation seen again is the same security event. */
  key: string;
  detail: Record<string, unknown>;
}

export interface WalkDiff {
  deviations: Deviation[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** One path segment that carries an id rather than a route: order numbers, numbers, long tokens. */
function normaliseSegment(segment: string): string {
  if (segment === ':uuid') return segment;
  if (/^\d+$/.test(segment)) return ':n';
  // Order numbers (e.g. MALL-250101-0001), dates and similar: letters and digits mixed with dashes.
  if (/\d/.test(segment) && /^[A-Za-z0-9_-]{6,}$/.test(segment) && !/\.[a-z0-9]+$/i.test(segment) && /\d{3,}/.test(segment)) return ':id';
  if (/^[A-Za-z0-9_-]{32,}$/.test(segment)) return ':token';
  return segment;
}

/**
 * A URL as the snapshot records it: same-origin URLs as their path, others with their origin;
 * ids in the path replaced by placeholders; query values dropped (names kept, sorted); fragment
 * dropped. Content-hashed static file names are kept: a different file is a real change.
 */
export function normaliseUrl(raw: string, pageOrigin: string): string {
  let url: URL;
  try {
    url = new URL(raw, pageOrigin);
  } catch {
    return raw.slice(0, 300);
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return `${url.protocol}`;
  const path = url.pathname
    .replace(UUID, ':uuid')
    .split('/')
    .map((s) => normaliseSegment(s))
    .join('/');
  const names = [...new Set([...url.searchParams.keys()])].sort();
  const query = names.length ? `?${names.map((n) => `${n}=*`).join('&')}` : '';
  const prefix = url.origin === pageOrigin ? '' : url.origin;
  return `${prefix}${path}${query}`;
}

/** A CSP as recorded: directives trimmed, nonces (should one ever appear) masked. */
export function normaliseCsp(value: string): string {
  return value
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' ').replace(/'nonce-[^']*'/g, "'nonce'"))
    .filter(Boolean)
    .join('; ');
}

/** Console CSP messages differ by request id, line and column; keep the directive and the blocked thing. */
export function normaliseCspViolation(message: string, pageOrigin: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  const directive = /(?:directive|violates the following Content Security Policy directive):? "([^"]+)"/i.exec(text)?.[1] ?? '';
  const blocked = /(?:load|frame|connect to|script|resource|image|form to) '([^']+)'/i.exec(text)?.[1] ?? (/(inline|eval)/i.exec(text)?.[1]?.toLowerCase() ?? '');
  const where = blocked && /^(https?|wss?):/.test(blocked) ? normaliseUrl(blocked, pageOrigin) : blocked;
  return `${directive.split(' ')[0] ?? ''}|${where}`.slice(0, 300);
}

const SECURITY_HEADERS = [
  'content-security-policy',
  'content-security-policy-report-only',
  'strict-transport-security',
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'cross-origin-embedder-policy',
  'x-permitted-cross-domain-policies',
  'origin-agent-cluster',
  'cache-control',
] as const;

export function pickSecurityHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SECURITY_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = name.startsWith('content-security-policy') ? normaliseCsp(value) : value.trim();
  }
  return out;
}

export function inputKey(input: InputRecord): string {
  return [input.tag, input.name, input.type, input.autocomplete, input.inputmode, input.pattern, input.maxlength].join('|');
}

export function formKey(form: Pick<FormRecord, 'action' | 'method'>): string {
  return `${form.method.toUpperCase()} ${form.action}`;
}

/** Set semantics: a cart with two lines has the same kinds of form as a cart with one. */
export function uniqueForms(forms: readonly FormRecord[]): FormRecord[] {
  const byKey = new Map<string, FormRecord>();
  for (const form of forms) {
    const inputs = new Map(form.inputs.map((i) => [inputKey(i), i]));
    const key = `${formKey(form)}#${[...inputs.keys()].sort().join(',')}`;
    if (!byKey.has(key)) byKey.set(key, { ...form, inputs: [...inputs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, i]) => i) });
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, f]) => f);
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function uniqueStylesheets(sheets: readonly StylesheetRecord[]): StylesheetRecord[] {
  const byKey = new Map(sheets.map((s) => [`${s.href ?? 'inline'}|${s.sha384}`, s]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
}

export function uniqueScripts(scripts: readonly ScriptRecord[]): ScriptRecord[] {
  const byKey = new Map(scripts.map((s) => [`${s.src ?? 'inline'}|${s.sha384}`, s]));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
}
