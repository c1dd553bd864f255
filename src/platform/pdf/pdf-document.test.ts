import { describe, expect, it, vi } from 'vitest';

// Count reads of the font files: they are ~5 MB each and must be read once per process.
const readFileSync = vi.hoisted(() => ({ calls: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    readFileSync: (...args: Parameters<typeof actual.readFileSync>) => {
      readFileSync.calls.push(String(args[0]));
      return actual.readFileSync(...args);
    },
  };
});

const { JP_FONT, JP_FONT_BOLD, renderPdf } = await import('./pdf-document.ts');
const { pdfFontNames, pdfInfo, pdfText } = await import('./pdf-inspect.testing.ts');

const fixedDate = new Date('2026-11-20T00:00:00Z');

function drawSample(doc: PDFKit.PDFDocument): void {
  doc.font(JP_FONT).fontSize(12).text('𠮷野家 ｶﾀｶﾅ 全角ＡＢＣ 〒150-0001');
  doc.font(JP_FONT_BOLD).text('太字の見出し');
}

describe('renderPdf', () => {
  it('renders Japanese text, including characters outside the BMP, with both embedded weights', async () => {
    const pdf = await renderPdf({ title: 'テスト文書', author: '株式会社オロシ', subject: '件名', creationDate: fixedDate }, drawSample);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('𠮷野家 ｶﾀｶﾅ 全角ＡＢＣ 〒150-0001');
    expect(text).toContain('太字の見出し');
    const fonts = await pdfFontNames(pdf);
    expect(fonts).toHaveLength(2);
    // pdfkit embeds subsets (a six-letter tag before the name), which keeps files small.
    expect(fonts.some((name) => /^[A-Z]{6}\+NotoSansJP-Regular$/.test(name))).toBe(true);
    expect(fonts.some((name) => /^[A-Z]{6}\+NotoSansJP-Bold$/.test(name))).toBe(true);
    expect(pdf.length).toBeLessThan(40 * 1024);
  });

  it('writes A4 pages and the document metadata', async () => {
    const pdf = await renderPdf({ title: 'テスト文書', author: '株式会社オロシ', subject: '件名', creationDate: fixedDate }, drawSample);
    const info = await pdfInfo(pdf);
    expect(info['Title']).toBe('テスト文書');
    expect(info['Author']).toBe('株式会社オロシ');
    expect(info['Subject']).toBe('件名');
    expect(info['Page size']).toMatch(/\(A4\)/);
    expect(info['CreationDate']).toMatch(/2026/);
  });

  it('is byte-for-byte reproducible when the creation date is fixed', async () => {
    const options = { title: '再現性', creationDate: fixedDate };
    const first = await renderPdf(options, drawSample);
    const second = await renderPdf(options, drawSample);
    expect(first.equals(second)).toBe(true);
  });

  it('reads each font file once, however many documents are rendered', async () => {
    for (let i = 0; i < 3; i++) await renderPdf({ title: `文書${i}` }, drawSample);
    const fontReads = readFileSync.calls.filter((path) => path.endsWith('.ttf'));
    expect(fontReads).toHaveLength(2);
    expect(fontReads.some((path) => path.endsWith('NotoSansJP_400Regular.ttf'))).toBe(true);
    expect(fontReads.some((path) => path.endsWith('NotoSansJP_700Bold.ttf'))).toBe(true);
  });

  it('rejects when drawing throws', async () => {
    await expect(
      renderPdf({ title: '失敗' }, () => {
        throw new Error('layout failed');
      }),
    ).rejects.toThrow('layout failed');
  });
});
