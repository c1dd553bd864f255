// Turning shipment data into carrier CSV field values: CP932-safe text fitted to a byte length,
// phone numbers, postal codes and addresses spread over the carrier's address fields.
// Each helper returns either a value or a Japanese message saying why the value cannot be
// carried; truncation is only offered where a shortened value is still safe to print.

import type { CarrierCsvIssue } from './carrier-shipment.ts';
import { cp932ByteLength, substituteForCp932, truncateToCp932Bytes, unrepresentableInCp932 } from './cp932.ts';

export type FieldResult = { ok: true; value: string; truncated: boolean } | { ok: false; message: string };

/** Control characters (newlines in an address would break the CSV and the label) become spaces. */
export function cleanText(value: string): string {
  return substituteForCp932(value)
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function unrepresentableMessage(label: string, chars: string[]): string {
  return `${label}の「${chars.join('」「')}」はShift_JIS（CP932）で表せないため送り状に印字できません。常用の字に置き換えてください。`;
}

function limitText(maxBytes: number): string {
  return `全角${Math.floor(maxBytes / 2)}文字／半角${maxBytes}文字`;
}

/**
 * Fits text into maxBytes of CP932. mode 'truncate' cuts it (item names, notes); 'strict'
 * refuses (names, where a cut-off name could reach the wrong person).
 */
export function fitText(label: string, value: string, maxBytes: number, mode: 'truncate' | 'strict'): FieldResult {
  const text = cleanText(value);
  const bad = unrepresentableInCp932(text);
  if (bad.length > 0) return { ok: false, message: unrepresentableMessage(label, bad) };
  if ((cp932ByteLength(text) ?? 0) <= maxBytes) return { ok: true, value: text, truncated: false };
  if (mode === 'strict') return { ok: false, message: `${label}が長すぎます（${limitText(maxBytes)}まで）。` };
  return { ok: true, value: truncateToCp932Bytes(text, maxBytes), truncated: true };
}

/** Half-width letters, digits and symbols only (order numbers, codes); never truncated. */
export function fitAscii(label: string, value: string, maxBytes: number, pattern = /^[0-9A-Za-z-]*$/): FieldResult {
  const text = value.normalize('NFKC').trim();
  if (!pattern.test(text)) return { ok: false, message: `${label}に使えない文字が含まれています（半角英数字のみ）。` };
  if (text.length > maxBytes) return { ok: false, message: `${label}が長すぎます（半角${maxBytes}文字まで）。` };
  return { ok: true, value: text, truncated: false };
}

const DASHES = /[‐‑‒–—―−－ー]/g;

/** Mobile (070/080/090), IP (050), 020 and 0800 numbers have 11 digits; the rest 10. */
function phoneDigitCount(digits: string): number {
  return /^0[2789]0|^050|^0800/.test(digits) ? 11 : 10;
}

/**
 * Japanese phone number as 0… with its hyphens; hyphens are dropped when the field is too short
 * for them. A phone number is never truncated: a cut-off number is a wrong number.
 */
export function fitPhone(label: string, value: string, maxBytes: number): FieldResult {
  let text = value.normalize('NFKC').replace(DASHES, '-').replace(/[\s()]/g, '');
  if (text.startsWith('+81')) text = `0${text.slice(3).replace(/^-/, '')}`;
  const digits = text.replace(/-/g, '');
  if (!/^[0-9-]+$/.test(text) || !/^0[0-9]+$/.test(digits) || digits.length !== phoneDigitCount(digits)) {
    return { ok: false, message: `${label}が正しくありません（0から始まる10〜11桁の番号を入力してください）。` };
  }
  const formatted = text.length <= maxBytes ? text.replace(/-{2,}/g, '-').replace(/^-|-$/g, '') : digits;
  return { ok: true, value: formatted, truncated: false };
}

/** 7-digit postal code written NNN-NNNN. */
export function fitPostalCode(label: string, value: string): FieldResult {
  const digits = value.normalize('NFKC').replace(DASHES, '-').replace(/[\s〒-]/g, '');
  if (!/^[0-9]{7}$/.test(digits)) return { ok: false, message: `${label}は7桁の数字で入力してください。` };
  return { ok: true, value: `${digits.slice(0, 3)}-${digits.slice(3)}`, truncated: false };
}

/** 'YYYY-MM-DD' → the carrier's date form ('/' for Yamato, '' for Sagawa). */
export function fitDate(label: string, value: string, separator: string): FieldResult {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: false, message: `${label}の形式が正しくありません。` };
  return { ok: true, value: value.replaceAll('-', separator), truncated: false };
}

