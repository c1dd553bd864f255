import { invalidRequest, missingParam } from './api-error.model.ts';
import type { FormObject, FormValue } from './form-body.parse.ts';

/**
 * Typed reads of decoded form parameters. Every failure names the parameter path the way Stripe
 * does (`line_items[0][quantity]`), so the SDK error says what to fix.
 */
export function objectParam(value: FormValue | undefined, param: string): FormObject | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value;
  throw invalidRequest(`Invalid object`, param);
}

export function listParam(value: FormValue | undefined, param: string): FormValue[] {
  if (value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  throw invalidRequest(`Invalid array`, param);
}

export function stringParam(value: FormValue | undefined, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw invalidRequest(`Invalid string: ${param} must be a string`, param);
}

export function requiredString(value: FormValue | undefined, param: string): string {
  const text = stringParam(value, param);
  if (text === undefined || text === '') throw missingParam(param);
  return text;
}

export function integerParam(value: FormValue | undefined, param: string): number | undefined {
  const text = stringParam(value, param);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d{1,15}$/.test(text)) throw invalidRequest(`Invalid integer: ${text}`, param);
  return Number(text);
}

export function enumParam<T extends string>(value: FormValue | undefined, param: string, allowed: readonly T[]): T | undefined {
  const text = stringParam(value, param);
  if (text === undefined || text === '') return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}`, param);
}

export function stringListParam(value: FormValue | undefined, param: string): string[] {
  return listParam(value, param).map((item, i) => requiredString(item, `${param}[${i}]`));
}

/** Stripe metadata: up to 50 keys, keys ≤ 40 chars, values ≤ 500 chars. */
export function metadataParam(value: FormValue | undefined, param: string): Record<string, string> {
  const source = objectParam(value, param) ?? {};
  const keys = Object.keys(source);
  if (keys.length > 50) throw invalidRequest('Metadata can have up to 50 keys', param);
  const out: Record<string, string> = {};
  for (const key of keys) {
    const text = stringParam(source[key], `${param}[${key}]`) ?? '';
    if (key.length > 40) throw invalidRequest(`Metadata key too long: ${key.slice(0, 40)}…`, `${param}[${key}]`);
    if (text.length > 500) throw invalidRequest('Metadata values can have up to 500 characters', `${param}[${key}]`);
    if (text !== '') out[key] = text;
  }
  return out;
}

/** Refuses parameters this sandbox does not know, as Stripe does, so typos fail loudly. */
export function rejectUnknownParams(body: FormObject, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
  }
}

export function expandParam(body: FormObject): string[] {
  return stringListParam(body['expand'], 'expand');
}
