import type { Db } from '../db/pool.js';
import type { Decision } from '../rules/decision.js';
import { buildChecklist, type ChecklistItem, type Names, type RewardsRequest } from './checklist.js';
import { namesFor } from './store/names.js';
import { saleRelations, type SaleRelations } from './store/saleRelations.js';

export interface Explanation {
  /** The decision now in force: the newest one that was applied. */
  decision: (Decision & { id: number }) | null;
  checklist: ChecklistItem[];
  names: Names;
  /** Its return or original, linked both ways, and the customer's name. */
  related: SaleRelations;
}

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
  const related = await saleRelations(db, merchantId, view.saleId, view.current);
  const applied = view.decisions.filter((d) => d.applied);
  const decision = (applied.at(-1) ?? view.decisions.at(-1) ?? null) as (Decision & { id: number }) | null;
  if (!decision) return { decision: null, checklist: [], names: { segments: {}, categories: {}, products: {} }, related };
  const ids = { segments: [] as string[], categories: [] as string[], products: [] as string[] };
  for (const r of decision.reasons) {
    if (typeof r.data.segmentId === 'string') ids.segments.push(r.data.segmentId);
    if (typeof r.data.categoryId === 'string') ids.categories.push(r.data.categoryId);
    if (typeof r.data.productId === 'string') ids.products.push(r.data.productId);
  }
  for (const line of decision.lines) if (line.productId) ids.products.push(line.productId);
  const names = await namesFor(db, merchantId, ids);
  return { decision, checklist: buildChecklist(decision, { names, rewardsRequest: view.rewardsRequest }), names, related };
}
