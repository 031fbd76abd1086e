import type { Db } from '../db/pool.js';
import { decisionSchema, type Decision } from '../rules/decision.js';
import type { EvaluationContextInput } from '../rules/context.js';
import type { Sale } from '../rules/sale.js';

/** The sale a return refunds: X names it; R names only the original lines. */
export async function originalSaleOf(db: Db, merchantId: string, sale: Sale): Promise<string | null> {
  if (sale.returnFor) return sale.returnFor;
  const lineIds = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!lineIds.length) return null;
  const { rows } = await db.query<{ sale_id: string }>(`SELECT sale_id FROM sale_lines WHERE merchant_id = $1 AND line_id = ANY($2) LIMIT 1`, [merchantId, lineIds]);
  return rows[0]?.sale_id ?? null;
}

/** The original's stored decision and what its other returns already reversed, line by line. */
export async function loadOriginal(db: Db, merchantId: string, originalSaleId: string, returnSaleId: string): Promise<NonNullable<EvaluationContextInput['original']>> {
  const orig = await db.query<{ decision: unknown }>(
    `SELECT d.decision FROM sale_state s JOIN decisions d ON d.id = s.decision_id WHERE s.merchant_id = $1 AND s.sale_id = $2`,
    [merchantId, originalSaleId],
  );
  const decision: Decision | null = orig.rows[0] ? decisionSchema.parse(orig.rows[0].decision) : null;
  const others = await db.query<{ decision: unknown }>(
    `SELECT d.decision FROM sale_state s JOIN decisions d ON d.id = s.decision_id
      WHERE s.merchant_id = $1 AND s.original_sale_id = $2 AND s.sale_id <> $3`,
    [merchantId, originalSaleId, returnSaleId],
  );
  let total = 0;
  const byLine: Record<string, { quantity: number; points: number }> = {};
  for (const row of others.rows) {
    for (const line of decisionSchema.parse(row.decision).lines) {
      if (line.exemptBy !== 'refund' || !line.refundsLineId) continue;
      const prior = byLine[line.refundsLineId] ?? { quantity: 0, points: 0 };
      byLine[line.refundsLineId] = { quantity: prior.quantity + Math.abs(line.quantity), points: prior.points - line.points };
      total -= line.points;
    }
  }
  return { saleId: originalSaleId, decision, reversed: { total, byLine } };
}

/** Returns applied against this sale while it had never earned (it was not seen completed yet). */
export async function returnsBeforeSeen(db: Db, merchantId: string, saleId: string): Promise<string[]> {
  const { rows } = await db.query<{ sale_id: string }>(
    `SELECT s.sale_id FROM sale_state s
      WHERE s.merchant_id = $1 AND s.original_sale_id = $2 AND s.applied_version IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.merchant_id = $1 AND d.sale_id = $2 AND d.applied AND d.status IN ('credited', 'pending'))
      ORDER BY s.sale_id`,
    [merchantId, saleId],
  );
  return rows.map((r) => r.sale_id);
}
