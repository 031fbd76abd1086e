import type { Db } from '../../db/pool.js';

export interface SaleWithPoints {
  /** The canonical sale as stored (parsed by the caller). */
  sale: unknown;
  points: number | null;
  status: string | null;
  requested: boolean;
}

/** The merchant's stored sales completed between `from` and `to`, with the points and status they hold now and whether rewards were requested. */
export async function recentSalesWithPoints(db: Db, merchantId: string, from: Date, to: Date): Promise<SaleWithPoints[]> {
  const { rows } = await db.query<SaleWithPoints>(
    `SELECT s.sale, st.points, d.status, r.sale_id IS NOT NULL AS requested
       FROM sale_snapshots s
       LEFT JOIN sale_state st ON st.merchant_id = s.merchant_id AND st.sale_id = s.sale_id
       LEFT JOIN decisions d ON d.id = st.decision_id
       LEFT JOIN rewards_requests r ON r.merchant_id = s.merchant_id AND r.sale_id = s.sale_id
      WHERE s.merchant_id = $1 AND s.completed_at >= $2 AND s.completed_at <= $3`,
    [merchantId, from, to],
  );
  return rows;
}

/** The newest receipt number of each of these sales (sales without one are absent). */
export async function latestReceipts(db: Db, merchantId: string, saleIds: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ saleId: string; receipt: string }>(
    `SELECT DISTINCT ON (sale_id) sale_id AS "saleId", receipt FROM sale_events
      WHERE merchant_id = $1 AND sale_id = ANY ($2) AND receipt IS NOT NULL ORDER BY sale_id, version DESC`,
    [merchantId, saleIds],
  );
  return new Map(rows.map((r) => [r.saleId, r.receipt]));
}
