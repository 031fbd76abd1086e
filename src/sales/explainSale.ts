import type { Db } from '../db/pool.js';
import type { SaleAnswer, SaleLineView, StoredDecision } from '../contract/sale.js';
import { buildChecklist, type RewardsRequest } from './checklist.js';
import { namesFor } from './store/names.js';
import { saleRelations } from './store/saleRelations.js';
import { saleSnapshotLines } from './store/snapshots.js';

/** The checklist, the names it mentions, the related sales and the sale's lines (the contract's shape). */
export type Explanation = SaleAnswer['explanation'];

/** The checklist of the decision in force, with the names of everything it mentions. */
export async function explainSale(
  db: Db,
  merchantId: string,
  view: {
    saleId: string;
    current: { originalSaleId: string | null; customerId: string | null } | null;
    decisions: Array<Record<string, unknown>>;
    rewardsRequest: RewardsRequest | null;
  },
): Promise<Explanation> {
  const [related, snapshotLines] = await Promise.all([
    saleRelations(db, merchantId, view.saleId, view.current),
    saleSnapshotLines(db, merchantId, view.saleId),
  ]);
  const applied = view.decisions.filter((d) => d.applied);
  // Rows as stored: the decision's JSON with its id, applied flag and time (a Date, a string on the wire).
  const decision = (applied.at(-1) ?? view.decisions.at(-1) ?? null) as StoredDecision | null;
  if (!decision) return { decision: null, checklist: [], names: { segments: {}, categories: {}, products: {} }, related, lines: [] };
  const ids = { segments: [] as string[], categories: [] as string[], products: [] as string[] };
  const leafOf = new Map(snapshotLines.map((l) => [l.lineId, l.categoryPath.at(-1) ?? null]));
  for (const leaf of leafOf.values()) if (leaf) ids.categories.push(leaf);
  for (const line of snapshotLines) if (line.productId) ids.products.push(line.productId);
  for (const r of decision.reasons) {
    if (typeof r.data.segmentId === 'string') ids.segments.push(r.data.segmentId);
    if (typeof r.data.categoryId === 'string') ids.categories.push(r.data.categoryId);
    if (typeof r.data.productId === 'string') ids.products.push(r.data.productId);
  }
  for (const line of decision.lines) if (line.productId) ids.products.push(line.productId);
  const names = await namesFor(db, merchantId, ids);
  // The decision's lines carry points and exemptions; a void's decision has none, so the kept sale's lines then.
  const source = decision.lines.length
    ? decision.lines.map((l) => ({
        lineId: l.lineId,
        productId: l.productId,
        quantity: l.quantity,
        net: l.net,
        points: l.points,
        exemptBy: l.exemptBy,
        // What the exemption kept from the customer (Insights' figure 5 sums it), when it kept anything.
        ...(l.withheldPoints ? { withheldPoints: l.withheldPoints } : {}),
      }))
    : snapshotLines.map((l) => ({ lineId: l.lineId, productId: l.productId, quantity: l.quantity, net: l.net, points: 0, exemptBy: null }));
  const lines: SaleLineView[] = source.map((l) => {
    const leaf = leafOf.get(l.lineId) ?? null;
    return {
      ...l,
      productName: l.productId ? (names.products[l.productId] ?? null) : null,
      categoryPath: leaf ? (names.categories[leaf] ?? leaf) : null,
    };
  });
  return { decision, checklist: buildChecklist(decision, { names, rewardsRequest: view.rewardsRequest }), names, related, lines };
}
