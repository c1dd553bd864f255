import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CarrierShipment } from './carrier-shipment.ts';
import { shipments } from './carrier-shipments.fixture.ts';
import { cp932ByteLength, decodeCp932 } from './cp932.ts';
import { toYamatoB2Csv, YAMATO_B2_COLUMNS } from './yamato-b2.csv.ts';

const golden = readFileSync(new URL('./golden/yamato-b2.golden.csv', import.meta.url));
const column = (name: (typeof YAMATO_B2_COLUMNS)[number]) => YAMATO_B2_COLUMNS.indexOf(name);
const rowsOf = (csv: Buffer): string[][] => parse(decodeCp932(csv));

// B2's byte limits for the columns this exporter fills.
const LIMITS: [(typeof YAMATO_B2_COLUMNS)[number], number][] = [
  ['お客様管理番号', 50],
  ['お届け先電話番号', 15],
  ['お届け先郵便番号', 8],
  ['お届け先住所', 64],
  ['お届け先住所（アパートマンション名）', 32],
  ['お届け先会社・部門名１', 50],
  ['お届け先会社・部門名２', 50],
  ['お届け先名', 32],
  ['ご依頼主住所', 64],
  ['ご依頼主名', 32],
  ['品名１', 50],
  ['記事', 44],
  ['コレクト代金引換額（税込）', 7],
];

describe('toYamatoB2Csv', () => {
  const result = toYamatoB2Csv(shipments);

  it('matches the committed golden file byte for byte', () => {
    expect(result.csv.equals(golden)).toBe(true);
  });

  it('is CP932 with CRLF line ends and 97 columns on every line', () => {
    const text = decodeCp932(golden);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(golden.includes(Buffer.from('髙橋', 'utf8'))).toBe(false);
    expect(golden.includes(Buffer.from([0xfb, 0xfc]))).toBe(true); // 髙 as Windows writes it
    for (const row of rowsOf(golden)) expect(row).toHaveLength(97);
  });

  it('keeps the Japanese text when decoded back', () => {
    const [header, first, second] = rowsOf(golden);
    expect(header).toEqual([...YAMATO_B2_COLUMNS]);
    expect(first![column('お届け先名')]).toBe('髙橋 﨑子');
    expect(first![column('お届け先会社・部門名１')]).toBe('ヘアサロン髙橋');
    expect(first![column('お届け先住所')]).toBe('東京都渋谷区神宮前1-2-3');
    expect(first![column('お届け先住所（アパートマンション名）')]).toBe('表参道ヒルズ～本館 2F');
    expect(first![column('記事')]).toBe('割れ物注意・天地無用');
    expect(second![column('お届け先住所（アパートマンション名）')]).toBe('ABCビル,3F "west"');
    expect(second![column('お届け先会社・部門名１')]).toBe('ｻﾛﾝ ﾄﾞ ﾊﾟﾘ');
  });

  it('writes B2 codes: 送り状種類, dates, time slots, コレクト amount, contract fields', () => {
    const [, first, second] = rowsOf(result.csv);
    expect(first![column('送り状種類')]).toBe('0');
    expect(first![column('出荷予定日')]).toBe('2025/03/10');
    expect(first![column('お届け予定（指定）日')]).toBe('2025/03/12');
    expect(first![column('配達時間帯')]).toBe('1921');
    expect(first![column('発行枚数')]).toBe('2');
    expect(first![column('お届け先郵便番号')]).toBe('150-0001');
    expect(first![column('ご請求先顧客コード')]).toBe('0312345678');
    expect(first![column('運賃管理番号')]).toBe('01');
    expect(second![column('送り状種類')]).toBe('2');
    expect(second![column('配達時間帯')]).toBe('0812');
    expect(second![column('コレクト代金引換額（税込）')]).toBe('33000');
    expect(second![column('コレクト内消費税額等')]).toBe('3000');
    expect(second![column('お届け予定（指定）日')]).toBe('');
  });

  it('fits every field into its byte limit, counted in CP932', () => {
    for (const row of rowsOf(result.csv).slice(1)) {
      for (const [name, limit] of LIMITS) expect(cp932ByteLength(row[column(name)]!)).toBeLessThanOrEqual(limit);
    }
  });

  it('truncates the item name with a warning, and leaves out rows it cannot carry', () => {
    expect(result.rowCount).toBe(2);
    expect(result.warnings).toEqual([{ row: 1, field: '品名１', message: expect.stringContaining('切り詰め') }]);
    expect(result.errors).toEqual([
      { row: 2, field: 'お届け先名', message: expect.stringContaining('「𠮷」') },
      { row: 3, field: 'お届け先電話番号', message: expect.stringContaining('10〜11桁') },
    ]);
    expect(decodeCp932(result.csv)).not.toContain('A10003');
  });

  it('refuses names and addresses too long to cut safely, and bad contract or COD data', () => {
    const base = shipments[0]!;
    const variant = (change: Partial<CarrierShipment>): CarrierShipment => ({ ...base, ...change });
    const { errors } = toYamatoB2Csv([
      variant({ consignee: { ...base.consignee, name: '寿限無寿限無五劫の擦り切れ海砂利水魚の水行末' } }),
      variant({ consignee: { ...base.consignee, addressLines: ['渋谷区神宮前一丁目二番三号'.repeat(4), 'ビル'.repeat(20)] } }),
      variant({ paymentType: 'cod', codAmount: 300_001, count: 1 }),
      variant({ paymentType: 'cod', codAmount: 5_000, count: 2 }),
      variant({ shipper: { ...base.shipper, yamato: undefined } }),
      variant({ orderNumber: '注文1' }),
    ]);
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [0, 'お届け先名'],
      [1, 'お届け先住所'],
      [2, 'コレクト代金引換額（税込）'],
      [3, '発行枚数'],
      [4, 'ご請求先顧客コード'],
      [5, 'お客様管理番号'],
    ]);
  });

  it('moves the rest of a long street line into the building field rather than cutting it', () => {
    const base = shipments[0]!;
    const longStreet = '渋谷区神宮前一丁目二番三号サンプル通り商店街アーケード内';
    const { csv, errors } = toYamatoB2Csv([{ ...base, consignee: { ...base.consignee, addressLines: [longStreet] } }], { header: false });
    expect(errors).toEqual([]);
    const [row] = rowsOf(csv);
    expect(row![column('お届け先住所')]! + row![column('お届け先住所（アパートマンション名）')]!).toBe(`東京都${longStreet}`);
  });
});
