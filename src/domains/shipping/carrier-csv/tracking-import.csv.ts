// Reads the tracking numbers a carrier's software exports after printing labels, and matches
// them to orders by the order number we sent as お客様管理番号 / お客様管理ナンバー.
// Files come back as CP932 from the carriers' Windows software, or as UTF-8 after someone
// opened and saved them elsewhere; the encoding is detected, not assumed.
// An order may have several rows (one per parcel).

import { parse } from 'csv-parse/sync';

export type Carrier = 'yamato' | 'sagawa';

export interface TrackingRow {
  /** 1-based line number in the file, for messages to staff. */
  line: number;
  orderNumber: string;
  trackingNumber: string;
  carrier: Carrier;
}

export interface TrackingImportError {
  line: number;
  message: string;
}

export interface TrackingImportResult {
  encoding: 'utf-8' | 'cp932';
  rows: TrackingRow[];
  errors: TrackingImportError[];
}

export interface TrackingImportOptions {
  /** The carrier when the file does not say (no carrier column, generic headers). */
  carrier?: Carrier;
}

const ORDER_HEADERS = ['お客様管理番号', 'お客様管理ナンバー', '注文番号'];
const TRACKING_HEADERS = ['伝票番号', '送り状番号', 'お問い合せ送り状No', 'お問合せ送り状No', 'お問い合わせ送り状NO', '問い合わせ番号', '追跡番号'];
const CARRIER_HEADERS = ['配送業者', '運送会社'];

/** A file's own header tells which carrier wrote it. */
const YAMATO_ONLY = 'お客様管理番号';
const SAGAWA_ONLY = 'お客様管理ナンバー';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function decodeCarrierFile(buffer: Uint8Array): { text: string; encoding: 'utf-8' | 'cp932' } {
  const hasBom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' };
  } catch {
    // A BOM says UTF-8 even if some bytes are damaged; those become U+FFFD and fail validation.
    if (hasBom) return { text: new TextDecoder('utf-8').decode(buffer), encoding: 'utf-8' };
    return { text: new TextDecoder('shift_jis').decode(buffer), encoding: 'cp932' };
  }
}

function headerKey(value: string): string {
  return value.normalize('NFKC').replace(/\s/g, '').toLowerCase();
}

function findColumn(header: string[], candidates: string[]): number {
  const keys = new Set(candidates.map(headerKey));
  return header.findIndex((name) => keys.has(headerKey(name)));
}

function carrierFromCell(value: string): Carrier | null {
  const v = value.normalize('NFKC').toLowerCase();
  if (/ヤマト|クロネコ|yamato/.test(v)) return 'yamato';
  if (/佐川|sagawa/.test(v)) return 'sagawa';
  return null;
}

export function parseTrackingCsv(buffer: Uint8Array, opts: TrackingImportOptions = {}): TrackingImportResult {
  if (buffer.byteLength > MAX_FILE_BYTES) {
    return { encoding: 'utf-8', rows: [], errors: [{ line: 0, message: 'ファイルが大きすぎます（5MBまで）。' }] };
  }
  const { text, encoding } = decodeCarrierFile(buffer);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch {
    return { encoding, rows: [], errors: [{ line: 0, message: 'CSVとして読み取れませんでした。ファイル形式をご確認ください。' }] };
  }
  const [header, ...body] = records;
  if (!header) return { encoding, rows: [], errors: [{ line: 0, message: 'ファイルが空です。' }] };

  const orderColumn = findColumn(header, ORDER_HEADERS);
  const trackingColumn = findColumn(header, TRACKING_HEADERS);
  if (orderColumn < 0 || trackingColumn < 0) {
    return {
      encoding,
      rows: [],
      errors: [{ line: 1, message: '見出し行に「お客様管理番号（または お客様管理ナンバー・注文番号）」と「伝票番号（または 送り状番号・お問い合せ送り状No）」の列が必要です。' }],
    };
  }
  const carrierColumn = findColumn(header, CARRIER_HEADERS);
  const headerCarrier: Carrier | undefined =
    findColumn(header, [SAGAWA_ONLY]) >= 0 ? 'sagawa' : findColumn(header, [YAMATO_ONLY]) >= 0 && findColumn(header, ['伝票番号']) >= 0 ? 'yamato' : undefined;

  const rows: TrackingRow[] = [];
  const errors: TrackingImportError[] = [];
  body.forEach((record, i) => {
    const line = i + 2;
    const orderNumber = (record[orderColumn] ?? '').normalize('NFKC').trim();
    const rawTracking = (record[trackingColumn] ?? '').normalize('NFKC').trim();
    if (orderNumber === '' && rawTracking === '') return;
    if (orderNumber === '') {
      errors.push({ line, message: '注文番号（お客様管理番号）が空です。' });
      return;
    }
    const trackingNumber = rawTracking.replace(/[-\s]/g, '');
    if (!/^[0-9]{12}$/.test(trackingNumber)) {
      errors.push({ line, message: `注文番号 ${orderNumber} の伝票番号「${rawTracking}」は12桁の数字ではありません。` });
      return;
    }
    const carrier = (carrierColumn >= 0 ? carrierFromCell(record[carrierColumn] ?? '') : null) ?? opts.carrier ?? headerCarrier;
    if (!carrier) {
      errors.push({ line, message: `注文番号 ${orderNumber} の配送業者が判別できません。「配送業者」列を追加してください。` });
      return;
    }
    rows.push({ line, orderNumber, trackingNumber, carrier });
  });
  return { encoding, rows, errors };
}
