import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { shipments } from './carrier-shipments.fixture.ts';
import { cp932ByteLength, decodeCp932 } from './cp932.ts';
import { SAGAWA_EHIDEN_COLUMNS, toSagawaEhidenCsv } from './sagawa-ehiden.csv.ts';

const golden = readFileSync(new URL('./golden/sagawa-ehiden.golden.csv', import.meta.url));
const column = (name: (typeof SAGAWA_EHIDEN_COLUMNS)[number]) => SAGAWA_EHIDEN_COLUMNS.indexOf(name);
const rowsOf = (csv: Buffer): string[][] => parse(decodeCp932(csv));

const LIMITS: [(typeof SAGAWA_EHIDEN_COLUMNS)[number], number][] = [
  ['お届け先電話番号', 14],
  ['お届け先郵便番号', 8],
  ['お届け先住所１', 32],
  ['お届け先住所２', 32],
  ['お届け先住所３', 32],
  ['お届け先名称１', 32],
  ['お届け先名称２', 32],
  ['お客様管理ナンバー', 16],
  ['ご依頼主住所１', 32],
  ['ご依頼主住所２', 32],
  ['ご依頼主名称１', 32],
  ['品名１', 32],
  ['品名２', 32],
  ['代引金額', 7],
];

describe('toSagawaEhidenCsv', () => {
  const result = toSagawaEhidenCsv(shipments);

  it('matches the committed golden file byte for byte', () => {
    expect(result.csv.equals(golden)).toBe(true);
  });

  it('is CP932 with CRLF line ends and 42 columns on every line', () => {
    const text = decodeCp932(golden);
    expect(text.split('\r\n')).toHaveLength(4); // header, two rows, final empty
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    for (const row of rowsOf(golden)) expect(row).toHaveLength(42);
  });

  it('keeps the Japanese text, widened as e飛伝 expects for names and addresses', () => {
    const [header, first, second] = rowsOf(golden);
    expect(header).toEqual([...SAGAWA_EHIDEN_COLUMNS]);
    expect(first![column('お届け先住所１')]).toBe('東京都渋谷区神宮前１－２－３');
    expect(first![column('お届け先住所２')]).toBe('表参道ヒルズ～本館　２Ｆ');
    expect(first![column('お届け先名称１')]).toBe('ヘアサロン髙橋');
    expect(first![column('お届け先名称２')]).toBe('髙橋　﨑子');
    expect(second![column('お届け先名称１')]).toBe('サロン　ド　パリ');
    expect(second![column('お届け先名称２')]).toBe('仕入れ担当　佐藤　花子');
    expect(first![column('品名２')]).toBe('割れ物注意・天地無用');
  });

  it('writes e飛伝 codes: dates, 6時間帯 slots, seals, eコレクト, 元払', () => {
    const [, first, second] = rowsOf(result.csv);
    expect(first![column('配達日')]).toBe('20250312');
    expect(first![column('配達指定時間帯')]).toBe('19');
    expect([first![column('指定シール①')], first![column('指定シール②')]]).toEqual(['005', '019']);
    expect(first![column('出荷個数')]).toBe('2');
    expect(first![column('元着区分')]).toBe('1');
    expect(first![column('お客様コード')]).toBe('123456789012');
    expect(second![column('配達指定時間帯')]).toBe('01');
    expect(second![column('代引金額')]).toBe('33000');
    expect(second![column('決済種別')]).toBe('2');
    expect([second![column('指定シール①')], second![column('指定シール②')]]).toEqual(['019', '008']);
  });

  it('fits every field into its byte limit, counted in CP932', () => {
    for (const row of rowsOf(result.csv).slice(1)) {
      for (const [name, limit] of LIMITS) expect(cp932ByteLength(row[column(name)]!)).toBeLessThanOrEqual(limit);
    }
  });

  it('reports rows it cannot carry and leaves them out', () => {
    expect(result.rowCount).toBe(2);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'お届け先名称１'],
      [3, 'お届け先電話番号'],
    ]);
    expect(result.warnings.map((w) => [w.row, w.field])).toEqual([[1, '品名１']]);
  });

  it('refuses order numbers longer than お客様管理ナンバー allows', () => {
    const { errors } = toSagawaEhidenCsv([{ ...shipments[0]!, orderNumber: 'ORD-20250310-0001' }]);
    expect(errors).toEqual([{ row: 0, field: 'お客様管理ナンバー', message: expect.stringContaining('16文字') }]);
  });

  it('counts widened half-width text: 20 half-width letters do not fit a 16-character name field', () => {
    const { errors } = toSagawaEhidenCsv([{ ...shipments[0]!, consignee: { ...shipments[0]!.consignee, company: undefined, name: 'ABCDEFGHIJKLMNOPQRST' } }]);
    expect(errors.map((e) => e.field)).toEqual(['お届け先名称１']);
  });
});
