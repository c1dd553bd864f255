// One normal form for product names and what buyers type, so カラー, ｶﾗｰ, から− and からー meet,
// and ＣＯＬＯＲ meets color. Both the indexed text and the query go through normalizeForSearch.
//
// Small kana are NOT folded into large ones: びよういん (美容院) and びょういん (病院) must stay
// apart in a shop for beauty salons. Only ヵ/ヶ, which are read as か/が/け in names, are folded.

export const SEARCH_LIMITS = {
  maxTerms: 10,
  maxTermLength: 64,
  maxTotalLength: 200,
  // Anything past this is cut before normalising, so a 10 kB query costs what a 1 kB one does.
  maxInputLength: 1000,
} as const;

const KATAKANA_START = 0x30a1; // ァ
const KATAKANA_END = 0x30f6; // ヶ
const KATAKANA_TO_HIRAGANA = 0x60;

// Dash-like characters people type for the long vowel mark after kana (から−, カラ-).
const DASHES = '\\-‐‑‒–—―−－~〜～';
const KANA = '\\u3041-\\u3096\\u30a1-\\u30fa\\u30fc';
const DASH_AFTER_KANA = new RegExp(`(?<=[${KANA}])[${DASHES}]+`, 'gu');
// Joiners inside words: removed so "ヘア・カラー" = "ヘアカラー" and "A-100" = "A100".
const JOINERS = new RegExp(`[${DASHES}'’.·・･_]`, 'gu');
// Everything that is not a letter, digit, mark or space separates terms.
const NOT_WORD = /[^\p{L}\p{N}\p{M}\s]/gu;
const LATIN_WITH_ACCENT = /[\u00c0-\u024f]/gu;

function katakanaToHiragana(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code >= KATAKANA_START && code <= KATAKANA_END ? String.fromCodePoint(code - KATAKANA_TO_HIRAGANA) : ch;
  }
  return out;
}

export function normalizeForSearch(text: string): string {
  return (
    katakanaToHiragana(
      text
        // Spacing voiced marks (゛゜) become combining ones so NFKC composes か゛ into が.
        .replace(/\u309b/g, '\u3099')
        .replace(/\u309c/g, '\u309a')
        .normalize('NFKC')
        .toLowerCase()
        .replace(LATIN_WITH_ACCENT, (ch) => ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '')),
    )
      .replace(/[ゕヵ]/g, 'か')
      .replace(/[ゖヶ]/g, 'け')
      .replace(DASH_AFTER_KANA, 'ー')
      .replace(JOINERS, '')
      .replace(NOT_WORD, ' ')
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

function truncateCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('');
}

/**
 * Query → distinct normalised terms, bounded: at most 10 terms of at most 64 characters and
 * 200 characters in total; the rest of the query is ignored.
 */
export function searchTerms(query: string): string[] {
  const normalized = normalizeForSearch(query.slice(0, SEARCH_LIMITS.maxInputLength));
  const terms: string[] = [];
  let total = 0;
  for (const raw of normalized.split(' ')) {
    if (raw === '') continue;
    const term = truncateCodePoints(raw, SEARCH_LIMITS.maxTermLength);
    if (terms.includes(term)) continue;
    const length = Array.from(term).length;
    if (total + length > SEARCH_LIMITS.maxTotalLength) break;
    terms.push(term);
    total += length;
    if (terms.length === SEARCH_LIMITS.maxTerms) break;
  }
  return terms;
}
