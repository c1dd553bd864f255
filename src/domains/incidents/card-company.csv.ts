import { csvLine } from './incident-scope.csv.ts';
import type { ShopScope } from './incident-scope.query.ts';
import { formatJst } from './jst.ts';

/** For the card companies and the acquirer: every card attempt in the window (never a card number). */
export function cardCompanyCsv(rows: readonly { shopName: string; merchantName: string; scope: ShopScope }[]): string {
  let out = `\uFEFF${csvLine(['加盟店', 'ショップ', '決済日時(JST)', '決済代行会社の決済ID', 'カードブランド', 'カード下4桁', '金額(円)', '返金額(円)', '状態', '注文番号'])}`;
  for (const { shopName, merchantName, scope } of rows) {
    for (const payer of scope.cardPayers) {
      for (const a of payer.attempts) {
        out += csvLine([merchantName, shopName, formatJst(a.startedAt), a.providerPaymentId, a.cardBrand, a.cardLast4, a.amountYen, a.refundedYen, a.status, a.orderNumber]);
      }
    }
  }
  return out;
}
