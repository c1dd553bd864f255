import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { decodeCustomerCsv } from './customer-csv.decode.ts';
import { parseCustomerCsv, sampleCustomerCsv } from './customer-csv.parse.ts';

const HEADER = '会社名,担当者名,メールアドレス,電話番号,ランクコード,掛け払い,与信限度額,締め日,支払月,支払日,得意先コード';

describe('decodeCustomerCsv', () => {
  it('reads UTF-8 with and without BOM, and CP932', () => {
    const text = '会社名,髙橋①';
    expect(decodeCustomerCsv(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCustomerCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({ text, encoding: 'utf-8' });
    const sjis = Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
    expect(decodeCustomerCsv(sjis)).toEqual({ text, encoding: 'cp932' });
  });

  it('refuses UTF-16, binary, bytes that are neither UTF-8 nor CP932, and empty files', () => {
    expect(() => decodeCustomerCsv(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toThrow();
    expect(() => decodeCustomerCsv(new Uint8Array([0x41, 0x00, 0x42]))).toThrow();
    expect(() => decodeCustomerCsv(new Uint8Array([0x81, 0x20, 0xff, 0xfd]))).toThrow();
    expect(() => decodeCustomerCsv(new Uint8Array())).toThrow();
  });
});

describe('parseCustomerCsv', () => {
  it('maps Japanese headers (in any order) and normalises full-width input', () => {
    const parsed = parseCustomerCsv(`メールアドレス,会社名,担当者名,ランクコード,与信限度額,掛け払い,締め日,支払日\nＨＡＮＡ@Example.jp,株式会社A,花子,ＧＯＬＤ,"１,000,000",有,末,15\n`);
    expect(parsed.fileErrors).toEqual([]);
    expect(parsed.rowErrors).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({ line: 2, email: 'hana@example.jp', rankCode: 'gold', creditLimitYen: 1_000_000, invoiceTermsEnabled: true, closingDay: 31, paymentDay: 15, paymentMonthOffset: 1 });
  });

  it('names missing required columns', () => {
    expect(parseCustomerCsv('会社名,メールアドレス\nA,a@b.jp').fileErrors[0]).toBe('必須の列がありません: 担当者名、ランクコード(1行目に見出しが必要です)');
  });

  it('reports each problem on its line', () => {
    const parsed = parseCustomerCsv(`${HEADER}\n,,x,abc!,gold,たぶん,-1,29,来月,0,コード\nA,B,a@b.jp,,gold,有,,,,,`);
    const line2 = parsed.rowErrors.find((e) => e.line === 2)!.messages.join('\n');
    for (const m of ['会社名が空です', '担当者名が空です', 'メールアドレスの形式', '電話番号は', '掛け払いは「有」か「無」', 'マイナス', '締め日は', '支払月は', '支払日は', '得意先コードは']) expect(line2).toContain(m);
    expect(parsed.rowErrors.find((e) => e.line === 3)!.messages).toEqual(['掛け払い「有」の場合は与信限度額を入力してください。']);
  });

  it('reports unbalanced quotes as a file error instead of throwing', () => {
    expect(parseCustomerCsv(`${HEADER}\n"A,B,a@b.jp,,gold`).fileErrors[0]).toContain('CSV の形式が正しくありません');
  });

  it('ships a sample that parses without errors', () => {
    const parsed = parseCustomerCsv(sampleCustomerCsv());
    expect(parsed.fileErrors).toEqual([]);
    expect(parsed.rowErrors).toEqual([]);
    expect(parsed.rows).toHaveLength(2);
  });
});
