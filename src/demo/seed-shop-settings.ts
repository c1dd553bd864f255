import type { PaymentMethod, ShippingRulesSetting } from '../domains/orders/orders.tables.ts';
import type { Database } from '../platform/db/database.ts';
import { withPlatform, withTenant } from '../platform/db/tenant-scope.ts';
import { DEMO_SHOPS, type DemoShop } from './catalog/demo-shops.ts';

/**
 * One shop_settings row per demo shop: issuer and registration number for qualified invoices,
 * the bank account for transfers, shipping rules, COD fee bands, lead time, cutoff and closed
 * days. Idempotent: a shop that already has its row keeps it (staff may have edited it).
 */

// Postal-code prefixes of remote islands the demo shops surcharge (伊豆諸島・小笠原, 佐渡, 奄美).
export const DEMO_REMOTE_ISLAND_PREFIXES = ['10001', '10002', '10003', '10004', '10005', '10006', '10011', '10012', '10013', '10014', '10015', '10016', '10021', '952', '894'];

// 年末年始 and 夏季休業 as in the shops' notices. closed_dates is a date[], so the recurring
// closures are written out for this year and the next two.
const SEASONAL_CLOSURES = ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03', '01-04', '08-13', '08-14', '08-15', '08-16'];

export function seasonalClosedDates(fromYear: number, years = 3): string[] {
  const dates: string[] = [];
  for (let year = fromYear; year < fromYear + years; year++) for (const md of SEASONAL_CLOSURES) dates.push(`${year}-${md}`);
  return dates.sort();
}

const CANCELLATION_TERMS =
  'ご注文のキャンセルは、出荷準備（ピッキング）開始前まで注文履歴から申請いただけます。出荷準備開始後のキャンセルはお受けできません。銀行振込のご注文は、お支払期限までにご入金が確認できない場合、自動的にキャンセルとなります。';

function closedWeekdays(shop: DemoShop): number[] {
  const names = ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'];
  return names.flatMap((name, index) => (shop.closedOn.includes(name) ? [index] : []));
}

function cutoffHour(shop: DemoShop): number {
  const match = /(\d{1,2})時まで/.exec(shop.legal.delivery_timing);
  return match ? Number(match[1]) : 15;
}

export function demoShopSettings(shop: DemoShop, now: Date = new Date()) {
  const shipping: ShippingRulesSetting = {
    flatFeeYen: shop.shipping.flatFeeYen,
    freeOverYen: shop.shipping.freeOverYen,
    regionalSurcharges: shop.shipping.regionalSurcharges,
    remoteIslandSurchargeYen: shop.shipping.remoteIslandSurchargeYen,
    remoteIslandPostalPrefixes: DEMO_REMOTE_ISLAND_PREFIXES,
  };
  const methods: PaymentMethod[] = ['bank_transfer', 'cod', 'card'];
  if (shop.legal.payment_methods.includes('掛け払い')) methods.push('invoice');
  return {
    registration_number: shop.registrationNumber,
    issuer_name: shop.companyName,
    issuer_postal_code: shop.legal.postal_code.replace('-', ''),
    issuer_address: shop.legal.address,
    issuer_phone: shop.legal.phone,
    bank_account: JSON.stringify(shop.bankAccount),
    bank_transfer_due_business_days: 7,
    lead_days: 1,
    cutoff_hour: cutoffHour(shop),
    max_days_ahead: 30,
    closed_weekdays: closedWeekdays(shop),
    closed_dates: seasonalClosedDates(now.getUTCFullYear()),
    shipping_rules: JSON.stringify(shipping),
    // The carriers cap COD at ¥300,000 (tax included); the demo shops charge one fee below it.
    cod_fee_bands: JSON.stringify([{ upToYen: 300_000, feeYen: shop.shipping.codFeeYen }]),
    payment_methods: methods,
    cancellation_terms: CANCELLATION_TERMS,
  };
}

export async function seedDemoShopSettings(database: Database): Promise<{ inserted: number }> {
  const tenants = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug']).execute());
  let inserted = 0;
  for (const shop of DEMO_SHOPS) {
    const tenant = tenants.find((t) => t.slug === shop.slug);
    if (!tenant) continue;
    inserted += await withTenant(database, tenant.id, async (tx) => {
      const result = await tx
        .insertInto('shop_settings')
        .values({ tenant_id: tenant.id, ...demoShopSettings(shop) })
        .onConflict((oc) => oc.column('tenant_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n);
    });
  }
  return { inserted };
}
