import { inflateSync } from 'node:zlib';
import { ValidationError } from '../shared/domain-error.ts';

/**
 * Decides whether an uploaded certificate is what it claims to be, from its bytes alone: the
 * browser's content type and the file name's extension are only cross-checked, never trusted.
 * A file must be exactly one thing — a PDF, a JPEG or a PNG that parses — and nothing else:
 * a valid image with a PDF, ZIP, HTML or script riding along (a polyglot, attack catalogue 8)
 * is refused, as is a PDF that can run code or carry files.
 */

export const CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024;

export type CertificateContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface CheckedCertificate {
  contentType: CertificateContentType;
  /** The original name, checked: safe to store and to show (escaped), never used as a path. */
  name: string;
}

const FIELD = 'certificate';
const reject = (message: string): never => {
  throw new ValidationError({ [FIELD]: message });
};

const EXTENSIONS: Record<CertificateContentType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

/**
 * A name is kept for display only, but a name that tries path tricks or hides its real extension
 * says the upload is not an honest certificate.
 */
export function checkCertificateName(raw: string): string {
  const name = raw.normalize('NFC');
  if (name.length === 0) reject('ファイル名がありません。');
  if (name.length > 120) reject('ファイル名が長すぎます（120文字以内にしてください）。');
  // C0/C1 controls (NUL included), bidi overrides that disguise an extension, path separators.
  if (hasHiddenCharacters(name)) reject('ファイル名に使用できない文字が含まれています。');
  if (/[/\\:]/.test(name) || name.includes('..') || name.startsWith('.')) reject('ファイル名に使用できない文字が含まれています。');
  if (!/\.[A-Za-z0-9]{1,5}$/.test(name)) reject('ファイル名に拡張子（.pdf / .jpg / .png）を付けてください。');
  return name;
}

function hasHiddenCharacters(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

function extensionOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sniff(bytes: Buffer): CertificateContentType | null {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (/^%PDF-(1\.[0-7]|2\.0)[\r\n\s%]/.test(bytes.subarray(0, 16).toString('latin1'))) return 'application/pdf';
  return null;
}

// Markers of another format or of markup/script anywhere in a file. Matched case-insensitively on
// the latin1 view of the bytes, so they hit whatever the surrounding binary is.
const FOREIGN_MARKERS: readonly [RegExp, string][] = [
  [/%PDF-/i, 'PDF'],
  [new RegExp(['PK\x03\x04', 'PK\x05\x06', 'PK\x01\x02'].join('|')), 'ZIP'],
  [/<\s*(script|html|body|iframe|svg|object|embed|!doctype|\?php|\?xml-stylesheet)/i, 'HTML/スクリプト'],
  [/javascript:/i, 'スクリプト'],
];

function findForeignMarker(text: string, skipPdf: boolean): string | null {
  for (const [pattern, label] of FOREIGN_MARKERS) {
    if (skipPdf && label === 'PDF') continue;
    if (pattern.test(text)) return label;
  }
  return null;
}

/** Walks the PNG chunk list: every chunk must be whole and IEND must be the very last bytes. */
function checkPngStructure(bytes: Buffer): void {
  let offset = 8;
  let sawIend = false;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type) || offset + 12 + length > bytes.length) reject('PNG ファイルが壊れています。');
    offset += 12 + length;
    if (type === 'IEND') {
      sawIend = true;
      break;
    }
  }
  if (!sawIend) reject('PNG ファイルが壊れています。');
  if (offset !== bytes.length) reject('画像の後ろに別のデータが付け加えられています。');
}

function checkJpegStructure(bytes: Buffer): void {
  // The end-of-image marker must be the last thing in the file: anything after it is a rider.
  if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
    reject('画像の後ろに別のデータが付け加えられているか、JPEG ファイルが壊れています。');
  }
}

