import type { Carrier } from '../orders/orders.tables.ts';

/** Each carrier's public tracking page for one number (the links in the shipped mail and order page). */
export function trackingUrl(carrier: Carrier, trackingNumber: string): string | null {
  const n = encodeURIComponent(trackingNumber.replace(/-/g, ''));
  switch (carrier) {
    case 'yamato':
      return `https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=${n}`;
    case 'sagawa':
      return `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${n}`;
    case 'japanpost':
      return `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${n}&locale=ja`;
    default:
      return null;
  }
}

export const CARRIER_LABELS: Readonly<Record<Carrier, string>> = {
  yamato: 'ヤマト運輸',
  sagawa: '佐川急便',
  japanpost: '日本郵便',
  other: 'その他',
};

const TRACKING_NUMBER = /^[0-9A-Za-z-]{6,30}$/;

/** Staff type numbers with spaces, full-width digits and commas: one normalised list or the bad entries. */
export function parseTrackingNumbers(raw: string): { numbers: string[]; invalid: string[] } {
  const parts = raw
    .normalize('NFKC')
    .split(/[\s,、]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const numbers = [...new Set(parts.filter((p) => TRACKING_NUMBER.test(p)))];
  return { numbers, invalid: parts.filter((p) => !TRACKING_NUMBER.test(p)) };
}
