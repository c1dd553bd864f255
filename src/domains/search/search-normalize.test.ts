import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForSearch, SEARCH_LIMITS, searchTerms } from './search-normalize.ts';

describe('normalizeForSearch', () => {
  it('makes width, script and long-vowel variants of カラー meet', () => {
    const forms = ['カラー', 'ｶﾗｰ', 'から−', 'からー', 'カラ-', 'カラ－', 'から〜', 'カラ―'];
    for (const form of forms) expect(normalizeForSearch(form)).toBe('からー');
  });

  it('folds Latin width and case', () => {
    expect(normalizeForSearch('ＣＯＬＯＲ')).toBe('color');
    expect(normalizeForSearch('Color')).toBe('color');
    expect(normalizeForSearch('ｃｏｌｏｒ　ＣＲＥＡＭ')).toBe('color cream');
  });

  it('composes half-width voiced kana and spacing voiced marks', () => {
    expect(normalizeForSearch('ｼｬﾝﾌﾟｰ')).toBe('しゃんぷー');
    expect(normalizeForSearch('シャンプー')).toBe('しゃんぷー');
    expect(normalizeForSearch('か゛')).toBe('が');
    expect(normalizeForSearch('ヴィーガン')).toBe('ゔぃーがん');
  });

  it('keeps small kana distinct (美容院 is not 病院)', () => {
    expect(normalizeForSearch('ビヨウイン')).toBe('びよういん');
    expect(normalizeForSearch('ビョウイン')).toBe('びょういん');
    expect(normalizeForSearch('ビヨウイン')).not.toBe(normalizeForSearch('ビョウイン'));
    expect(normalizeForSearch('カップ')).toBe('かっぷ');
  });

  it('folds ヵ/ヶ and removes joiners inside words', () => {
    expect(normalizeForSearch('3ヶ月')).toBe('3け月');
    expect(normalizeForSearch('ヘア・カラー')).toBe('へあからー');
    expect(normalizeForSearch('ABC-100')).toBe('abc100');
    expect(normalizeForSearch("L'Oréal")).toBe('loreal');
  });

  it('turns other symbols into separators and collapses whitespace', () => {
    expect(normalizeForSearch('【業務用】 トリートメント（1000g）！！')).toBe('業務用 とりーとめんと 1000g');
    expect(normalizeForSearch('  a\t\n b  ')).toBe('a b');
    expect(normalizeForSearch('★☆♪')).toBe('');
  });

  it('keeps kanji, 々 and digits, with full-width digits and ① folded', () => {
    expect(normalizeForSearch('佐々木　１２３')).toBe('佐々木 123');
    expect(normalizeForSearch('①')).toBe('1');
  });

  it('property: idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        const once = normalizeForSearch(text);
        expect(normalizeForSearch(once)).toBe(once);
      }),
    );
  });
});

describe('searchTerms', () => {
  it('splits into distinct normalised terms', () => {
    expect(searchTerms('ｶﾗｰ  クリーム　カラー')).toEqual(['からー', 'くりーむ']);
    expect(searchTerms('')).toEqual([]);
    expect(searchTerms('　！？　')).toEqual([]);
  });

  it('caps the number of terms at 10', () => {
    const query = Array.from({ length: 30 }, (_, i) => `t${i}`).join(' ');
    expect(searchTerms(query)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
  });

  it('caps each term at 64 characters and the total at 200', () => {
    const long = 'あ'.repeat(100);
    expect(searchTerms(long)).toEqual(['あ'.repeat(64)]);
    const terms = searchTerms(['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(64)).join(' '));
    expect(terms).toHaveLength(3);
    expect(terms.join('').length).toBeLessThanOrEqual(SEARCH_LIMITS.maxTotalLength);
  });

  it('a 10 kB query costs nothing: it is cut before normalising', () => {
    const huge = 'ｶﾗｰ '.repeat(2500) + 'tail-term';
    const started = performance.now();
    const terms = searchTerms(huge);
    expect(performance.now() - started).toBeLessThan(50);
    expect(terms).toEqual(['からー']);
  });

  it('property: always within the bounds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (query) => {
        const terms = searchTerms(query);
        expect(terms.length).toBeLessThanOrEqual(SEARCH_LIMITS.maxTerms);
        expect(new Set(terms).size).toBe(terms.length);
        let total = 0;
        for (const term of terms) {
          const length = Array.from(term).length;
          expect(length).toBeGreaterThan(0);
          expect(length).toBeLessThanOrEqual(SEARCH_LIMITS.maxTermLength);
          total += length;
        }
        expect(total).toBeLessThanOrEqual(SEARCH_LIMITS.maxTotalLength);
      }),
    );
  });
});
