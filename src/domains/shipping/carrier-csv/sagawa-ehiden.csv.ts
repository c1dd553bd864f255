// 佐川急便 e飛伝 shipment CSV in the standard 飛脚宅配便 layout (e飛伝II「標準パターン」, which
// e飛伝III reads as its standard CSV with a header line): 住所録コード … 元着区分, 42 columns.
// e飛伝 widens half-width text in names and addresses to full width on import, so those fields
// are widened here first and measured as e飛伝 will see them (16 full-width characters each).
//
// Codes used: 便種 000 飛脚宅配便 / 商品 001 指定なし; 元着区分 1 元払; time slots are the
// 6時間帯 codes (see delivery-slots.ts); 指定シール 005 指定日配達, 019 時間帯指定 (6時間帯),
// 008 eコレクト（現金決済）with 決済種別 2 (現金のみ) for cash on delivery.

import { deliverySlotByCode } from '../../calendar/delivery-slots.ts';
import { CarrierRow, csvLine, fitAscii, fitDate, fitPhone, fitPostalCode, fitText, packAddress, toFullWidth } from './carrier-fields.ts';
import type { CarrierCsvIssue, CarrierCsvOptions, CarrierCsvResult, CarrierShipment } from './carrier-shipment.ts';
import { encodeCp932 } from './cp932.ts';

/** Cash collected by eコレクト per parcel is capped at ¥300,000. */
export const SAGAWA_COD_MAX = 300_000;

export const SAGAWA_EHIDEN_COLUMNS = [
  '住所録コード',
  'お届け先電話番号',
  'お届け先郵便番号',
  'お届け先住所１',
  'お届け先住所２',
  'お届け先住所３',
  'お届け先名称１',
  'お届け先名称２',
  'お客様管理ナンバー',
  'お客様コード',
  '部署・担当者',
  '荷送人電話番号',
  'ご依頼主電話番号',
  'ご依頼主郵便番号',
  'ご依頼主住所１',
  'ご依頼主住所２',
  'ご依頼主名称１',
  'ご依頼主名称２',
  '荷姿コード',
  '品名１',
  '品名２',
  '品名３',
  '品名４',
  '品名５',
  '出荷個数',
  '便種（スピードで選択）',
  '便種（商品）',
  '配達日',
  '配達指定時間帯',
  '配達指定時間（時分）',
  '代引金額',
  '消費税',
  '決済種別',
  '保険金額',
  '保険金額印字',
  '指定シール①',
  '指定シール②',
  '指定シール③',
  '営業店止め',
  'ＳＲＣ区分',
  '営業店コード',
  '元着区分',
] as const;

type SagawaColumn = (typeof SAGAWA_EHIDEN_COLUMNS)[number];

const BYTES = { phone: 14, line: 32, orderNumber: 16, customerCode: 12, itemName: 32 } as const;

const SEAL = { deliveryDate: '005', timeSlot: '019', cashOnDelivery: '008' } as const;

