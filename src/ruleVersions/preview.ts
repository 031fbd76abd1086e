import type { PreviewChange, RulesPreview } from '../contract/rules.js';
import type { Db } from '../db/pool.js';
import type { Merchant } from '../merchants/store/schema.js';
import { evaluationContextSchema } from '../rules/evaluationContext.js';
import { evaluate } from '../rules/evaluate.js';
import type { Rules } from '../rules/rules.js';
import { saleSchema } from '../rules/sale.js';
import type { ReferenceNames } from './store/referenceNames.js';
import { latestReceipts, recentSalesWithPoints } from './store/recentSales.js';

const CHANGED_SHOWN = 200;

/** Names a reason's ids resolve to (segment, product, category path), for display in either language. */
export function reasonNames(data: Record<string, unknown>, names: ReferenceNames): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof data.segmentId === 'string' && names.segments[data.segmentId]) out.segment = names.segments[data.segmentId]!;
  if (typeof data.productId === 'string' && names.products[data.productId]) out.product = names.products[data.productId]!;
  if (typeof data.categoryId === 'string' && names.categoryPaths[data.categoryId]) out.category = names.categoryPaths[data.categoryId]!;
  return out;
}

/**
 * Draft rules re-evaluated by the pure engine over the merchant's stored canonical sales completed in the
 * last `days` days, against the points those sales hold now. Returns follow their original sale's stored
 * decision and are left out; so are sales the draft would treat the same way.
 */
export async function previewRules(db: Db, merchant: Merchant, draft: Rules, names: ReferenceNames, days: number, now = new Date()): Promise<RulesPreview> {
  const rows = await recentSalesWithPoints(db, merchant.id, new Date(now.getTime() - days * 86_400_000), now);
  const base = {
    now: now.toISOString(),
    timezone: merchant.timezone,
    merchantCreatedAt: merchant.createdAt.toISOString(),
    names: { segments: names.segments, categories: names.categories, products: names.products },
  };
  let pointsBefore = 0;
  let pointsAfter = 0;
  let salesEvaluated = 0;
  let changedCount = 0;
  const customers = new Set<string>();
  const changed: PreviewChange[] = [];
  for (const row of rows) {
    const parsed = saleSchema.safeParse(row.sale);
    if (!parsed.success || parsed.data.returnFor) continue;
    const sale = parsed.data;
    const then = row.points ?? 0;
    const decision = evaluate(sale, draft, evaluationContextSchema.parse({ ...base, rewardsRequested: row.requested, alreadyCredited: then }));
    salesEvaluated += 1;
    pointsBefore += then;
    pointsAfter += decision.points;
    if (decision.points === then && decision.status === (row.status ?? 'none')) continue;
    changedCount += 1;
    if (sale.customer) customers.add(sale.customer.id);
    if (changed.length < CHANGED_SHOWN) {
      changed.push({
        saleId: sale.saleId,
        receipt: null,
        customerId: sale.customer?.id ?? null,
        completedAt: sale.completedAt,
        before: { status: row.status, points: then },
        after: {
          status: decision.status,
          points: decision.points,
          reasons: decision.reasons.map((r) => ({ code: r.code, data: r.data, names: reasonNames(r.data, names) })),
        },
      });
    }
  }
  // Receipt numbers only for the sales shown (at most CHANGED_SHOWN), not for every sale evaluated.
  if (changed.length) {
    const bySale = await latestReceipts(
      db,
      merchant.id,
      changed.map((c) => c.saleId),
    );
    for (const c of changed) c.receipt = bySale.get(c.saleId) ?? null;
  }
  return { days, salesEvaluated, pointsBefore, pointsAfter, customersAffected: customers.size, changedCount, changed };
}

export type { PreviewChange };
export type { RulesPreview };
