import { createHash } from 'node:crypto';
import type { StaticAssets } from './static-assets.ts';

/**
 * The script inventory (PCI DSS 6.4.3): every script any page may load, with why it exists, who
 * owns it and the SHA-384 it was approved at. A page can only reference scripts listed here, the
 * CSP admits exactly their hashes, the tag carries SRI, and a file whose bytes no longer match
 * its approved hash is refused at boot. Changing a script means changing this list in review
 * (`npm run inventory` prints the current hashes).
 */

export interface InventoriedScript {
  id: ScriptId;
  /** Path under static/. */
  file: string;
  purpose: string;
  owner: string;
  /** Pages that may load it. */
  pages: readonly string[];
  /** Approved hash of the file's bytes, `sha384-<base64>`. */
  sha384: string;
}

export type ScriptId = 'postal-fill' | 'passkey' | 'page-integrity';

/** In `pages`: every protected page (domains/security/protected-pages.ts), which loads the script without declaring it. */
export const EVERY_PROTECTED_PAGE = 'protected-pages';

export const SCRIPT_INVENTORY: readonly InventoriedScript[] = [
  {
    id: 'postal-fill',
    file: 'js/postal-fill.js',
    purpose: '郵便番号から住所を補完する (Oroshi が配信する日本郵便データのみ参照)',
    owner: 'platform-team',
    pages: ['salon-profile', 'checkout-address', 'account-locations', 'checkout'],
    sha384: 'sha384-vMI4lreSz5REAMjG78Jj8GUgbtpyhpwxOmB2A/VV4/s0DpLM5O+DoAUyXa0ED0rk',
  },
  {
    id: 'passkey',
    file: 'js/passkey.js',
    purpose: 'スタッフのパスキー（WebAuthn）登録と確認: navigator.credentials.create/get をサーバーの JSON で呼ぶだけ',
    owner: 'platform-team',
    pages: ['staff-mfa', 'staff-step-up'],
    sha384: 'sha384-B2TQiDbQEXf0kh4oiwvo6OEOmhVIC096yPeSEYyk8F7+d++r6W47b+EXNE6QPgnS',
  },
  {
    id: 'page-integrity',
    file: 'js/page-integrity.js',
    purpose: '保護ページが受け取った CSP ヘッダー・<meta> の CSP・スクリプトをブラウザー側で確かめ、異常だけを同じオリジンへ報告する（DOM は変更しない）',
    owner: 'security-team',
    pages: [EVERY_PROTECTED_PAGE],
    sha384: 'sha384-M9qZuYI1naWvfbqkWVF4reaksmaO4fkXaFtD+CKK5PRQ9tahwTrucq6aBhe7kb1R',
  },
];

export class ScriptIntegrityError extends Error {}

export interface ApprovedScript extends InventoriedScript {
  url: string;
}

/** Checks every inventoried file against its approved hash; returns only the ones that match. */
export function loadApprovedScripts(
  assets: StaticAssets,
  inventory: readonly InventoriedScript[] = SCRIPT_INVENTORY,
): { approved: Map<ScriptId, ApprovedScript>; problems: string[] } {
  const approved = new Map<ScriptId, ApprovedScript>();
  const problems: string[] = [];
  for (const script of inventory) {
    let actual: string;
    let url: string;
    try {
      const asset = assets.get(script.file);
      actual = asset.sha384;
      url = asset.url;
    } catch {
      problems.push(`${script.id}: file ${script.file} is missing`);
      continue;
    }
    if (actual !== script.sha384) {
      problems.push(`${script.id}: ${script.file} is ${actual}, approved ${script.sha384}`);
      continue;
    }
    approved.set(script.id, { ...script, url });
  }
  return { approved, problems };
}

export function sha384Of(body: Buffer | string): string {
  return `sha384-${createHash('sha384').update(body).digest('base64')}`;
}