/**
 * Spreads an address over the carrier's address fields without losing any of it. First each
 * line gets its own field (the building in the last one, where labels expect it), a line too
 * long for its field continuing in the next; if that does not fit, the whole address is run
 * together across the fields. If it still does not fit, the address is refused rather than cut.
 */
export function packAddress(label: string, lines: string[], fieldBytes: number[]): { ok: true; fields: string[] } | { ok: false; message: string } {
  const cleaned = lines.map(cleanText).filter((line) => line !== '');
  const bad = unrepresentableInCp932(cleaned.join(''));
  if (bad.length > 0) return { ok: false, message: unrepresentableMessage(label, bad) };
  if (cleaned.length === 0) return { ok: false, message: `${label}を入力してください。` };

  const byLine = fillFields(mergeExtraLines(cleaned, fieldBytes.length), fieldBytes);
  if (byLine) return { ok: true, fields: byLine };
  const runTogether = fillFields([cleaned.join(' ')], fieldBytes);
  if (runTogether) return { ok: true, fields: runTogether };
  const total = fieldBytes.reduce((a, b) => a + b, 0);
  return { ok: false, message: `${label}が長すぎます（合計${limitText(total)}まで）。省略できる部分がないかご確認ください。` };
}

function mergeExtraLines(lines: string[], fieldCount: number): string[] {
  if (lines.length <= fieldCount) return lines;
  return [...lines.slice(0, fieldCount - 1), lines.slice(fieldCount - 1).join(' ')];
}

function fillFields(lines: string[], fieldBytes: number[]): string[] | null {
  const fields: string[] = [];
  const queue = [...lines];
  for (const width of fieldBytes) {
    const current = queue.shift();
    if (current === undefined) {
      fields.push('');
      continue;
    }
    const head = truncateToCp932Bytes(current, width);
    fields.push(head);
    const rest = current.slice(head.length).trim();
    if (rest !== '') queue.unshift(rest);
  }
  return queue.length === 0 ? fields : null;
}

/** Half-width letters, digits, spaces and kana made full-width, for fields the carrier widens itself. */
export function toFullWidth(value: string): string {
  return value
    .replace(/[\uff61-\uff9f]+/g, (kana) => kana.normalize('NFKC'))
    .replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
    .replace(/ /g, '\u3000');
}

/** One CSV line: fields quoted only when they contain a comma or a quote. */
export function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(',');
}

/**
 * One CSV row being filled, column by column, in a carrier's column order: fitted values are
 * kept, a value that cannot be carried is reported against its column (and the row is left out),
 * a truncation is reported as a warning.
 */
export class CarrierRow<Column extends string> {
  private readonly values = new Map<Column, string>();
  private failed = false;

  constructor(
    private readonly row: number,
    private readonly errors: CarrierCsvIssue[],
    private readonly warnings: CarrierCsvIssue[],
  ) {}

  put(column: Column, result: FieldResult): void {
    if (!result.ok) {
      this.fail(column, result.message);
      return;
    }
    if (result.truncated) this.warnings.push({ row: this.row, field: column, message: `${column}を${result.value.length}文字に切り詰めました。` });
    this.values.set(column, result.value);
  }

  fail(column: Column, message: string): void {
    this.errors.push({ row: this.row, field: column, message });
    this.failed = true;
  }

  set(column: Column, value: string): void {
    this.values.set(column, value);
  }

  /** The row in `columns` order, or null when any column failed. */
  fields(columns: readonly Column[]): string[] | null {
    return this.failed ? null : columns.map((column) => this.values.get(column) ?? '');
  }
}
