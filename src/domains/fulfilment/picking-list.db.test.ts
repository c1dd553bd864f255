import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.ts';
import type { Database } from '../../platform/db/database.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { pdfText } from '../../platform/pdf/pdf-inspect.testing.ts';
import { addMember, addVariant, type CommerceShop, commerceShop } from '../checkout/checkout-fixtures.testing.ts';
import { placeTestOrder } from './fulfilment-fixtures.testing.ts';
import { pickingRowsInWalkOrder, renderPickingListPdf } from './picking-list.pdf.ts';
import { loadPickingList } from './picking-list.service.ts';

/** The picking list reads each variant's 棚番 and walks the shelves in order. */

let database: Database;
let shop: CommerceShop;

beforeAll(async () => {
  database = await createTestDatabase();
  shop = await commerceShop(database);
}, 60_000);
afterAll(async () => database?.close());

describe('picking list with shelf locations', () => {
  it('prints every line with its 棚番, in shelf order, lines without one last', async () => {
    const a = await addVariant(database, shop, { sku: 'PK-A', name: 'シャンプー', stock: 50 });
    const b = await addVariant(database, shop, { sku: 'PK-B', name: 'トリートメント', stock: 50 });
    const c = await addVariant(database, shop, { sku: 'PK-C', name: 'コーム', stock: 50 });
    await withTenant(database, shop.tenantId, async (tx) => {
      await tx.updateTable('product_variants').set({ shelf_location: 'B-12-1' }).where('id', '=', a).execute();
      await tx.updateTable('product_variants').set({ shelf_location: 'A-03-2' }).where('id', '=', b).execute();
    });
    const member = await addMember(database, shop, { invoiceTerms: true, creditLimitYen: 1_000_000 });
    const first = await placeTestOrder(database, shop, member, [{ variantId: a, quantity: 2 }, { variantId: c, quantity: 1 }]);
    const second = await placeTestOrder(database, shop, member, [{ variantId: b, quantity: 3 }, { variantId: a, quantity: 1 }]);
    const model = await withTenant(database, shop.tenantId, (tx) => loadPickingList(tx, shop.tenantId, [first.orderId, second.orderId]));
    const rows = pickingRowsInWalkOrder(model.orders);
    expect(rows.map((r) => `${r.location || '—'} ${r.sku} ${r.quantity}`)).toEqual(['A-03-2 PK-B 3', 'B-12-1 PK-A 2', 'B-12-1 PK-A 1', '— PK-C 1']);
    const text = (await pdfText(await renderPickingListPdf(model))).replace(/[ \t]+/g, ' ');
    expect(text).toContain('ピッキング明細（棚番順）');
    expect(text.indexOf('A-03-2')).toBeLessThan(text.indexOf('B-12-1'));
  });
});
