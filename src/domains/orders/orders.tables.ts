import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the tables in db/migrations/0011_orders.sql. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type BusinessDate = string;
type Json<T> = ColumnType<T, T | string, T | string>;

export type OrderStatus = 'pending_payment' | 'confirmed' | 'picking' | 'shipped' | 'delivered' | 'cancelled' | 'return_requested' | 'returned';
export type PaymentMethod = 'bank_transfer' | 'invoice' | 'cod' | 'card';
export type OrderPaymentStatus = 'unpaid' | 'pending' | 'authorized' | 'paid' | 'failed' | 'cancelled' | 'refunded' | 'partially_refunded';
export type PaymentAttemptStatus = 'started' | 'pending' | 'authorized' | 'succeeded' | 'failed' | 'abandoned' | 'cancelled' | 'refunded' | 'partially_refunded';
export type DeliverySlotCode = '0812' | '1416' | '1618' | '1820' | '1921';
export type Carrier = 'yamato' | 'sagawa' | 'japanpost' | 'other';
export type DocumentKind = 'qualified_invoice' | 'return_invoice' | 'delivery_slip' | 'picking_list' | 'monthly_statement';

export interface BankAccountSetting {
  bankName: string;
  branchName: string;
  accountType: '普通' | '当座';
  accountNumber: string;
  accountHolder: string;
}

export interface ShippingRulesSetting {
  flatFeeYen: number;
  freeOverYen: number | null;
  regionalSurcharges: { label: string; prefectures: string[]; feeYen: number }[];
  remoteIslandSurchargeYen: number;
  remoteIslandPostalPrefixes: string[];
}

export interface ShopSettingsTable {
  tenant_id: string;
  registration_number: string | null;
  issuer_name: string;
  issuer_postal_code: Generated<string>;
  issuer_address: Generated<string>;
  issuer_phone: Generated<string>;
  bank_account: Json<BankAccountSetting | Record<string, never>>;
  bank_transfer_due_business_days: Generated<number>;
  lead_days: Generated<number>;
  cutoff_hour: Generated<number>;
  max_days_ahead: Generated<number>;
  closed_weekdays: Generated<number[]>;
  closed_dates: Generated<BusinessDate[]>;
  shipping_rules: Json<ShippingRulesSetting | Record<string, never>>;
  cod_fee_bands: Json<{ upToYen: number; feeYen: number }[]>;
  payment_methods: Generated<PaymentMethod[]>;
  cancellation_terms: Generated<string>;
  /** Printed in the notes of every invoice and statement (0020). */
  invoice_note: Generated<string>;
  updated_at: DefaultedTimestamp;
}

