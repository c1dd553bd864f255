import Encoding from 'encoding-japanese';
import { ValidationError } from '../shared/domain-error.ts';

/**
 * Staff export customer lists from Excel or older sales systems: UTF-8 (with or without BOM) or
 * Shift_JIS (CP932). A BOM or valid UTF-8 means UTF-8; otherwise the bytes must read as CP932.
 * UTF-16 and binary files are refused rather than turned into mojibake.
 */

export type SourceEncoding = 'utf-8' | 'cp932';

const WRONG_ENCODING = '文字コードを判別できません。UTF-8 または Shift_JIS(CP932)の CSV ファイルを選んでください。';

export function decodeCustomerCsv(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
  if (bytes.length === 0) throw new ValidationError({ file: 'ファイルが空です。' });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) {
    throw new ValidationError({ file: WRONG_ENCODING });
  }
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(hasBom ? bytes.subarray(3) : bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    if (hasBom) throw new ValidationError({ file: WRONG_ENCODING });
  }
  if (Encoding.detect(bytes, ['SJIS']) !== 'SJIS') throw new ValidationError({ file: WRONG_ENCODING });
  const text = Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
  if (text.includes('\ufffd')) throw new ValidationError({ file: WRONG_ENCODING });
  return { text, encoding: 'cp932' };
}
