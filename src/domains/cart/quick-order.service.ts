import type { Tx } from '../../platform/db/tenant-scope.ts';
import { type MemberPrice, resolveMemberPrices } from '../pricing/member-price.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Buyer } from './buyer.ts';
import { addToCart } from './cart.service.ts';
import { parseQuantity, quantityRuleError } from './quantity-rules.ts';
import { parseQuickOrderText, type QuickOrderLine } from './quick-order.parse.ts';
import { findVariantsByCodes, orderabilityError, type VariantSnapshot } from './variant-snapshot.ts';

/** Quick order: each pasted line resolved to a variant with the member's price, or an error. */

export interface QuickOrderRow {
  line: QuickOrderLine;
  snapshot: VariantSnapshot | null;
  quantity: number | null;
  price: MemberPrice | null;
  error: string | null;
}

export interface QuickOrderPreview {
  rows: QuickOrderRow[];
  tooMany: boolean;
  validCount: number;
}

export async function previewQuickOrder(tx: Tx, buyer: Buyer, text: string): Promise<QuickOrderPreview> {
  const { lines, tooMany } = parseQuickOrderText(text);
  const found = await findVariantsByCodes(
    tx,
    buyer.tenantId,
    lines.map((l) => l.code),
  );
  const rows: QuickOrderRow[] = lines.map((line) => {
    const snapshot = found.get(line.code.toUpperCase()) ?? null;
    if (!snapshot) return { line, snapshot, quantity: null, price: null, error: `商品コード「${line.code}」は見つかりませんでした。品番またはJANコードをご確認ください。` };
    const refusal = orderabilityError(snapshot, buyer.professionalVerified);
    const parsed = parseQuantity(line.quantityText === '' ? '1' : line.quantityText);
    if (refusal) return { line, snapshot, quantity: parsed.ok ? parsed.value : null, price: null, error: refusal };
    if (!parsed.ok) return { line, snapshot, quantity: null, price: null, error: parsed.message };
    const rule = quantityRuleError(parsed.value, snapshot);
    return { line, snapshot, quantity: parsed.value, price: null, error: rule };
  });
  const quantities = new Map<string, number>();
  for (const row of rows) if (row.snapshot && row.quantity) quantities.set(row.snapshot.variantId, (quantities.get(row.snapshot.variantId) ?? 0) + row.quantity);
  const prices = await resolveMemberPrices(tx, { tenantId: buyer.tenantId, rankId: buyer.rankId, variantIds: [...quantities.keys()], quantities });
  for (const row of rows) if (row.snapshot && !row.error) row.price = prices.get(row.snapshot.variantId) ?? null;
  return { rows, tooMany, validCount: rows.filter((r) => !r.error).length };
}

/** Adds every valid line; lines the cart refuses (e.g. the total over a rule) are reported. */
export async function addQuickOrderToCart(tx: Tx, buyer: Buyer, text: string): Promise<{ added: number; preview: QuickOrderPreview; refused: { lineNo: number; message: string }[] }> {
  const preview = await previewQuickOrder(tx, buyer, text);
  let added = 0;
  const refused: { lineNo: number; message: string }[] = [];
  for (const row of preview.rows) {
    if (row.error || !row.snapshot || !row.quantity) continue;
    try {
      await addToCart(tx, buyer, { variantId: row.snapshot.variantId, quantity: row.quantity });
      added++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refused.push({ lineNo: row.line.lineNo, message: Object.values(err.fieldErrors)[0] ?? err.message });
    }
  }
  return { added, preview, refused };
}