export interface CartItemsTable {
  tenant_id: string;
  user_id: string;
  account_id: string;
  variant_id: string;
  quantity: number;
  unit_price_seen_yen: number;
  added_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface OrdersTable {
  tenant_id: string;
  id: Generated<string>;
  order_number: string;
  account_id: string;
  membership_id: string;
  placed_by: string;
  status: OrderStatus;
  payment_method: PaymentMethod;
  payment_status: OrderPaymentStatus;
  idempotency_key: string;
  po_number: Generated<string>;
  notes: Generated<string>;
  location_id: string | null;
  recipient_name: string;
  recipient_company: Generated<string>;
  postal_code: string;
  prefecture: string;
  city: string;
  address_line1: string;
  address_line2: Generated<string>;
  phone: string;
  delivery_date: BusinessDate | null;
  delivery_slot: DeliverySlotCode | null;
  subtotal_excl_tax: number;
  shipping_fee_excl_tax: Generated<number>;
  cod_fee_excl_tax: Generated<number>;
  base_10: Generated<number>;
  tax_10: Generated<number>;
  base_8: Generated<number>;
  tax_8: Generated<number>;
  total_incl_tax: number;
  transfer_reference: string | null;
  payment_due_date: BusinessDate | null;
  is_synthetic: Generated<boolean>;
  placed_at: DefaultedTimestamp;
  confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancel_reason: Generated<string>;
  updated_at: DefaultedTimestamp;
}

export interface OrderLinesTable {
  tenant_id: string;
  order_id: string;
  line_no: number;
  variant_id: string;
  product_id: string;
  sku: string;
  jan_code: string | null;
  name: string;
  capacity: Generated<string>;
  quantity: number;
  list_price_yen: number;
  unit_price_excl_tax: number;
  tax_rate: 8 | 10;
  line_total_excl_tax: number;
  lot_tracked: Generated<boolean>;
}

export interface OrderEventsTable {
  tenant_id: string;
  id: Generated<number>;
  order_id: string;
  kind: 'status' | 'payment';
  from_state: string | null;
  to_state: string;
  actor_type: 'salon_user' | 'staff' | 'operator' | 'system' | 'provider';
  actor_id: string | null;
  note: Generated<string>;
  at: DefaultedTimestamp;
}

export interface PaymentsTable {
  tenant_id: string;
  id: Generated<string>;
  order_id: string;
  account_id: string;
  user_id: string | null;
  method: PaymentMethod;
  provider: Generated<string>;
  provider_session_id: string | null;
  provider_payment_id: string | null;
  status: PaymentAttemptStatus;
  amount_yen: number;
  captured_yen: Generated<number>;
  refunded_yen: Generated<number>;
  card_brand: string | null;
  card_last4: string | null;
  three_d_secure: string | null;
  failure_code: string | null;
  client_ip: Generated<string>;
  is_synthetic: Generated<boolean>;
  started_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface ShipmentsTable {
  tenant_id: string;
  id: Generated<string>;
  order_id: string;
  carrier: Carrier;
  tracking_numbers: Generated<string[]>;
  shipped_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface ShipmentLinesTable {
  tenant_id: string;
  shipment_id: string;
  order_id: string;
  line_no: number;
  quantity: number;
  lot_number: Generated<string>;
}

export interface ReturnsTable {
  tenant_id: string;
  id: Generated<string>;
  order_id: string;
  account_id: string;
  kind: 'cancellation' | 'return';
  status: 'requested' | 'approved' | 'refused' | 'completed';
  reason: string;
  lines: Json<{ lineNo: number; quantity: number }[]>;
  requested_by: string;
  requested_at: DefaultedTimestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: Generated<string>;
}

export interface DocumentsTable {
  tenant_id: string;
  id: Generated<string>;
  kind: DocumentKind;
  document_number: string;
  account_id: string | null;
  order_id: string | null;
  statement_id: string | null;
  storage_key: string;
  sha256: string;
  size_bytes: number;
  supersedes: string | null;
  issued_at: DefaultedTimestamp;
  issued_by: string | null;
}

export interface ReceiptsTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  amount_yen: number;
  received_on: BusinessDate;
  note: Generated<string>;
  recorded_by: string;
  created_at: DefaultedTimestamp;
}

export interface StatementsTable {
  tenant_id: string;
  id: Generated<string>;
  account_id: string;
  membership_id: string;
  period_start: BusinessDate;
  period_end: BusinessDate;
  due_date: BusinessDate;
  previous_balance: number;
  payments_received: number;
  purchases_incl_tax: number;
  amount_due: number;
  document_id: string | null;
  created_at: DefaultedTimestamp;
  sent_at: Timestamp | null;
  sent_by: string | null;
  sent_via: StatementSentVia | null;
  paid_at: Timestamp | null;
  paid_by: string | null;
  paid_receipt_id: string | null;
}

export type StatementSentVia = 'mail' | 'post' | 'fax' | 'hand';

export type RefundMethod = 'card' | 'bank_transfer' | 'cod' | 'statement_credit';
export type RefundStatus = 'pending' | 'completed' | 'failed';

/** db/migrations/0020: what an approved return or a paid order's cancellation gives back. */
export interface RefundsTable {
  tenant_id: string;
  id: Generated<string>;
  order_id: string;
  account_id: string;
  kind: 'return' | 'cancellation';
  return_id: string | null;
  method: RefundMethod;
  status: RefundStatus;
  amount_yen: number;
  reason: Generated<string>;
  payee_bank: Json<BankAccountSetting | Record<string, never>>;
  provider_refund_id: string | null;
  attempts: Generated<number>;
  last_error: Generated<string>;
  paid_on: BusinessDate | null;
  note: Generated<string>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  completed_by: string | null;
  completed_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface OrderNumberCountersTable {
  tenant_id: string;
  year_month: string;
  last_value: Generated<number>;
}

export interface OrdersTables {
  shop_settings: ShopSettingsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_events: OrderEventsTable;
  payments: PaymentsTable;
  shipments: ShipmentsTable;
  shipment_lines: ShipmentLinesTable;
  returns: ReturnsTable;
  documents: DocumentsTable;
  receipts: ReceiptsTable;
  statements: StatementsTable;
  refunds: RefundsTable;
  order_number_counters: OrderNumberCountersTable;
}
