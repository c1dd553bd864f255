import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../project-root.ts';

/**
 * First-party static files, read once at boot and served from memory under content-hashed names
 * (`/assets/css/app.3f2a9c1b.css`) with a one-year immutable cache. A file changed on disk after
 * boot is never served: the build verifier (not this process) is what notices the change.
 */

export const STATIC_DIR = projectPath('static');

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticAsset {
  /** Path under static/, e.g. `css/app.css`. */
  logicalPath: string;
  /** Public URL with the content hash, e.g. `/assets/css/app.3f2a9c1b.css`. */
  url: string;
  body: Buffer;
  contentType: string;
  sha384: string;
}

export class StaticAssets {
  private readonly byLogical = new Map<string, StaticAsset>();
  private readonly byUrl = new Map<string, StaticAsset>();

  constructor(readonly root = STATIC_DIR) {
    this.scan('');
  }

  private scan(rel: string): void {
    const dir = path.join(this.root, rel);
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        this.scan(relPath);
        continue;
      }
      const ext = path.extname(entry.name);
      const contentType = CONTENT_TYPES[ext];
      if (!contentType || !entry.isFile()) continue;
      const body = fs.readFileSync(path.join(dir, entry.name));
      const hex = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const hashedName = `${relPath.slice(0, -ext.length)}.${hex}${ext}`;
      const asset: StaticAsset = {
        logicalPath: relPath,
        url: `/assets/${hashedName}`,
        body,
        contentType,
        sha384: `sha384-${createHash('sha384').update(body).digest('base64')}`,
      };
      this.byLogical.set(relPath, asset);
      this.byUrl.set(asset.url, asset);
    }
  }

  get(logicalPath: string): StaticAsset {
    const asset = this.byLogical.get(logicalPath);
    if (!asset) throw new Error(`unknown static asset: ${logicalPath}`);
    return asset;
  }

  url(logicalPath: string): string {
    return this.get(logicalPath).url;
  }

  /** Unhashed paths are served too (postal data fetched by path), but with a short cache. */
  lookup(urlPath: string): { asset: StaticAsset; immutable: boolean } | undefined {
    const hashed = this.byUrl.get(urlPath);
    if (hashed) return { asset: hashed, immutable: true };
    if (!urlPath.startsWith('/assets/')) return undefined;
    const plain = this.byLogical.get(urlPath.slice('/assets/'.length));
    return plain ? { asset: plain, immutable: false } : undefined;
  }

  all(): StaticAsset[] {
    return [...this.byLogical.values()];
  }
}
