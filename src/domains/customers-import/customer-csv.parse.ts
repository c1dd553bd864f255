import { parse } from 'csv-parse/sync';

/**
 * The customer CSV staff upload: one header row (Japanese column names, or the English keys),
 * then one customer per row. Pure: checks each row on its own and within the file; what the
 * database already holds (ranks, invitations, members) is checked by the import service.
 */

export const CUSTOMER_CSV_COLUMNS = [
  { key: 'company', header: '会社名', required: true },
  { key: 'contact', header: '担当者名', required: true },
  { key: 'email', header: 'メールアドレス', required: true },
  { key: 'phone', header: '電話番号', required: false },
  { key: 'rank_code', header: 'ランクコード', required: true },
  { key: 'invoice_terms', header: '掛け払い', required: false },
  { key: 'credit_limit', header: '与信限度額', required: false },
  { key: 'closing_day', header: '締め日', required: false },
  { key: 'payment_month', header: '支払月', required: false },
  { key: 'payment_day', header: '支払日', required: false },
  { key: 'customer_code', header: '得意先コード', required: false },
] as const;

export type CustomerCsvKey = (typeof CUSTOMER_CSV_COLUMNS)[number]['key'];

export const MAX_IMPORT_ROWS = 20_000;

export interface CustomerRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  company: string;
  contact: string;
  email: string;
  phone: string;
  rankCode: string;
  invoiceTermsEnabled: boolean;
  creditLimitYen: number;
  closingDay: number;
  paymentMonthOffset: number;
  paymentDay: number;
  customerCode: string;
}

export interface RowProblem {
  line: number;
  messages: string[];
}

export interface ParsedCustomerCsv {
  rows: CustomerRow[];
  /** Problems with the file as a whole (missing columns, no rows, too many rows). */
  fileErrors: string[];
  rowErrors: RowProblem[];
}

const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;
const PHONE = /^[0-9+\-() ]{0,20}$/;

function headerKey(header: string): CustomerCsvKey | null {
  const h = header.trim().replace(/^\ufeff/, '');
  const col = CUSTOMER_CSV_COLUMNS.find((c) => c.header === h || c.key === h.toLowerCase());
  return col?.key ?? null;
}

