import { describe, expect, it } from 'vitest';
import { csvLine, fitAscii, fitPhone, fitPostalCode, fitText, packAddress, toFullWidth } from './carrier-fields.ts';

const value = (r: ReturnType<typeof fitText>) => (r.ok ? r.value : `ERROR: ${r.message}`);

describe('carrier fields', () => {
  it('phone numbers: keeps hyphens when they fit, drops them when not, never truncates', () => {
    expect(value(fitPhone('電話', '０９０－１２３４－５６７８', 15))).toBe('090-1234-5678');
    expect(value(fitPhone('電話', '(03) 1234-5678', 15))).toBe('031234-5678');
    expect(value(fitPhone('電話', '+81-90-1234-5678', 15))).toBe('090-1234-5678');
    expect(value(fitPhone('電話', '0120-123-456', 11))).toBe('0120123456');
    expect(fitPhone('電話', '090-1234-567', 15).ok).toBe(false);
    expect(fitPhone('電話', '1234567890', 15).ok).toBe(false);
    expect(fitPhone('電話', '03-1234-56789', 15).ok).toBe(false);
    expect(value(fitPhone('電話', '0800-123-4567', 15))).toBe('0800-123-4567');
    expect(value(fitPhone('電話', '050-1234-5678', 15))).toBe('050-1234-5678');
    expect(fitPhone('電話', '090-1234-5678 内線12', 15).ok).toBe(false);
  });

  it('postal codes', () => {
    expect(value(fitPostalCode('郵便番号', '〒１５００００１'))).toBe('150-0001');
    expect(value(fitPostalCode('郵便番号', '150‐0001'))).toBe('150-0001');
    expect(fitPostalCode('郵便番号', '150-001').ok).toBe(false);
  });

  it('text: truncates by CP932 bytes or refuses, and flattens newlines', () => {
    expect(fitText('品名', 'ABCあいう', 6, 'truncate')).toEqual({ ok: true, value: 'ABCあ', truncated: true });
    expect(fitText('お届け先名', 'ABCあいう', 6, 'strict').ok).toBe(false);
    expect(value(fitText('記事', '一行目\r\n二行目', 44, 'strict'))).toBe('一行目 二行目');
    const bad = fitText('お届け先名', '𠮷田', 32, 'strict');
    expect(bad.ok ? '' : bad.message).toContain('「𠮷」');
  });

  it('ASCII codes are never truncated', () => {
    expect(fitAscii('注文番号', 'Ａ１０００１', 16)).toEqual({ ok: true, value: 'A10001', truncated: false });
    expect(fitAscii('注文番号', 'A'.repeat(17), 16).ok).toBe(false);
    expect(fitAscii('注文番号', 'A 1', 16).ok).toBe(false);
  });

  it('addresses: one line per field, continuation, running together, or refusal', () => {
    expect(packAddress('住所', ['東京都渋谷区', 'ビル'], [12, 8])).toEqual({ ok: true, fields: ['東京都渋谷区', 'ビル'] });
    expect(packAddress('住所', ['東京都渋谷区神宮前'], [12, 8])).toEqual({ ok: true, fields: ['東京都渋谷区', '神宮前'] });
    expect(packAddress('住所', ['東京都', 'A', 'B'], [12, 8])).toEqual({ ok: true, fields: ['東京都', 'A B'] });
    expect(packAddress('住所', ['東京都渋谷区神宮前', '1-2'], [12, 10])).toEqual({ ok: true, fields: ['東京都渋谷区', '神宮前 1-2'] });
    expect(packAddress('住所', ['東京都渋谷区神宮前一丁目', 'ビル'], [12, 8]).ok).toBe(false);
    expect(packAddress('住所', ['', ' '], [12, 8]).ok).toBe(false);
  });

  it('widens half-width text and quotes CSV fields only when needed', () => {
    expect(toFullWidth('ｻﾛﾝ ﾄﾞ ﾊﾟﾘ A-1')).toBe('サロン　ド　パリ　Ａ－１');
    expect(csvLine(['a', 'b,c', 'say "hi"', ''])).toBe('a,"b,c","say ""hi""",');
  });
});
