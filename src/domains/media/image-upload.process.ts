import { createHash } from 'node:crypto';
import type sharp from 'sharp';
import { ValidationError } from '../shared/domain-error.ts';

/**
 * Turns an uploaded product image into Oroshi's own WebP renditions. The upload's bytes are never
 * stored or served: the image is decoded to pixels and encoded afresh, so metadata (EXIF, GPS,
 * comments, ICC text) and anything riding after the image data (a script, a ZIP — attack
 * catalogue 8) cannot survive. What the file is comes from its bytes, never its name or the
 * browser's content type.
 */

export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const IMAGE_MAX_SIDE = 8000;
export const IMAGE_MIN_SIDE = 16;
export const IMAGE_SIZES = [160, 480, 960] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

export interface ProcessedImage {
  /** sha256 of the largest rendition, 32 hex characters: names every rendition's file. */
  contentHash: string;
  width: number;
  height: number;
  renditions: { size: ImageSize; body: Buffer }[];
}

type Kind = 'png' | 'jpeg' | 'webp';

function sniff(bytes: Buffer): Kind | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const reject = (message: string): never => {
  throw new ValidationError({ image: message });
};

export async function processProductImage(bytes: Buffer): Promise<ProcessedImage> {
  if (bytes.length === 0) reject('ファイルが空です。');
  if (bytes.length > IMAGE_MAX_BYTES) reject('画像は10MB以内にしてください。');
  const kind = sniff(bytes);
  if (!kind) reject('PNG・JPEG・WebP の画像を選んでください。');
  const limitInputPixels = IMAGE_MAX_SIDE * IMAGE_MAX_SIDE;
  // libvips is loaded by the first upload, not at boot.
  const { default: sharp } = await import('sharp');
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels, failOn: 'error' }).metadata();
  } catch {
    return reject('画像として読み込めませんでした。壊れていないファイルを選んでください。');
  }
  if (meta.format !== kind) reject('画像の中身と形式が一致しません。');
  if ((meta.pages ?? 1) > 1) reject('アニメーション画像は使えません。');
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (width < IMAGE_MIN_SIDE || height < IMAGE_MIN_SIDE) reject(`画像が小さすぎます（${IMAGE_MIN_SIDE}px以上にしてください）。`);
  if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE) reject(`画像が大きすぎます（縦横${IMAGE_MAX_SIDE}px以内にしてください）。`);

  const renditions: { size: ImageSize; body: Buffer }[] = [];
  try {
    for (const size of IMAGE_SIZES) {
      const body = await sharp(bytes, { limitInputPixels, failOn: 'error' })
        .rotate()
        .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82, effort: 4 })
        .toBuffer();
      renditions.push({ size, body });
    }
  } catch {
    return reject('画像を変換できませんでした。別のファイルを選んでください。');
  }
  const largest = renditions[renditions.length - 1]!.body;
  const contentHash = createHash('sha256').update(largest).digest('hex').slice(0, 32);
  return { contentHash, width, height, renditions };
}
