import { describe, expect, it } from 'vitest';
import { isPrefectureName, PREFECTURES, prefectureByCode, prefectureByName } from './prefectures.ts';

describe('PREFECTURES', () => {
  it('lists 47 prefectures in JIS order with codes 01–47', () => {
    expect(PREFECTURES).toHaveLength(47);
    for (const [i, p] of PREFECTURES.entries()) expect(p.code).toBe(String(i + 1).padStart(2, '0'));
    expect(new Set(PREFECTURES.map((p) => p.name)).size).toBe(47);
    expect(prefectureByCode('01')?.name).toBe('北海道');
    expect(prefectureByCode('13')?.name).toBe('東京都');
    expect(prefectureByCode('26')?.name).toBe('京都府');
    expect(prefectureByCode('27')?.name).toBe('大阪府');
    expect(prefectureByCode('47')?.name).toBe('沖縄県');
    expect(prefectureByName('神奈川県')?.code).toBe('14');
  });

  it('every name ends in 都, 道, 府 or 県', () => {
    for (const p of PREFECTURES) expect(p.name).toMatch(/[都道府県]$/);
    expect(isPrefectureName('東京')).toBe(false);
    expect(isPrefectureName('東京都')).toBe(true);
  });
});
