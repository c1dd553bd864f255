// CP932 (Windows-31J), the "Shift_JIS" that carriers' Windows software reads.
//
// The encoder is derived from the WHATWG shift_jis decoder built into Node (ICU), with
// Windows' choice where CP932 has two codes for one character: the first code in byte order
// wins (so ≒ is 81E0, not NEC row 13's 8790), except that the NEC-selected IBM extension rows
// ED/EE lose to the IBM extension rows FA–FC (so 髙 is FBFC, as Windows writes it).
// encoding-japanese writes EDxx/EExx for those characters, which is why it is not used here.

const SUBSTITUTES: Record<string, string> = {
  // Characters that Unicode-first sources (macOS input, web pages) produce where CP932 has the
  // visually identical full-width form.
  '\u301c': '\uff5e', // 〜 WAVE DASH → ～
  '\u2212': '\uff0d', // − MINUS SIGN → －
  '\u2016': '\u2225', // ‖ → ∥
  '\u00a2': '\uffe0', // ¢ → ￠
  '\u00a3': '\uffe1', // £ → ￡
  '\u00ac': '\uffe2', // ¬ → ￢
  '\u2014': '\u2015', // — EM DASH → ―
  '\u00a5': '\uffe5', // ¥ → ￥
  '\u2011': '-', // non-breaking hyphen
  '\u00a0': ' ', // no-break space
};

let encodeTable: Map<number, number> | null = null;

function table(): Map<number, number> {
  if (encodeTable) return encodeTable;
  const decoder = new TextDecoder('shift_jis');
  const map = new Map<number, number>();
  for (let byte = 0x00; byte <= 0x7f; byte++) map.set(byte, byte);
  for (let byte = 0xa1; byte <= 0xdf; byte++) map.set(0xff61 + (byte - 0xa1), byte);
  const deferred: [number, number][] = [];
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead >= 0xa0 && lead <= 0xdf) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const decoded = decoder.decode(pair);
      if (decoded.length !== 1 || decoded === '\ufffd') continue;
      const codePoint = decoded.charCodeAt(0);
      const code = (lead << 8) | trail;
      if (lead === 0xed || lead === 0xee) deferred.push([codePoint, code]);
      else if (!map.has(codePoint)) map.set(codePoint, code);
    }
  }
  for (const [codePoint, code] of deferred) if (!map.has(codePoint)) map.set(codePoint, code);
  encodeTable = map;
  return map;
}

/** Replaces look-alikes CP932 lacks with the forms it has; leaves everything else alone. */
export function substituteForCp932(text: string): string {
  let out = '';
  for (const ch of text) out += SUBSTITUTES[ch] ?? ch;
  return out;
}

/** Characters of text that CP932 cannot carry (after substitution), each listed once. */
export function unrepresentableInCp932(text: string): string[] {
  const map = table();
  const bad = new Set<string>();
  for (const ch of substituteForCp932(text)) {
    if (!map.has(ch.codePointAt(0)!)) bad.add(ch);
  }
  return [...bad];
}

/** Byte length in CP932, or null when some character cannot be encoded. */
export function cp932ByteLength(text: string): number | null {
  const map = table();
  let length = 0;
  for (const ch of substituteForCp932(text)) {
    const code = map.get(ch.codePointAt(0)!);
    if (code === undefined) return null;
    length += code > 0xff ? 2 : 1;
  }
  return length;
}

/** Encodes text; throws on characters CP932 cannot carry (check with unrepresentableInCp932 first). */
export function encodeCp932(text: string): Buffer {
  const map = table();
  const bytes: number[] = [];
  for (const ch of substituteForCp932(text)) {
    const code = map.get(ch.codePointAt(0)!);
    if (code === undefined) throw new RangeError(`cannot encode ${JSON.stringify(ch)} in CP932`);
    if (code > 0xff) bytes.push(code >> 8, code & 0xff);
    else bytes.push(code);
  }
  return Buffer.from(bytes);
}

export function decodeCp932(bytes: Uint8Array): string {
  return new TextDecoder('shift_jis').decode(bytes);
}

/** The longest prefix of text (whole characters) that fits in maxBytes of CP932. */
export function truncateToCp932Bytes(text: string, maxBytes: number): string {
  const map = table();
  let length = 0;
  let out = '';
  for (const ch of substituteForCp932(text)) {
    const code = map.get(ch.codePointAt(0)!);
    if (code === undefined) throw new RangeError(`cannot encode ${JSON.stringify(ch)} in CP932`);
    const size = code > 0xff ? 2 : 1;
    if (length + size > maxBytes) break;
    length += size;
    out += ch;
  }
  return out;
}
