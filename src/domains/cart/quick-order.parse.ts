/**
 * Quick order text: one "code, quantity" per line, typed or pasted from Excel. Codes are SKUs or
 * JANs; separators may be tabs, commas (also 、，), spaces (also full-width) or ×; digits may be
 * full-width; a quantity may carry a unit (12本). A line pasted from Excel is split on tabs only,
 * so "1,000" in a cell stays one number. A missing quantity means 1.
 */

export const MAX_QUICK_ORDER_LINES = 200;
export const MAX_QUICK_ORDER_CHARS = 20_000;

export interface QuickOrderLine {
  lineNo: number;
  raw: string;
  code: string;
  /** The quantity as typed (normalised), '' when absent. */
  quantityText: string;
}

const HEADER_WORDS = /^(sku|jan|jancode|code|品番|商品コード|コード|janコード)$/i;
const UNIT_SUFFIX = /(個|本|点|枚|箱|袋|ケース|セット|set|pcs|pc|ea)$/i;

export function parseQuickOrderText(text: string): { lines: QuickOrderLine[]; tooMany: boolean } {
  const normalized = text.slice(0, MAX_QUICK_ORDER_CHARS).normalize('NFKC');
  const lines: QuickOrderLine[] = [];
  let tooMany = false;
  normalized.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const raw = rawLine.trim();
    if (raw === '') return;
    const cells = (rawLine.includes('\t') ? rawLine.split('\t') : raw.split(/[,、，\s×]+/)).map((c) => c.trim()).filter((c) => c !== '');
    if (cells.length === 0) return;
    const code = cells[0]!.replace(/^["']|["']$/g, '');
    let quantityText = cells.length > 1 ? cells[cells.length - 1]!.replace(/^["']|["']$/g, '') : '';
    quantityText = quantityText.replace(UNIT_SUFFIX, '').replace(/,/g, '').trim();
    if (lines.length === 0 && HEADER_WORDS.test(code) && !/^\d+$/.test(quantityText)) return;
    if (lines.length >= MAX_QUICK_ORDER_LINES) {
      tooMany = true;
      return;
    }
    lines.push({ lineNo: index + 1, raw: raw.slice(0, 200), code: code.slice(0, 60), quantityText: quantityText.slice(0, 20) });
  });
  return { lines, tooMany };
}
