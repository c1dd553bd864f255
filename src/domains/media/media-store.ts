import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_SIZES, type ImageSize } from './image-upload.process.ts';

/**
 * Re-encoded images on disk: DATA_DIR/media/<content-hash>-<size>.webp. Names are content
 * hashes, so a file never changes once written (served as immutable) and two uploads of the same
 * picture share their files.
 */

export const MEDIA_FILE_NAME = /^([0-9a-f]{32})-(160|480|960)\.webp$/;

export function mediaDir(dataDir: string): string {
  return path.join(dataDir, 'media');
}

export function mediaFileName(contentHash: string, size: ImageSize): string {
  return `${contentHash}-${size}.webp`;
}

/** Writes each rendition atomically (temp file + rename); existing files are kept as they are. */
export async function storeRenditions(dataDir: string, contentHash: string, renditions: { size: ImageSize; body: Buffer }[]): Promise<void> {
  const dir = mediaDir(dataDir);
  await fs.mkdir(dir, { recursive: true });
  for (const { size, body } of renditions) {
    const target = path.join(dir, mediaFileName(contentHash, size));
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(temp, body, { flag: 'wx' });
    await fs.rename(temp, target);
  }
}

/** A stored rendition's bytes, or null for a name that is not one of ours or a missing file. */
export async function readRendition(dataDir: string, fileName: string): Promise<Buffer | null> {
  if (!MEDIA_FILE_NAME.test(fileName)) return null;
  try {
    return await fs.readFile(path.join(mediaDir(dataDir), fileName));
  } catch {
    return null;
  }
}

export function parseMediaFileName(fileName: string): { contentHash: string; size: ImageSize } | null {
  const m = MEDIA_FILE_NAME.exec(fileName);
  if (!m) return null;
  return { contentHash: m[1]!, size: Number(m[2]) as ImageSize };
}

export const MEDIA_SIZES = IMAGE_SIZES;
