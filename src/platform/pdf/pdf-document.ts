import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PdfKit from 'pdfkit';

export type PdfDoc = PDFKit.PDFDocument;

export interface PdfDocumentOptions {
  title: string;
  author?: string;
  subject?: string;
  /** Fix this to make the output byte-for-byte reproducible (the file ID is derived from it). */
  creationDate?: Date;
}

/** Font names registered on every document. */
export const JP_FONT = 'jp';
export const JP_FONT_BOLD = 'jp-bold';

// A4 with ~15 mm sides; the larger bottom margin keeps room for the page-number footer.
export const PDF_MARGINS = { top: 42, bottom: 56, left: 42, right: 42 } as const;

const FONT_FILES = {
  [JP_FONT]: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  [JP_FONT_BOLD]: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
} as const;

type FontName = keyof typeof FONT_FILES;

// Each TTF is ~5 MB: read it once per process, not once per document. pdfkit only parses the
// tables it needs and embeds a subset of the glyphs actually used, so pages stay small.
const fontCache = new Map<FontName, Buffer>();
const requireFromHere = createRequire(import.meta.url);

// pdfkit (with its font machinery) is loaded by the first document, not at boot: most requests
// and many processes never draw a PDF.
let pdfKit: typeof PdfKit | undefined;
function pdfDocumentClass(): typeof PdfKit {
  pdfKit ??= requireFromHere('pdfkit') as typeof PdfKit;
  return pdfKit;
}

function fontData(name: FontName): Buffer {
  let data = fontCache.get(name);
  if (!data) {
    data = readFileSync(requireFromHere.resolve(FONT_FILES[name]));
    fontCache.set(name, data);
  }
  return data;
}

/**
 * An A4 pdfkit document with the Japanese fonts registered as 'jp' and 'jp-bold' and 'jp'
 * selected. Pages are buffered so page numbers can be written once the page count is known.
 */
export function createPdfDocument(options: PdfDocumentOptions): PdfDoc {
  const PDFDocument = pdfDocumentClass();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { ...PDF_MARGINS },
    bufferPages: true,
    lang: 'ja-JP',
    displayTitle: true,
    info: {
      Title: options.title,
      ...(options.author !== undefined && { Author: options.author }),
      ...(options.subject !== undefined && { Subject: options.subject }),
      Creator: 'Oroshi',
      Producer: 'Oroshi (pdfkit)',
      ...(options.creationDate !== undefined && { CreationDate: options.creationDate }),
    },
  });
  doc.registerFont(JP_FONT, fontData(JP_FONT));
  doc.registerFont(JP_FONT_BOLD, fontData(JP_FONT_BOLD));
  doc.font(JP_FONT);
  return doc;
}

/** Creates a document, lets `build` draw it, and resolves with the finished PDF bytes. */
export function renderPdf(options: PdfDocumentOptions, build: (doc: PdfDoc) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = createPdfDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      build(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}
