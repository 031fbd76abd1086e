import type { Db } from '../db/pool.js';
import { decisionSchema, type Decision } from '../rules/decision.js';
import type { EvaluationContextInput } from '../rules/evaluationContext.js';
import type { Sale } from '../rules/sale.js';
import { readOriginalState, readOtherReturnDecisions, saleOfLines } from './store/originals.js';

/** The sale a return refunds: X names it; R names only the original lines. */
export async function originalSaleOf(db: Db, merchantId: string, sale: Sale): Promise<string | null> {
  if (sale.returnFor) return sale.returnFor;
  const lineIds = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!lineIds.length) return null;
  return saleOfLines(db, merchantId, lineIds);
}

/** The original's stored decision, what its other returns already reversed line by line, its customer and its pending points. */
export async function loadOriginal(
  db: Db,
  merchantId: string,
  originalSaleId: string,
  returnSaleId: string,
): Promise<{
  context: NonNullable<EvaluationContextInput['original']>;
  customerId: string | null;
  returnsSeq: number;
  pending: { points: number; latest: Date | null };
}> {
  const row = await readOriginalState(db, merchantId, originalSaleId);
  const decision: Decision | null = row?.decision ? decisionSchema.parse(row.decision) : null;
  const others = await readOtherReturnDecisions(db, merchantId, originalSaleId, returnSaleId);
  let total = 0;
  const byLine: Record<string, { quantity: number; points: number }> = {};
  for (const other of others) {
    for (const line of decisionSchema.parse(other).lines) {
      if (line.exemptBy !== 'refund' || !line.refundsLineId) continue;
      const prior = byLine[line.refundsLineId] ?? { quantity: 0, points: 0 };
      byLine[line.refundsLineId] = { quantity: prior.quantity + Math.abs(line.quantity), points: prior.points - line.points };
      total -= line.points;
    }
  }
  return {
    context: { saleId: originalSaleId, decision, reversed: { total, byLine } },
    customerId: row?.customer_id ?? null,
    returnsSeq: row?.returns_seq ?? 0,
    pending: { points: row?.pending_points ?? 0, latest: row?.pending_latest ?? null },
  };
}
