import { type Selectable, sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type BusinessCalendar, createBusinessCalendar } from '../calendar/business-calendar.ts';
import { ConflictError } from '../shared/domain-error.ts';
import type { PrefectureName } from '../shipping/prefectures.ts';
import type { CodFeeBand, ShippingFeeRules } from '../shipping/shipping-fee.ts';
import type { BankAccountSetting, PaymentMethod, ShippingRulesSetting, ShopSettingsTable } from './orders.tables.ts';

/** A shop's commerce settings, parsed once per request into the shapes the rules take. */
export interface ShopSettings {
  tenantId: string;
  shopSlug: string;
  registrationNumber: string | null;
  issuerName: string;
  issuerPostalCode: string;
  issuerAddress: string;
  issuerPhone: string;
  bankAccount: BankAccountSetting | null;
  bankTransferDueBusinessDays: number;
  leadDays: number;
  cutoffHour: number;
  maxDaysAhead: number;
  calendar: BusinessCalendar;
  shippingRules: ShippingFeeRules;
  codFeeBands: CodFeeBand[];
  paymentMethods: PaymentMethod[];
  cancellationTerms: string;
  /** The issuer's fixed note on invoices and statements (振込手数料, 社印省略 …). */
  invoiceNote: string;
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toIsoDates(values: unknown[]): string[] {
  return values.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)));
}

export function shippingRulesFrom(setting: Partial<ShippingRulesSetting>): ShippingFeeRules {
  const prefectureSurcharges: Partial<Record<PrefectureName, number>> = {};
  for (const surcharge of setting.regionalSurcharges ?? []) {
    for (const prefecture of surcharge.prefectures) prefectureSurcharges[prefecture as PrefectureName] = surcharge.feeYen;
  }
  const prefixes = setting.remoteIslandPostalPrefixes ?? [];
  return {
    flatFee: setting.flatFeeYen ?? 0,
    freeThresholdExclTax: setting.freeOverYen ?? null,
    prefectureSurcharges,
    remoteIslands: prefixes.length && setting.remoteIslandSurchargeYen ? { postalCodePrefixes: prefixes, surcharge: setting.remoteIslandSurchargeYen } : null,
  };
}

export async function loadShopSettings(tx: Tx, tenantId: string): Promise<ShopSettings> {
  // One round trip: the settings with the shop's slug.
  const row = await tx
    .selectFrom('shop_settings')
    .innerJoin('tenants', 'tenants.id', 'shop_settings.tenant_id')
    .selectAll('shop_settings')
    .select('tenants.slug as shop_slug')
    // date[] would come back as Date objects in local time on one driver: read the text form.
    .select(sql<string[]>`shop_settings.closed_dates::text[]`.as('closed_dates_text'))
    .where('shop_settings.tenant_id', '=', tenantId)
    .executeTakeFirst();
  return shopSettingsOf(row ? { ...row, closed_dates: row.closed_dates_text } : undefined, tenantId);
}

/**
 * The settings as a select-list item for the request scope's setup round trip (inShop's
 * `preload`; the shop is `t` there and row-level security already scopes the read): routes that
 * always need them — checkout, placement — save a round trip. Read back with preloadedShopSettings.
 * In JSON, dates are their ISO text and jsonb columns are objects.
 */
export const SHOP_SETTINGS_PRELOAD = `(SELECT to_jsonb(ss) || jsonb_build_object('shop_slug', t.slug)
     FROM shop_settings ss WHERE ss.tenant_id = t.id) AS shop_settings`;

/** The settings from a scope preloaded with SHOP_SETTINGS_PRELOAD. */
export function preloadedShopSettings(preloaded: Record<string, unknown>, tenantId: string): ShopSettings {
  const row = json<SettingsRow | null>(preloaded.shop_settings ?? null);
  return shopSettingsOf(row ?? undefined, tenantId);
}

type SettingsRow = Omit<Selectable<ShopSettingsTable>, 'closed_dates'> & { shop_slug: string; closed_dates: unknown[] };

function shopSettingsOf(row: SettingsRow | undefined, tenantId: string): ShopSettings {
  if (!row) throw new ConflictError('このショップはまだご注文を受け付けていません（ショップ設定が未登録です）。');
  const bank = json<Partial<BankAccountSetting>>(row.bank_account);
  const closedDates = toIsoDates(row.closed_dates);
  return {
    tenantId,
    shopSlug: row.shop_slug,
    registrationNumber: row.registration_number,
    issuerName: row.issuer_name,
    issuerPostalCode: row.issuer_postal_code,
    issuerAddress: row.issuer_address,
    issuerPhone: row.issuer_phone,
    bankAccount: bank.accountNumber ? (bank as BankAccountSetting) : null,
    bankTransferDueBusinessDays: row.bank_transfer_due_business_days,
    leadDays: row.lead_days,
    cutoffHour: row.cutoff_hour,
    maxDaysAhead: row.max_days_ahead,
    calendar: createBusinessCalendar({ closedWeekdays: row.closed_weekdays, closedDates }),
    shippingRules: shippingRulesFrom(json<Partial<ShippingRulesSetting>>(row.shipping_rules)),
    codFeeBands: json<{ upToYen: number; feeYen: number }[]>(row.cod_fee_bands).map((b) => ({ upToInclTax: b.upToYen, fee: b.feeYen })),
    paymentMethods: row.payment_methods,
    cancellationTerms: row.cancellation_terms,
    invoiceNote: row.invoice_note,
  };
}