async function checkImage(bytes: Buffer, expected: 'jpeg' | 'png'): Promise<void> {
  // libvips is loaded by the first certificate, not at boot.
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(bytes, { failOn: 'truncated', limitInputPixels: 100_000_000 }).metadata();
    if (meta.format !== expected || !meta.width || !meta.height) reject('画像を読み取れませんでした。');
    // A full decode (to a thumbnail) proves the pixel data parses, not just the header.
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: 100_000_000 }).resize(32, 32, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    reject('画像を読み取れませんでした。ファイルが壊れている可能性があります。');
  }
}

// PDF features that run code, act on opening, or carry other files.
const PDF_ACTIVE = /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|SubmitForm|ImportData|GoToE|GoToR|Sound|Movie)(?![A-Za-z])/;

/** `/J#61vaScript` is `/JavaScript` to a PDF reader: undo name escapes before looking. */
function decodePdfNames(text: string): string {
  return text.replace(/\/[^\s/<>[\]()]+/g, (name) => name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))));
}

function checkPdf(bytes: Buffer): void {
  const text = bytes.toString('latin1');
  // Trailer: the last %%EOF must end the file (only whitespace after it) and follow a startxref.
  const eof = text.lastIndexOf('%%EOF');
  if (eof < 0 || text.slice(eof + 5).trim() !== '') reject('PDF の末尾に別のデータが付け加えられているか、PDF が壊れています。');
  const startxref = text.lastIndexOf('startxref', eof);
  if (startxref < 0 || !/^startxref\s+\d+\s*$/.test(text.slice(startxref, eof))) reject('PDF が壊れています（相互参照表がありません）。');
  if (!/\d+\s+\d+\s+obj\b/.test(text)) reject('PDF が壊れています。');
  // Exactly one PDF header: a second one means another document was glued on.
  if (text.indexOf('%PDF-', 1) >= 0) reject('PDF に別のファイルが含まれています。');

  const scan = (chunk: string) => {
    if (PDF_ACTIVE.test(decodePdfNames(chunk))) reject('スクリプト・自動実行・添付ファイルを含む PDF はアップロードできません。');
    const marker = findForeignMarker(chunk, true);
    if (marker) reject(`PDF に${marker}のデータが含まれています。`);
  };
  // Object streams can hide dictionaries in compressed data: inflate every Flate stream and look there too.
  const streams = /stream\r?\n/g;
  const outside: string[] = [];
  let last = 0;
  for (let match = streams.exec(text); match; match = streams.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) reject('PDF が壊れています。');
    outside.push(text.slice(last, match.index));
    const raw = bytes.subarray(start, end);
    try {
      scan(inflateSync(raw).toString('latin1'));
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      // Not Flate (an image, or another filter): its raw bytes are scanned with the rest below.
    }
    last = end + 'endstream'.length;
    streams.lastIndex = last;
  }
  outside.push(text.slice(last));
  scan(outside.join('\n'));
}

/**
 * Checks an uploaded certificate. Throws ValidationError (field `certificate`, Japanese message)
 * for anything that is not a clean PDF/JPEG/PNG under the size limit with an honest name.
 */
export async function checkCertificateFile(bytes: Buffer, rawName: string): Promise<CheckedCertificate> {
  const name = checkCertificateName(rawName);
  if (bytes.length === 0) reject('ファイルが空です。');
  if (bytes.length > CERTIFICATE_MAX_BYTES) reject('ファイルが大きすぎます（5MB まで）。');
  const contentType = sniff(bytes);
  if (!contentType) reject('PDF・JPEG・PNG のファイルを選んでください。');
  const type = contentType as CertificateContentType;
  if (!EXTENSIONS[type].includes(extensionOf(name))) reject('ファイルの中身と拡張子が一致しません。');
  if (type === 'application/pdf') {
    checkPdf(bytes);
  } else {
    if (type === 'image/png') checkPngStructure(bytes);
    else checkJpegStructure(bytes);
    const marker = findForeignMarker(bytes.toString('latin1'), false);
    if (marker) reject(`画像に${marker}のデータが含まれています。`);
    await checkImage(bytes, type === 'image/png' ? 'png' : 'jpeg');
  }
  return { contentType: type, name };
}