function toHalfWidth(s: string): string {
  return s.replace(/[０-９Ａ-Ｚａ-ｚ－，]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

function dayOf(raw: string, label: string, messages: string[]): number {
  const v = toHalfWidth(raw).replace(/日$/, '');
  if (v === '' || v === '末' || v === '月末' || v === '末日') return 31;
  if (/^\d{1,2}$/.test(v)) {
    const d = Number(v);
    if ((d >= 1 && d <= 28) || d === 31) return d;
  }
  messages.push(`${label}は1〜28、31または「末」で入力してください(「${raw}」)。`);
  return 31;
}

const MONTH_WORDS: Record<string, number> = { 当月: 0, 翌月: 1, 翌々月: 2, '0': 0, '1': 1, '2': 2, '3': 3 };

export function parseCustomerCsv(text: string): ParsedCustomerCsv {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, trim: false }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return { rows: [], fileErrors: [`CSV の形式が正しくありません${line ? `(${line}行目付近)` : ''}。引用符(")の対応を確認してください。`], rowErrors: [] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], fileErrors: ['ファイルにデータがありません。'], rowErrors: [] };
  const keys = header.map(headerKey);
  const index = new Map<CustomerCsvKey, number>();
  keys.forEach((k, i) => {
    if (k && !index.has(k)) index.set(k, i);
  });
  const missing = CUSTOMER_CSV_COLUMNS.filter((c) => c.required && !index.has(c.key)).map((c) => c.header);
  if (missing.length) return { rows: [], fileErrors: [`必須の列がありません: ${missing.join('、')}(1行目に見出しが必要です)`], rowErrors: [] };
  if (body.length === 0) return { rows: [], fileErrors: ['取り込む行がありません。'], rowErrors: [] };
  if (body.length > MAX_IMPORT_ROWS) return { rows: [], fileErrors: [`一度に取り込めるのは${MAX_IMPORT_ROWS.toLocaleString('ja-JP')}行までです(${body.length.toLocaleString('ja-JP')}行あります)。`], rowErrors: [] };

  const rows: CustomerRow[] = [];
  const rowErrors: RowProblem[] = [];
  const emailLines = new Map<string, number>();
  const codeLines = new Map<string, number>();
  body.forEach((record, i) => {
    const line = i + 2;
    const get = (k: CustomerCsvKey) => {
      const at = index.get(k);
      return at === undefined ? '' : (record[at] ?? '').trim();
    };
    const messages: string[] = [];
    const company = get('company');
    const contact = get('contact');
    const email = toHalfWidth(get('email')).toLowerCase();
    const phone = toHalfWidth(get('phone'));
    const rankCode = toHalfWidth(get('rank_code')).toLowerCase();
    const customerCode = toHalfWidth(get('customer_code'));
    if (!company) messages.push('会社名が空です。');
    else if (company.length > 200) messages.push('会社名は200文字以内にしてください。');
    if (!contact) messages.push('担当者名が空です。');
    else if (contact.length > 100) messages.push('担当者名は100文字以内にしてください。');
    if (!email) messages.push('メールアドレスが空です。');
    else if (email.length > 254 || !EMAIL.test(email)) messages.push(`メールアドレスの形式が正しくありません(「${get('email')}」)。`);
    else if (emailLines.has(email)) messages.push(`メールアドレスがファイル内で重複しています(${emailLines.get(email)}行目と同じ)。`);
    else emailLines.set(email, line);
    if (!PHONE.test(phone)) messages.push('電話番号は数字とハイフンで20文字以内にしてください。');
    if (!rankCode) messages.push('ランクコードが空です。');
    const invoiceRaw = toHalfWidth(get('invoice_terms')).toLowerCase();
    let invoiceTermsEnabled = false;
    if (['有', 'あり', '1', 'yes', 'y', 'true', '○', '〇'].includes(invoiceRaw)) invoiceTermsEnabled = true;
    else if (!['', '無', 'なし', '0', 'no', 'n', 'false', '×'].includes(invoiceRaw)) messages.push(`掛け払いは「有」か「無」で入力してください(「${get('invoice_terms')}」)。`);
    const limitRaw = toHalfWidth(get('credit_limit')).replace(/[,円¥￥]/g, '');
    let creditLimitYen = 0;
    if (limitRaw !== '') {
      if (/^-/.test(limitRaw)) messages.push('与信限度額にマイナスは指定できません。');
      else if (!/^\d{1,10}$/.test(limitRaw) || Number(limitRaw) > 2_000_000_000) messages.push(`与信限度額は0以上の整数(円)で入力してください(「${get('credit_limit')}」)。`);
      else creditLimitYen = Number(limitRaw);
    }
    const closingDay = dayOf(get('closing_day'), '締め日', messages);
    const paymentDay = dayOf(get('payment_day'), '支払日', messages);
    const monthRaw = toHalfWidth(get('payment_month'));
    const paymentMonthOffset = monthRaw === '' ? 1 : (MONTH_WORDS[monthRaw] ?? -1);
    if (paymentMonthOffset < 0) messages.push(`支払月は「当月」「翌月」「翌々月」または0〜3で入力してください(「${monthRaw}」)。`);
    if (customerCode.length > 30 || !/^[A-Za-z0-9_-]*$/.test(customerCode)) messages.push('得意先コードは半角英数字・ハイフン・アンダースコア30文字以内にしてください。');
    else if (customerCode && codeLines.has(customerCode)) messages.push(`得意先コードがファイル内で重複しています(${codeLines.get(customerCode)}行目と同じ)。`);
    else if (customerCode) codeLines.set(customerCode, line);
    if (invoiceTermsEnabled && creditLimitYen === 0 && messages.length === 0) messages.push('掛け払い「有」の場合は与信限度額を入力してください。');
    if (messages.length) rowErrors.push({ line, messages });
    rows.push({ line, company, contact, email, phone, rankCode, invoiceTermsEnabled, creditLimitYen, closingDay, paymentMonthOffset: Math.max(0, paymentMonthOffset), paymentDay, customerCode });
  });
  return { rows, fileErrors: [], rowErrors };
}

/** A file staff can download, fill in and upload back (UTF-8 with BOM, so Excel opens it right). */
export function sampleCustomerCsv(): string {
  const header = CUSTOMER_CSV_COLUMNS.map((c) => c.header).join(',');
  const lines = [
    header,
    '株式会社ヘアサロン青山,青山 花子,hanako@salon-aoyama.example,03-1234-5678,gold,有,500000,20,翌月,31,C0001',
    '美容室さくら,佐倉 太郎,info@sakura-biyo.example,06-2345-6789,standard,無,,,,,C0002',
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
