// ヤマト運輸 B2クラウド「外部データから発行」CSV, in B2's standard layout (送り状発行データ
// レイアウト: お客様管理番号 … 通知メールアドレス, 97 columns). Field lengths are B2's byte limits
// (全角 = 2 bytes). The columns this platform does not use are written empty so the file maps
// onto the standard layout by position.

import { deliverySlotByCode } from '../../calendar/delivery-slots.ts';
import { CarrierRow, csvLine, fitAscii, fitDate, fitPhone, fitPostalCode, fitText, packAddress } from './carrier-fields.ts';
import type { CarrierCsvIssue, CarrierCsvOptions, CarrierCsvResult, CarrierShipment } from './carrier-shipment.ts';
import { encodeCp932 } from './cp932.ts';

/** B2's limit for a コレクト (代金引換) amount. */
export const YAMATO_COD_MAX = 300_000;

export const YAMATO_B2_COLUMNS = [
  'お客様管理番号',
  '送り状種類',
  'クール区分',
  '伝票番号',
  '出荷予定日',
  'お届け予定（指定）日',
  '配達時間帯',
  'お届け先コード',
  'お届け先電話番号',
  'お届け先電話番号枝番',
  'お届け先郵便番号',
  'お届け先住所',
  'お届け先住所（アパートマンション名）',
  'お届け先会社・部門名１',
  'お届け先会社・部門名２',
  'お届け先名',
  'お届け先名略称カナ',
  '敬称',
  'ご依頼主コード',
  'ご依頼主電話番号',
  'ご依頼主電話番号枝番',
  'ご依頼主郵便番号',
  'ご依頼主住所',
  'ご依頼主住所（アパートマンション名）',
  'ご依頼主名',
  'ご依頼主略称カナ',
  '品名コード１',
  '品名１',
  '品名コード２',
  '品名２',
  '荷扱い１',
  '荷扱い２',
  '記事',
  'コレクト代金引換額（税込）',
  'コレクト内消費税額等',
  '営業所止置き',
  '営業所コード',
  '発行枚数',
  '個数口枠の印字',
  'ご請求先顧客コード',
  'ご請求先分類コード',
  '運賃管理番号',
  'クロネコwebコレクトデータ登録',
  'クロネコwebコレクト加盟店番号',
  'クロネコwebコレクト申込受付番号１',
  'クロネコwebコレクト申込受付番号２',
  'クロネコwebコレクト申込受付番号３',
  'お届け予定ｅメール利用区分',
  'お届け予定ｅメールe-mailアドレス',
  '入力機種',
  'お届け予定ｅメールメッセージ',
  'お届け完了ｅメール利用区分',
  'お届け完了ｅメールe-mailアドレス',
  'お届け完了ｅメールメッセージ',
  'クロネコ収納代行利用区分',
  '収納代行決済ＱＲコード印刷',
  '収納代行請求金額(税込)',
  '収納代行内消費税額等',
  '収納代行請求先郵便番号',
  '収納代行請求先住所',
  '収納代行請求先住所（アパートマンション名）',
  '収納代行請求先会社・部門名１',
  '収納代行請求先会社・部門名２',
  '収納代行請求先名(漢字)',
  '収納代行請求先名(カナ)',
  '収納代行問合せ先名(漢字)',
  '収納代行問合せ先郵便番号',
  '収納代行問合せ先住所',
  '収納代行問合せ先住所（アパートマンション名）',
  '収納代行問合せ先電話番号',
  '収納代行管理番号',
  '収納代行品名',
  '収納代行備考',
  '複数口くくりキー',
  '検索キータイトル１',
  '検索キー１',
  '検索キータイトル２',
  '検索キー２',
  '検索キータイトル３',
  '検索キー３',
  '検索キータイトル４',
  '検索キー４',
  '検索キータイトル５',
  '検索キー５',
  '予備',
  '予備',
  '投函予定メール利用区分',
  '投函予定メールe-mailアドレス',
  '投函予定メールメッセージ',
  '投函完了メール（お届け先宛）利用区分',
  '投函完了メール（お届け先宛）e-mailアドレス',
  '投函完了メール（お届け先宛）メールメッセージ',
  '投函完了メール（ご依頼主宛）利用区分',
  '投函完了メール（ご依頼主宛）e-mailアドレス',
  '投函完了メール（ご依頼主宛）メールメッセージ',
  '連携管理番号',
  '通知メールアドレス',
] as const;

type YamatoColumn = (typeof YAMATO_B2_COLUMNS)[number];

// Byte limits of the fields this exporter fills.
const BYTES = {
  orderNumber: 50,
  phone: 15,
  address: 64,
  building: 32,
  company: 50,
  name: 32,
  itemName: 50,
  notes: 44,
  billingCustomerCode: 12,
  billingClassCode: 3,
  freightManagementNumber: 2,
} as const;

