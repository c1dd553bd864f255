import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPostalChunks, serializeChunk } from '../../../scripts/build-postal-data.ts';
import { createPostalCodeLookup, lookupPostalCode, normalizePostalCode, POSTAL_DATA_DIR } from './postal-code.ts';

describe('normalizePostalCode', () => {
  it.each([
    ['1000001', '1000001'],
    ['100-0001', '1000001'],
    ['〒100-0001', '1000001'],
    ['〒 １００－０００１ ', '1000001'],
    ['１０００００１', '1000001'],
    ['100ー0001', '1000001'],
    ['100−0001', '1000001'],
    ['100 0001', '1000001'],
    ['\u3000060-0000', '0600000'],
  ])('%j → %s', (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
  });

  it.each(['', '100', '100-001', '10000011', '1000-001', '100--0001', 'abc-defg', '100-000a', '〒', '100-0001〒', '１００.０００１'])(
    'rejects %j',
    (input) => {
      expect(normalizePostalCode(input)).toBeNull();
    },
  );
});

describe('lookupPostalCode', () => {
  it('finds 千代田区千代田 for 100-0001', async () => {
    expect(await lookupPostalCode('100-0001')).toEqual([{ prefecture: '東京都', city: '千代田区', town: '千代田' }]);
  });

  it('finds the city-level code 060-0000 (札幌市中央区, no town)', async () => {
    expect(await lookupPostalCode('〒060-0000')).toEqual([{ prefecture: '北海道', city: '札幌市中央区', town: '' }]);
  });

  it('finds 那覇市港町 for 900-0001', async () => {
    expect(await lookupPostalCode('9000001')).toEqual([{ prefecture: '沖縄県', city: '那覇市', town: '港町' }]);
  });

  it('returns every town that shares a code', async () => {
    const towns = await lookupPostalCode('452-0961');
    expect(towns.length).toBeGreaterThan(50);
    expect(new Set(towns.map((t) => `${t.prefecture}${t.city}`))).toEqual(new Set(['愛知県清須市']));
    expect(towns.map((t) => t.town)).toContain('春日夢の森');
  });

  it('returns both prefectures when one code spans a prefecture border', async () => {
    expect(await lookupPostalCode('498-0000')).toEqual([
      { prefecture: '愛知県', city: '弥富市', town: '' },
      { prefecture: '三重県', city: '桑名郡木曽岬町', town: '' },
    ]);
  });

  it('resolves a floor code of a high-rise building through its 5-digit prefix', async () => {
    expect(await lookupPostalCode('100-6090')).toEqual([
      { prefecture: '東京都', city: '千代田区', town: '霞が関霞が関ビル' },
    ]);
  });

  it('returns nothing for unknown codes, unknown chunks and malformed input', async () => {
    expect(await lookupPostalCode('100-0099')).toEqual([]);
    expect(await lookupPostalCode('000-0000')).toEqual([]);
    expect(await lookupPostalCode('../../etc/passwd')).toEqual([]);
    expect(await lookupPostalCode('12345')).toEqual([]);
  });

  it('reads each chunk once and serves later lookups from memory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postal-'));
    try {
      fs.writeFileSync(path.join(dir, '123.json'), JSON.stringify({ '1234567': [['東京都', '港区', '芝']] }));
      const lookup = createPostalCodeLookup(dir);
      expect(await lookup('123-4567')).toEqual([{ prefecture: '東京都', city: '港区', town: '芝' }]);
      fs.rmSync(path.join(dir, '123.json'));
      expect(await lookup('1234567')).toEqual([{ prefecture: '東京都', city: '港区', town: '芝' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('static/postal chunks', () => {
  it('are exactly what the installed postal package produces (rebuild with scripts/build-postal-data.ts)', () => {
    const chunks = buildPostalChunks();
    const onDisk = fs.readdirSync(POSTAL_DATA_DIR).filter((name) => /^\d{3}\.json$/.test(name));
    expect(onDisk.sort()).toEqual([...chunks.keys()].map((id) => `${id}.json`).sort());
    for (const [id, chunk] of chunks) {
      expect(fs.readFileSync(path.join(POSTAL_DATA_DIR, `${id}.json`), 'utf8'), `${id}.json`).toBe(serializeChunk(chunk));
    }
    expect(chunks.size).toBeGreaterThan(900);
  });
});
