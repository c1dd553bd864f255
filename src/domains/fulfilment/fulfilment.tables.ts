import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0016_fulfilment.sql. */

type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ShopCarrierAccountsTable {
  tenant_id: string;
  yamato_billing_customer_code: Generated<string>;
  yamato_billing_class_code: Generated<string>;
  yamato_freight_management_number: Generated<string>;
  sagawa_customer_code: Generated<string>;
  updated_at: DefaultedTimestamp;
}

export interface FulfilmentTables {
  shop_carrier_accounts: ShopCarrierAccountsTable;
}