function yamatoRow(shipment: CarrierShipment, row: number, errors: CarrierCsvIssue[], warnings: CarrierCsvIssue[]): string[] | null {
  const fitted = new CarrierRow<YamatoColumn>(row, errors, warnings);
  const put = fitted.put.bind(fitted);
  const fail = fitted.fail.bind(fitted);
  const set = fitted.set.bind(fitted);

  const { consignee, shipper } = shipment;
  put('お客様管理番号', fitAscii('お客様管理番号（注文番号）', shipment.orderNumber, BYTES.orderNumber));
  set('送り状種類', shipment.paymentType === 'cod' ? '2' : '0');
  set('クール区分', '0');
  put('出荷予定日', fitDate('出荷予定日', shipment.shipDate, '/'));
  if (shipment.deliveryDate) put('お届け予定（指定）日', fitDate('お届け予定日', shipment.deliveryDate, '/'));
  if (shipment.deliverySlot) {
    const slot = deliverySlotByCode(shipment.deliverySlot);
    if (slot) set('配達時間帯', slot.yamatoCode);
    else fail('配達時間帯', '配達時間帯の指定が正しくありません。');
  }

  put('お届け先電話番号', fitPhone('お届け先電話番号', consignee.phone, BYTES.phone));
  put('お届け先郵便番号', fitPostalCode('お届け先郵便番号', consignee.postalCode));
  const [street = '', ...rest] = consignee.addressLines;
  const address = packAddress('お届け先住所', [`${consignee.prefecture}${street}`, ...rest], [BYTES.address, BYTES.building]);
  if (address.ok) {
    set('お届け先住所', address.fields[0]!);
    set('お届け先住所（アパートマンション名）', address.fields[1]!);
  } else fail('お届け先住所', address.message);
  if (consignee.company) put('お届け先会社・部門名１', fitText('お届け先会社名', consignee.company, BYTES.company, 'strict'));
  if (consignee.department) put('お届け先会社・部門名２', fitText('お届け先部門名', consignee.department, BYTES.company, 'truncate'));
  put('お届け先名', fitText('お届け先名', consignee.name, BYTES.name, 'strict'));
  set('敬称', '様');

  put('ご依頼主電話番号', fitPhone('ご依頼主電話番号', shipper.phone, BYTES.phone));
  put('ご依頼主郵便番号', fitPostalCode('ご依頼主郵便番号', shipper.postalCode));
  const [shipperStreet = '', ...shipperRest] = shipper.addressLines;
  const shipperAddress = packAddress('ご依頼主住所', [`${shipper.prefecture}${shipperStreet}`, ...shipperRest], [BYTES.address, BYTES.building]);
  if (shipperAddress.ok) {
    set('ご依頼主住所', shipperAddress.fields[0]!);
    set('ご依頼主住所（アパートマンション名）', shipperAddress.fields[1]!);
  } else fail('ご依頼主住所', shipperAddress.message);
  put('ご依頼主名', fitText('ご依頼主名', shipper.name, BYTES.name, 'strict'));

  put('品名１', fitText('品名', shipment.itemName, BYTES.itemName, 'truncate'));
  if (shipment.notes) put('記事', fitText('記事', shipment.notes, BYTES.notes, 'truncate'));

  if (shipment.paymentType === 'cod') {
    const amount = shipment.codAmount;
    if (amount === null || !Number.isSafeInteger(amount) || amount < 1 || amount > YAMATO_COD_MAX) {
      fail('コレクト代金引換額（税込）', `代金引換額は1円以上${YAMATO_COD_MAX.toLocaleString('ja-JP')}円以下で指定してください。`);
    } else {
      set('コレクト代金引換額（税込）', String(amount));
      if (shipment.codTaxAmount != null) set('コレクト内消費税額等', String(shipment.codTaxAmount));
    }
    // B2 issues one コレクト slip per parcel; several parcels need separate shipments.
    if (shipment.count !== 1) fail('発行枚数', 'コレクト（代金引換）は1個口ずつ発行してください。');
  } else if (!Number.isInteger(shipment.count) || shipment.count < 1 || shipment.count > 99) {
    fail('発行枚数', '個数は1〜99で指定してください。');
  } else {
    set('発行枚数', String(shipment.count));
  }

  const contract = shipper.yamato;
  if (!contract) {
    fail('ご請求先顧客コード', 'ヤマト運輸のご請求先顧客コードと運賃管理番号が設定されていません。');
  } else {
    put('ご請求先顧客コード', fitAscii('ご請求先顧客コード', contract.billingCustomerCode, BYTES.billingCustomerCode, /^[0-9]{10,12}$/));
    if (contract.billingClassCode) put('ご請求先分類コード', fitAscii('ご請求先分類コード', contract.billingClassCode, BYTES.billingClassCode, /^[0-9]*$/));
    put('運賃管理番号', fitAscii('運賃管理番号', contract.freightManagementNumber, BYTES.freightManagementNumber, /^[0-9]{2}$/));
  }

  return fitted.fields(YAMATO_B2_COLUMNS);
}

export function toYamatoB2Csv(shipments: readonly CarrierShipment[], opts: CarrierCsvOptions = {}): CarrierCsvResult {
  const errors: CarrierCsvIssue[] = [];
  const warnings: CarrierCsvIssue[] = [];
  const lines: string[] = [];
  if (opts.header ?? true) lines.push(csvLine(YAMATO_B2_COLUMNS));
  let rowCount = 0;
  shipments.forEach((shipment, row) => {
    const fields = yamatoRow(shipment, row, errors, warnings);
    if (!fields) return;
    lines.push(csvLine(fields));
    rowCount++;
  });
  const text = lines.map((line) => `${line}\r\n`).join('');
  return { csv: encodeCp932(text), errors, warnings, rowCount };
}
