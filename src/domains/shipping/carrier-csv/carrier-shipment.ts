// What the carrier exporters need to know about one parcel. Amounts are yen; dates 'YYYY-MM-DD'.

import type { DeliverySlotCode } from '../../calendar/delivery-slots.ts';

/** 元払い (sender pays shipping) or コレクト (代金引換: the driver collects codAmount). */
export type CarrierPaymentType = 'prepaid' | 'cod';

export interface CarrierParty {
  postalCode: string;
  prefecture: string;
  /** Street address after the prefecture, in order: city and block first, building and room last. */
  addressLines: string[];
  name: string;
  phone: string;
}

export interface CarrierConsignee extends CarrierParty {
  company?: string;
  department?: string;
}

export interface CarrierShipper extends CarrierParty {
  /** Yamato B2 contract data, required for the Yamato export. */
  yamato?: {
    /** ご請求先顧客コード (10–12 digits). */
    billingCustomerCode: string;
    billingClassCode?: string;
    /** 運賃管理番号 (2 digits, usually '01'). */
    freightManagementNumber: string;
  };
  /** Sagawa お客様コード (optional in e飛伝 when the login already identifies the customer). */
  sagawaCustomerCode?: string;
}

export interface CarrierShipment {
  orderNumber: string;
  shipDate: string;
  deliveryDate: string | null;
  deliverySlot: DeliverySlotCode | null;
  consignee: CarrierConsignee;
  shipper: CarrierShipper;
  itemName: string;
  /** Number of parcels (個数). */
  count: number;
  paymentType: CarrierPaymentType;
  /** Tax-included amount to collect, for 'cod' only. */
  codAmount: number | null;
  /** Consumption tax included in codAmount, printed on the COD slip when given. */
  codTaxAmount?: number | null;
  notes?: string;
}

export interface CarrierCsvIssue {
  /** Index of the shipment in the input array. */
  row: number;
  field: string;
  message: string;
}

export interface CarrierCsvResult {
  /** CP932 bytes, CRLF line ends, header line first; rows with errors are left out. */
  csv: Buffer;
  errors: CarrierCsvIssue[];
  /** Rows that were exported but altered (text truncated to the field length). */
  warnings: CarrierCsvIssue[];
  /** Number of data rows written. */
  rowCount: number;
}

export interface CarrierCsvOptions {
  /** Write the header line (default true; choose 取込開始行 2 in the carrier's software). */
  header?: boolean;
}
