import type { Db } from '../../db/pool.js';

/** The sale that sold one of these lines (R-Series returns name only the original lines). */
export async function saleOfLines(db: Db, merchantId: string, lineIds: string[]): Promise<string | null> {
  const { rows } = await db.query<{ sale_id: string }>(`SELECT sale_id FROM sale_lines WHERE merchant_id = $1 AND line_id = ANY($2) LIMIT 1`, [
    merchantId,
    lineIds,
  ]);
  return rows[0]?.sale_id ?? null;
}

export interface OriginalRow {
  decision: unknown;
  customer_id: string | null;
  returns_seq: number;
  pending_points: number;
  pending_latest: Date | null;
}

/** A return's original: its stored decision, customer, return counter and pending points (undefined when it has no state). */
export async function readOriginalState(db: Db, merchantId: string, originalSaleId: string): Promise<OriginalRow | undefined> {
  const { rows } = await db.query<OriginalRow>(
    `SELECT d.decision, s.customer_id, s.returns_seq, coalesce(p.points, 0) AS pending_points, p.latest AS pending_latest
       FROM sale_state s LEFT JOIN decisions d ON d.id = s.decision_id
       LEFT JOIN LATERAL (SELECT v.points, v.latest FROM sale_pending_points v WHERE v.merchant_id = s.merchant_id AND v.sale_id = s.sale_id) p ON true
      WHERE s.merchant_id = $1 AND s.sale_id = $2`,
    [merchantId, originalSaleId],
  );
  return rows[0];
}

/** The stored decisions of the original's other returns (what they already reversed). */
export async function readOtherReturnDecisions(db: Db, merchantId: string, originalSaleId: string, returnSaleId: string): Promise<unknown[]> {
  const { rows } = await db.query<{ decision: unknown }>(
    `SELECT d.decision FROM sale_state s JOIN decisions d ON d.id = s.decision_id
      WHERE s.merchant_id = $1 AND s.original_sale_id = $2 AND s.sale_id <> $3`,
    [merchantId, originalSaleId, returnSaleId],
  );
  return rows.map((r) => r.decision);
}
