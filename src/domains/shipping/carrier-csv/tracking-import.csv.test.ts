import { describe, expect, it } from 'vitest';
import { encodeCp932 } from './cp932.ts';
import { parseTrackingCsv } from './tracking-import.csv.ts';

describe('parseTrackingCsv', () => {
  it('reads a CP932 Yamato B2 export and detects the encoding and carrier', () => {
    const csv = encodeCp932('お客様管理番号,送り状種類,伝票番号,お届け先名\r\nA10001,0,4411-2233-4455,髙橋 﨑子\r\nA10001,0,441122334466,髙橋 﨑子\r\n');
    expect(parseTrackingCsv(csv)).toEqual({
      encoding: 'cp932',
      rows: [
        { line: 2, orderNumber: 'A10001', trackingNumber: '441122334455', carrier: 'yamato' },
        { line: 3, orderNumber: 'A10001', trackingNumber: '441122334466', carrier: 'yamato' },
      ],
      errors: [],
    });
  });

  it('reads a UTF-8 (with BOM) Sagawa export', () => {
    const csv = Buffer.from('\ufeffお問い合せ送り状No,お客様管理ナンバー,お届け先名称１\n123456789012,A10002,サロン　ド　パリ\n', 'utf8');
    expect(parseTrackingCsv(csv)).toEqual({
      encoding: 'utf-8',
      rows: [{ line: 2, orderNumber: 'A10002', trackingNumber: '123456789012', carrier: 'sagawa' }],
      errors: [],
    });
  });

  it('takes the carrier from a carrier column or the caller when headers are generic', () => {
    const csv = Buffer.from('注文番号,追跡番号,配送業者\nA1,111122223333,ヤマト運輸\nA2,444455556666,佐川急便\nA3,777788889999,\n', 'utf8');
    const result = parseTrackingCsv(csv);
    expect(result.rows.map((r) => r.carrier)).toEqual(['yamato', 'sagawa']);
    expect(result.errors).toEqual([{ line: 4, message: expect.stringContaining('配送業者が判別できません') }]);
    expect(parseTrackingCsv(csv, { carrier: 'sagawa' }).rows.map((r) => r.carrier)).toEqual(['yamato', 'sagawa', 'sagawa']);
  });

  it('reports bad rows by line and keeps the good ones', () => {
    const csv = encodeCp932('お客様管理番号,伝票番号\r\nA1,12345\r\n,111122223333\r\nA3,１１１１２２２２３３３３\r\n,\r\n');
    const result = parseTrackingCsv(csv);
    expect(result.rows).toEqual([{ line: 4, orderNumber: 'A3', trackingNumber: '111122223333', carrier: 'yamato' }]);
    expect(result.errors).toEqual([
      { line: 2, message: expect.stringContaining('12桁') },
      { line: 3, message: expect.stringContaining('空です') },
    ]);
  });

  it('explains missing columns and unreadable files', () => {
    expect(parseTrackingCsv(Buffer.from('a,b\n1,2\n')).errors[0]!.message).toContain('見出し行');
    expect(parseTrackingCsv(Buffer.from('')).errors[0]!.message).toContain('空');
    expect(parseTrackingCsv(Buffer.from('"unterminated\n')).errors[0]!.message).toContain('CSV');
  });
});
