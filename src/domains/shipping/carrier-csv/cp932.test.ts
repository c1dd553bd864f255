import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { cp932ByteLength, decodeCp932, encodeCp932, truncateToCp932Bytes, unrepresentableInCp932 } from './cp932.ts';

const hex = (buf: Buffer) => buf.toString('hex');

describe('cp932', () => {
  it('encodes ASCII, kana, kanji and half-width kana', () => {
    expect(hex(encodeCp932('A1 '))).toBe('413120');
    expect(hex(encodeCp932('あア亜'))).toBe('82a08341889f');
    expect(hex(encodeCp932('ｶﾗｰ'))).toBe('b6d7b0');
  });

  it('writes IBM extension codes like Windows does, not the NEC-selected duplicates', () => {
    expect(hex(encodeCp932('髙'))).toBe('fbfc');
    expect(hex(encodeCp932('﨑'))).toBe('fab1');
    expect(hex(encodeCp932('ⅰ'))).toBe('fa40');
    // NEC row 13 stays where Windows puts it, and JIS row 2 wins over row 13 duplicates.
    expect(hex(encodeCp932('①Ⅰ㈱'))).toBe('87408754878a');
    expect(hex(encodeCp932('≒∵'))).toBe('81e081e6');
    // encoding-japanese picks the NEC-selected row for 髙, which is why it is not used.
    expect(Encoding.convert(Encoding.stringToCode('髙'), { to: 'SJIS', from: 'UNICODE', type: 'array' })).toEqual([0xee, 0xe0]);
  });

  it('maps Unicode look-alikes to their CP932 forms', () => {
    expect(hex(encodeCp932('〜−'))).toBe(hex(encodeCp932('～－')));
    expect(decodeCp932(encodeCp932('1〜3'))).toBe('1～3');
  });

  it('reports characters it cannot carry', () => {
    expect(unrepresentableInCp932('𠮷野家の😀とé')).toEqual(['𠮷', '😀', 'é']);
    expect(unrepresentableInCp932('吉野家')).toEqual([]);
    expect(cp932ByteLength('𠮷')).toBeNull();
    expect(() => encodeCp932('𠮷')).toThrow(RangeError);
  });

  it('counts bytes, not characters, and truncates on character boundaries', () => {
    expect(cp932ByteLength('東京都ABC')).toBe(9);
    expect(cp932ByteLength('ｶﾗｰ')).toBe(3);
    expect(truncateToCp932Bytes('東京都ABC', 5)).toBe('東京');
    expect(truncateToCp932Bytes('AB東京', 3)).toBe('AB');
    expect(truncateToCp932Bytes('AB東京', 4)).toBe('AB東');
  });

  it('round-trips every character it can encode', () => {
    const sample = 'ｱｲｳｴｵ漢字ひらがなカタカナ①②ⅠⅡ髙﨑～－￥＼"\\,~';
    expect(decodeCp932(encodeCp932(sample))).toBe(sample);
  });
});
