// Delivery time slots buyers may choose, with the carriers' codes for their CSV imports.
// Yamato's codes are those since its June 2017 change (12–14 dropped, 20–21 became 19–21).
// Sagawa's 18 and 19 exist only under the 6時間帯 option; on a 5時間帯 contract use 04 (18–21).

export interface DeliverySlot {
  code: DeliverySlotCode;
  label: string;
  yamatoCode: string;
  sagawaCode: string;
}

export type DeliverySlotCode = 'am' | '14-16' | '16-18' | '18-20' | '19-21';

export const deliverySlots: readonly DeliverySlot[] = [
  { code: 'am', label: '午前中', yamatoCode: '0812', sagawaCode: '01' },
  { code: '14-16', label: '14時〜16時', yamatoCode: '1416', sagawaCode: '14' },
  { code: '16-18', label: '16時〜18時', yamatoCode: '1618', sagawaCode: '16' },
  { code: '18-20', label: '18時〜20時', yamatoCode: '1820', sagawaCode: '18' },
  { code: '19-21', label: '19時〜21時', yamatoCode: '1921', sagawaCode: '19' },
];

export function deliverySlotByCode(code: string): DeliverySlot | undefined {
  return deliverySlots.find((slot) => slot.code === code);
}
