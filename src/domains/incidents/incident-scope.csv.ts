import type { ShopScope } from './incident-scope.query.ts';
import { formatJst } from './jst.ts';

/** CSV cells: quoted, and a leading = + - @ neutralised so a spreadsheet never runs a formula. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const SET_LABELS = { card: 'カード決済', view: '決済ページ閲覧のみ', credential: 'ログイン・パスワード画面' } as const;

/** One row per exposed person and set (card payers: one row per attempt), UTF-8 with BOM for Excel. */
export function scopeCsv(shopName: string, scope: ShopScope): string {
  let out = `\uFEFF${csvLine(['ショップ', '区分', '種別', '会社名', 'サロン名', 'ご担当者', 'メールアドレス', '郵便番号', '住所', '電話番号', '住所なし(メール通知)', '日時(JST)', '状態', 'カードブランド', 'カード下4桁', '決済代行会社の決済ID', '注文番号', '金額', '返金額', '閲覧ページ'])}`;
  const base = (c: ShopScope['cardPayers'][number] | ShopScope['pageViewOnly'][number] | ShopScope['credentialExposed'][number]) => [
    c.kind === 'salon' ? '会員' : 'スタッフ',
    c.companyName,
    c.salonName,
    c.contactName,
    c.email,
    c.postalCode,
    c.address,
    c.phone,
    c.postalMissing ? '要確認' : '',
  ];
  for (const payer of scope.cardPayers) {
    for (const a of payer.attempts) {
      out += csvLine([shopName, SET_LABELS.card, ...base(payer), formatJst(a.startedAt), a.status, a.cardBrand, a.cardLast4, a.providerPaymentId, a.orderNumber, a.amountYen, a.refundedYen, '']);
    }
  }
  for (const v of scope.pageViewOnly) out += csvLine([shopName, SET_LABELS.view, ...base(v), formatJst(v.firstViewAt), '', '', '', '', '', '', '', v.pages.join(' ')]);
  for (const c of scope.credentialExposed) out += csvLine([shopName, SET_LABELS.credential, ...base(c), formatJst(c.firstViewAt), '', '', '', '', '', '', '', c.pages.join(' ')]);
  return out;
}
