import fs from 'node:fs';
import { Transform } from 'node:stream';

/**
 * Encoding of an uploaded catalog CSV, decided from its bytes in one streaming pass: a UTF-8 BOM,
 * or bytes that are valid UTF-8 throughout, mean UTF-8; anything else is read as CP932 (what
 * Excel in Japan writes as "CSV"). UTF-16 and binary files are refused outright.
 */

export type CsvEncoding = 'utf-8' | 'cp932';

export type EncodingDetection = { ok: true; encoding: CsvEncoding; bom: boolean } | { ok: false; message: string };

export const WRONG_ENCODING_MESSAGE = '文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存した CSV ファイルを選んでください。';

export async function detectCsvEncoding(filePath: string): Promise<EncodingDetection> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let bom = false;
  let utf8 = true;
  let size = 0;
  // Our headers are Japanese: a header line that is valid, non-ASCII UTF-8 settles the question,
  // and later invalid bytes are damaged rows (reported per row), not a CP932 file.
  let headerIsUtf8 = false;
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (first) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) return { ok: false, message: WRONG_ENCODING_MESSAGE };
      bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      const newline = chunk.indexOf(0x0a);
      const header = chunk.subarray(bom ? 3 : 0, newline >= 0 ? newline : chunk.length);
      try {
        headerIsUtf8 = newline >= 0 && header.some((b) => b >= 0x80) && new TextDecoder('utf-8', { fatal: true }).decode(header).length > 0;
      } catch {
        headerIsUtf8 = false;
      }
    }
    if (chunk.includes(0)) return { ok: false, message: WRONG_ENCODING_MESSAGE };
    if (utf8) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        utf8 = false;
      }
    }
  }
  if (size === 0) return { ok: false, message: 'ファイルが空です。' };
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  if (bom && !utf8 && !headerIsUtf8) return { ok: false, message: WRONG_ENCODING_MESSAGE };
  return { ok: true, encoding: utf8 || headerIsUtf8 ? 'utf-8' : 'cp932', bom };
}

/** The file as a stream of text in its encoding (BOM removed); bytes that cannot be read become U+FFFD (reported per row). */
export function decodedCsvStream(filePath: string, encoding: CsvEncoding): NodeJS.ReadableStream {
  const decoder = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'shift_jis', { ignoreBOM: false });
  const transform = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, callback) {
      callback(null, decoder.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, decoder.decode());
    },
  });
  transform.setEncoding('utf8');
  return fs.createReadStream(filePath, { highWaterMark: 1 << 20 }).pipe(transform);
}
