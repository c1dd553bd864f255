import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/domain-error.ts';
import { IMAGE_SIZES, processProductImage } from './image-upload.process.ts';

const MARKER = 'OROSHI_HIDDEN_PAYLOAD_7f3a';

async function jpegWithExif(width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 90 } } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'EXIF_SECRET_5521', ImageDescription: 'GPS and camera data' } })
    .toBuffer();
}

async function rejection(bytes: Buffer): Promise<ValidationError> {
  try {
    await processProductImage(bytes);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected the upload to be refused');
}

describe('processProductImage', () => {
  it('drops bytes appended after the JPEG end marker and all metadata', async () => {
    const clean = await jpegWithExif();
    expect(clean.includes('EXIF_SECRET_5521')).toBe(true);
    const appended = Buffer.concat([clean, Buffer.from(`PK\u0003\u0004<script>eval(atob("${MARKER}"))</script>${MARKER}`, 'latin1')]);
    expect((await sharp(appended).metadata()).exif).toBeDefined();

    const result = await processProductImage(appended);
    expect(result.renditions.map((r) => r.size)).toEqual([...IMAGE_SIZES]);
    for (const { body, size } of result.renditions) {
      expect(body.includes(MARKER)).toBe(false);
      expect(body.includes('EXIF_SECRET_5521')).toBe(false);
      expect(body.includes('<script')).toBe(false);
      const meta = await sharp(body).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(size);
    }
    expect(result.contentHash).toMatch(/^[0-9a-f]{32}$/);
    expect([result.width, result.height]).toEqual([1200, 800]);
  });

  it('gives the same hash with or without a payload riding along', async () => {
    const clean = await jpegWithExif(600, 600);
    const a = await processProductImage(clean);
    const b = await processProductImage(Buffer.concat([clean, Buffer.from(MARKER)]));
    expect(b.contentHash).toBe(a.contentHash);
  });

  it('accepts PNG and WebP and does not enlarge small images', async () => {
    const png = await sharp({ create: { width: 100, height: 50, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const webp = await sharp(png).webp().toBuffer();
    for (const bytes of [png, webp]) {
      const result = await processProductImage(bytes);
      const largest = await sharp(result.renditions[2]!.body).metadata();
      expect([largest.width, largest.height]).toEqual([100, 50]);
    }
  });

  it('refuses what is not an image, a lying signature, SVG and oversized files', async () => {
    expect((await rejection(Buffer.from('<svg onload="alert(1)"></svg>'))).fieldErrors.image).toContain('PNG');
    expect((await rejection(Buffer.from('%PDF-1.7\n1 0 obj'))).fieldErrors.image).toContain('PNG');
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a jpeg at all'.repeat(20))]);
    expect((await rejection(fakeJpeg)).fieldErrors.image).toContain('読み込めません');
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const pngClaimingJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]);
    expect(await rejection(pngClaimingJpeg)).toBeInstanceOf(ValidationError);
    expect((await rejection(Buffer.alloc(10 * 1024 * 1024 + 1, 0xff))).fieldErrors.image).toContain('10MB');
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await rejection(tiny)).fieldErrors.image).toContain('小さすぎ');
  });
});
