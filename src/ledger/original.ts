import type { Db } from '../db/pool.js';
import { decisionSchema, type Decision } from '../rules/decision.js';
import type { EvaluationContextInput } from '../rules/evaluationContext.js';
import type { Sale } from '../rules/sale.js';

/** The sale a return refunds: X names it; R names only the original lines. */
export async function originalSaleOf(db: Db, merchantId: string, sale: Sale): Promise<string | null> {
  if (sale.returnFor) return sale.returnFor;
  const lineIds = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!lineIds.length) return null;
  const { rows } = await db.query<{ sale_id: string }>(`SELECT sale_id FROM sale_lines WHERE merchant_id = $1 AND line_id = ANY($2) LIMIT 1`, [
    merchantId,
    lineIds,
  ]);
  return rows[0]?.sale_id ?? null;
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
  const orig = await db.query<{ decision: unknown; customer_id: string | null; returns_seq: number; pending_points: number; pending_latest: Date | null }>(
    `SELECT d.decision, s.customer_id, s.returns_seq, coalesce(p.points, 0) AS pending_points, p.latest AS pending_latest
       FROM sale_state s LEFT JOIN decisions d ON d.id = s.decision_id
       LEFT JOIN LATERAL (SELECT v.points, v.latest FROM sale_pending_points v WHERE v.merchant_id = s.merchant_id AND v.sale_id = s.sale_id) p ON true
      WHERE s.merchant_id = $1 AND s.sale_id = $2`,
    [merchantId, originalSaleId],
  );
  const row = orig.rows[0];
  const decision: Decision | null = row?.decision ? decisionSchema.parse(row.decision) : null;
  const others = await db.query<{ decision: unknown }>(
    `SELECT d.decision FROM sale_state s JOIN decisions d ON d.id = s.decision_id
      WHERE s.merchant_id = $1 AND s.original_sale_id = $2 AND s.sale_id <> $3`,
    [merchantId, originalSaleId, returnSaleId],
  );
  let total = 0;
  const byLine: Record<string, { quantity: number; points: number }> = {};
  for (const other of others.rows) {
    for (const line of decisionSchema.parse(other.decision).lines) {
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
