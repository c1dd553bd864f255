import { createHash } from 'node:crypto';
import type { Database } from '../../platform/db/database.ts';
import { withPlatform, withTenant } from '../../platform/db/tenant-scope.ts';
import { sanitizeDescription } from '../catalog/description-sanitizer.ts';
import type { SecurityEventInput } from './security-events.service.ts';

/**
 * The database-stored texts that reach pages, checked independently of the code that wrote them
 * (BRIEF catalogue 2, 9: a script smuggled in through a stored text, by SQL or a bug in a write
 * path). Product descriptions are the one text rendered as HTML: each must be a fixed point of the
 * sanitiser — a stored description the sanitiser would change was not written through it. Taglines
 * and legal texts are escaped when rendered, so markup in them cannot run; markup there is still
 * someone trying, and is reported as a warning.
 *
 * Runs one read-only transaction per shop in that shop's scope (like unsafeAcrossTenants, but
 * without its per-call audit entry: this runs every 30 seconds and writes nothing).
 */

const MARKUP_IN_PLAIN_TEXT = /<\s*\/?\s*(script|iframe|svg|img|object|embed|form|input|link|meta|style)\b|javascript:|\son[a-z]+\s*=/i;

export interface StoredTextCheck {
  textsChecked: number;
  findings: SecurityEventInput[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `cleanCache` remembers the hashes of texts already found clean, so an unchanged catalog costs
 * one hash per text per pass; anything new or changed is sanitised again.
 */
export async function verifyStoredTexts(database: Database, cleanCache: Set<string> = new Set()): Promise<StoredTextCheck> {
  const shops = await withPlatform(database, (tx) => tx.selectFrom('tenants').select(['id', 'slug', 'tagline', 'legal']).orderBy('slug').execute());
  const findings: SecurityEventInput[] = [];
  let textsChecked = 0;
  for (const shop of shops) {
    const plainTexts: [string, string][] = [['tagline', shop.tagline], ...Object.entries(shop.legal ?? {}).map(([k, v]) => [`legal.${k}`, String(v ?? '')] as [string, string])];
    for (const [field, value] of plainTexts) {
      textsChecked++;
      if (!MARKUP_IN_PLAIN_TEXT.test(value)) continue;
      findings.push({
        tenantId: shop.id,
        layer: 'db_text_verifier',
        severity: 'warning',
        kind: 'text.markup-in-plain-text',
        page: field.startsWith('legal.') ? 'shop-legal' : 'shop-home',
        summary: `ショップの表示テキスト（${field}）にマークアップが含まれています（表示時はエスケープされます）`,
        fingerprint: `text:${field}:${sha256(value).slice(0, 16)}`,
        evidence: [{ kind: 'stored-text', data: { field, value: value.slice(0, 2000), sha256: sha256(value) } }],
      });
    }
    const products = await withTenant(database, shop.id, (tx) =>
      tx.selectFrom('products').select(['id', 'code', 'description_html']).where('description_html', '<>', '').execute(),
    );
    for (const product of products) {
      textsChecked++;
      const hash = sha256(product.description_html);
      if (cleanCache.has(hash)) continue;
      const result = sanitizeDescription(product.description_html);
      if (result.ok && result.html === product.description_html) {
        cleanCache.add(hash);
        continue;
      }
      findings.push({
        tenantId: shop.id,
        layer: 'db_text_verifier',
        severity: 'critical',
        kind: 'text.description-unsanitised',
        page: 'shop-product',
        summary: `商品（${product.code}）の説明文が、サニタイザーを通っていない内容に変わっています`,
        fingerprint: `text:description:${product.id}:${hash.slice(0, 16)}`,
        evidence: [
          {
            kind: 'stored-text',
            data: {
              productId: product.id,
              code: product.code,
              sha256: hash,
              removedBySanitiser: result.ok ? result.removed : [result.code],
              excerpt: product.description_html.slice(0, 2000),
            },
          },
        ],
      });
    }
  }
  return { textsChecked, findings };
}
