import type { ImageSize } from './image-upload.process.ts';

/**
 * Where a product picture is fetched from. Uploaded images: `<shopBase>/media/<hash>-<size>.webp`
 * (shopBase is '' on a shop's own origin, '/s/<slug>' in development). Demo products name a
 * prepared picture instead (image_key → /assets/demo/<key>.webp).
 */
export function productImageUrl(shopBase: string, contentHash: string, size: ImageSize): string {
  return `${shopBase}/media/${contentHash}-${size}.webp`;
}

const DEMO_KEY = /^[a-z0-9][a-z0-9-]{0,60}$/;

export function demoImagePath(imageKey: string | null): string | null {
  return imageKey && DEMO_KEY.test(imageKey) ? `demo/${imageKey}.webp` : null;
}
