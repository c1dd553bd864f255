import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf-document.ts';
import { pdfInfo, pdfPagesText } from './pdf-inspect.testing.ts';
import { drawAddressBlock, drawPageFooters, drawTable, startRunningHeader } from './pdf-layout.ts';

const creationDate = new Date('2026-11-20T00:00:00Z');

describe('drawTable', () => {
  it('wraps long Japanese text inside its column instead of running into the next one', async () => {
    const longName = 'サロン専売品プロフェッショナルトリートメント詰め替え用業務用サイズ特大パック';
    const pdf = await renderPdf({ title: 'wrap', creationDate }, (doc) => {
      drawTable(doc, {
        columns: [
          { header: '品名', width: 1 },
          { header: '数量', width: 3, align: 'right' },
        ],
        rows: [{ cells: [longName, '12本'] }],
      });
    });
    const [page] = await pdfPagesText(pdf);
    const nameLines = page!.split('\n').filter((line) => /[ア-ン]/.test(line) && !line.includes('品名'));
    expect(nameLines.length).toBeGreaterThan(2);
    expect(nameLines.map((line) => line.replace('12本', '').trim()).join('')).toBe(longName);
  });

  it('starts new pages with the running header and the column headers again', async () => {
    const pdf = await renderPdf({ title: 'pages', creationDate }, (doc) => {
      startRunningHeader(doc, '一覧表（続き）');
      drawTable(doc, {
        columns: [
          { header: '番号', width: 1 },
          { header: '名称', width: 4 },
        ],
        rows: Array.from({ length: 120 }, (_, i) => ({ cells: [`R${i + 1}`, `行 ${i + 1}`] })),
      });
      drawPageFooters(doc);
    });
    const pages = await pdfPagesText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect((await pdfInfo(pdf))['Pages']).toBe(String(pages.length));
    pages.forEach((page, index) => {
      expect(page).toMatch(/番号\s+名称/);
      expect(page).toMatch(new RegExp(`\\b${index + 1} ?/ ?${pages.length}\\b`));
      expect(page.includes('一覧表（続き）')).toBe(index > 0);
    });
    const rows = pages.join('\n').match(/\bR\d+\b/g) ?? [];
    expect(rows).toEqual(Array.from({ length: 120 }, (_, i) => `R${i + 1}`));
  });
});

describe('drawAddressBlock', () => {
  it('prints the recipient with 様 and the issuer with its registration number', async () => {
    const pdf = await renderPdf({ title: 'address', creationDate }, (doc) => {
      drawAddressBlock(doc, {
        recipient: { name: '𠮷田 花子', honorific: '様', postalCode: '150-0001', addressLines: ['東京都渋谷区神宮前１－２－３'] },
        issuer: { name: '株式会社オロシ', addressLines: ['大阪府大阪市北区梅田１－２－３'], registrationNumber: 'T8700110005901' },
      });
    });
    const text = (await pdfPagesText(pdf))[0]!.replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/𠮷田 花子 様/);
    expect(text).toContain('〒150-0001');
    expect(text).toContain('登録番号: T8700110005901');
  });
});
