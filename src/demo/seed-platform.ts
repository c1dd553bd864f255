import type { Database } from '../platform/db/database.ts';
import { MULTI_STATEMENT } from '../platform/db/database.ts';
import { DEMO_SHOPS } from './catalog/demo-shops.ts';

/**
 * First start on an empty database: the operator and the six demo shops. Runs once — the operator
 * row is the marker, inserted in the same transaction — so restarts (or two instances booting at
 * once) never reseed or duplicate. Setup work, so it runs on the owner connection.
 */
export const DEMO_OPERATOR = {
  company_name: '株式会社ミナセ商事',
  platform_name: 'Oroshi サロン卸プラットフォーム',
  representative: '代表取締役 水瀬 隆之',
  postal_code: '103-0022',
  address: '東京都中央区日本橋室町9丁目5番5号 ミナセ日本橋ビル6階',
  phone: '03-5555-0100',
  email: 'platform@minase-shoji.example',
  security_contact: 'security@minase-shoji.example',
};

export async function seedDemoPlatform(database: Database): Promise<{ seeded: boolean }> {
  return database.ownerSession(async (exec) => {
    await exec('BEGIN');
    try {
      await exec('SELECT pg_advisory_xact_lock(4742002)');
      const existing = await exec('SELECT 1 FROM platform_operator');
      if (existing.rows.length > 0) {
        await exec('ROLLBACK');
        return { seeded: false };
      }
      const o = DEMO_OPERATOR;
      await exec(
        `INSERT INTO platform_operator (company_name, platform_name, representative, postal_code, address, phone, email, security_contact)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [o.company_name, o.platform_name, o.representative, o.postal_code, o.address, o.phone, o.email, o.security_contact],
      );
      for (const shop of DEMO_SHOPS) {
        await exec(
          `INSERT INTO tenants (slug, kind, display_name, company_name, tagline, legal, sort_order) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [shop.slug, shop.kind, shop.displayName, shop.companyName, shop.tagline, JSON.stringify(shop.legal), shop.sortOrder],
        );
      }
      await exec(`${MULTI_STATEMENT}COMMIT`);
      return { seeded: true };
    } catch (err) {
      await exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
