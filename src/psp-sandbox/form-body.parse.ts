/**
 * Decodes `application/x-www-form-urlencoded` text the way Stripe's API reads it: bracketed keys
 * build nested objects (`a[b][c]=1`), numeric or empty brackets build arrays (`expand[0]=x`,
 * `expand[]=x`). The SDK sends every request body and query string in this shape.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_PAIRS = 2000;
const MAX_DEPTH = 8;
// Keys that would reach Object.prototype if written with bracket assignment.
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export class FormSyntaxError extends Error {}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new FormSyntaxError(`Invalid percent-encoding in form body: ${text.slice(0, 40)}`);
  }
}

function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const segment = /\[([^\]]*)\]/gy;
  let match: RegExpExecArray | null = segment.exec(rest);
  let consumed = 0;
  while (match) {
    parts.push(match[1] ?? '');
    consumed = segment.lastIndex;
    match = segment.exec(rest);
  }
  if (consumed !== rest.length) throw new FormSyntaxError(`Malformed parameter name: ${key}`);
  if (parts.length > MAX_DEPTH) throw new FormSyntaxError(`Parameter nested too deeply: ${key}`);
  return parts;
}

type Draft = { [key: string]: Draft | string };

function assign(target: Draft, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    let part = path[i]!;
    if (FORBIDDEN_KEYS.has(part)) return;
    const last = i === path.length - 1;
    // `a[]` appends: give it the next free numeric slot.
    if (part === '') part = String(Object.keys(node).length);
    if (last) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (typeof next === 'object') {
      node = next;
    } else {
      const created: Draft = {};
      node[part] = created;
      node = created;
    }
  }
}

function finish(draft: Draft | string): FormValue {
  if (typeof draft === 'string') return draft;
  const keys = Object.keys(draft);
  const isList = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (isList) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => finish(draft[String(k)]!));
  }
  const out: FormObject = {};
  for (const key of keys) out[key] = finish(draft[key]!);
  return out;
}

export function parseStripeForm(text: string): FormObject {
  const root: Draft = {};
  if (!text) return {};
  const pairs = text.split('&');
  if (pairs.length > MAX_PAIRS) throw new FormSyntaxError('Too many parameters');
  for (const pair of pairs) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    assign(root, splitKey(decodeComponent(rawKey)), decodeComponent(rawValue));
  }
  return finish(root) as FormObject;
}