function sagawaRow(shipment: CarrierShipment, row: number, errors: CarrierCsvIssue[], warnings: CarrierCsvIssue[]): string[] | null {
  const fitted = new CarrierRow<SagawaColumn>(row, errors, warnings);
  const put = fitted.put.bind(fitted);
  const fail = fitted.fail.bind(fitted);
  const set = fitted.set.bind(fitted);
  const wide = (value: string | undefined) => toFullWidth(value ?? '');

  const { consignee, shipper } = shipment;
  put('お届け先電話番号', fitPhone('お届け先電話番号', consignee.phone, BYTES.phone));
  put('お届け先郵便番号', fitPostalCode('お届け先郵便番号', consignee.postalCode));
  const address = packAddress('お届け先住所', [wide(consignee.prefecture + (consignee.addressLines[0] ?? '')), ...consignee.addressLines.slice(1).map(wide)], [BYTES.line, BYTES.line, BYTES.line]);
  if (address.ok) {
    set('お届け先住所１', address.fields[0]!);
    set('お届け先住所２', address.fields[1]!);
    set('お届け先住所３', address.fields[2]!);
  } else fail('お届け先住所１', address.message);

  if (consignee.company) {
    put('お届け先名称１', fitText('お届け先会社名', wide(consignee.company), BYTES.line, 'strict'));
    const withDepartment = consignee.department ? wide(`${consignee.department} ${consignee.name}`) : wide(consignee.name);
    const named = fitText('お届け先名', withDepartment, BYTES.line, 'strict');
    if (!named.ok && consignee.department) {
      warnings.push({ row, field: 'お届け先名称２', message: '部署名が入りきらないため、お届け先名のみを印字します。' });
      put('お届け先名称２', fitText('お届け先名', wide(consignee.name), BYTES.line, 'strict'));
    } else put('お届け先名称２', named);
  } else {
    put('お届け先名称１', fitText('お届け先名', wide(consignee.name), BYTES.line, 'strict'));
  }

  put('お客様管理ナンバー', fitAscii('お客様管理ナンバー（注文番号）', shipment.orderNumber, BYTES.orderNumber));
  if (shipper.sagawaCustomerCode) put('お客様コード', fitAscii('お客様コード', shipper.sagawaCustomerCode, BYTES.customerCode, /^[0-9]*$/));
  put('荷送人電話番号', fitPhone('荷送人電話番号', shipper.phone, BYTES.phone));
  put('ご依頼主電話番号', fitPhone('ご依頼主電話番号', shipper.phone, BYTES.phone));
  put('ご依頼主郵便番号', fitPostalCode('ご依頼主郵便番号', shipper.postalCode));
  const shipperAddress = packAddress('ご依頼主住所', [wide(shipper.prefecture + (shipper.addressLines[0] ?? '')), ...shipper.addressLines.slice(1).map(wide)], [BYTES.line, BYTES.line]);
  if (shipperAddress.ok) {
    set('ご依頼主住所１', shipperAddress.fields[0]!);
    set('ご依頼主住所２', shipperAddress.fields[1]!);
  } else fail('ご依頼主住所１', shipperAddress.message);
  put('ご依頼主名称１', fitText('ご依頼主名', wide(shipper.name), BYTES.line, 'strict'));

  put('品名１', fitText('品名', shipment.itemName, BYTES.itemName, 'truncate'));
  // e飛伝 has no 記事 field; notes go on the item lines below the item name.
  if (shipment.notes) put('品名２', fitText('備考', shipment.notes, BYTES.itemName, 'truncate'));

  if (!Number.isInteger(shipment.count) || shipment.count < 1 || shipment.count > 999) fail('出荷個数', '個数は1〜999で指定してください。');
  else set('出荷個数', String(shipment.count));
  set('便種（スピードで選択）', '000');
  set('便種（商品）', '001');

  const seals: string[] = [];
  if (shipment.deliveryDate) {
    put('配達日', fitDate('配達日', shipment.deliveryDate, ''));
    seals.push(SEAL.deliveryDate);
  }
  if (shipment.deliverySlot) {
    const slot = deliverySlotByCode(shipment.deliverySlot);
    if (slot) {
      set('配達指定時間帯', slot.sagawaCode);
      seals.push(SEAL.timeSlot);
    } else fail('配達指定時間帯', '配達時間帯の指定が正しくありません。');
  }
  if (shipment.paymentType === 'cod') {
    const amount = shipment.codAmount;
    if (amount === null || !Number.isSafeInteger(amount) || amount < 1 || amount > SAGAWA_COD_MAX) {
      fail('代引金額', `代金引換額は1円以上${SAGAWA_COD_MAX.toLocaleString('ja-JP')}円以下で指定してください。`);
    } else {
      set('代引金額', String(amount));
      if (shipment.codTaxAmount != null) set('消費税', String(shipment.codTaxAmount));
      set('決済種別', '2');
      seals.push(SEAL.cashOnDelivery);
    }
  }
  set('指定シール①', seals[0] ?? '');
  set('指定シール②', seals[1] ?? '');
  set('指定シール③', seals[2] ?? '');
  set('営業店止め', '0');
  set('元着区分', '1');

  return fitted.fields(SAGAWA_EHIDEN_COLUMNS);
}

export function toSagawaEhidenCsv(shipments: readonly CarrierShipment[], opts: CarrierCsvOptions = {}): CarrierCsvResult {
  const errors: CarrierCsvIssue[] = [];
  const warnings: CarrierCsvIssue[] = [];
  const lines: string[] = [];
  if (opts.header ?? true) lines.push(csvLine(SAGAWA_EHIDEN_COLUMNS));
  let rowCount = 0;
  shipments.forEach((shipment, row) => {
    const fields = sagawaRow(shipment, row, errors, warnings);
    if (!fields) return;
    lines.push(csvLine(fields));
    rowCount++;
  });
  return { csv: encodeCp932(lines.map((line) => `${line}\r\n`).join('')), errors, warnings, rowCount };
}
