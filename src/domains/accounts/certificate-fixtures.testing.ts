import PDFDocument from 'pdfkit';
import sharp from 'sharp';

/** Small honest certificates for upload tests. */

export async function samplePng(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 20, g: 120, b: 140 } } }).png().toBuffer();
}

export async function sampleJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer();
}

export function samplePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A6' });
    const parts: Buffer[] = [];
    doc.on('data', (c: Buffer) => parts.push(c));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.text('Biyousho registration certificate');
    doc.end();
  });
}
