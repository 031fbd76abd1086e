import type { Db } from '../../db/pool.js';

/** Where a rewards request came from: the console or API, or the R-Series POS button. */
export type RewardsSource = 'api' | 'pos';

export interface RewardsRequest {
  merchantId: string;
  saleId: string;
  /** Where the button was pressed. */
  source: RewardsSource;
  requestedBy: string;
}

/** Records that rewards were requested for a sale, once; true when this call recorded it. */
export async function insertRewardsRequest(db: Db, r: RewardsRequest): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO rewards_requests (merchant_id, sale_id, source, requested_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [r.merchantId, r.saleId, r.source, r.requestedBy],
  );
  return (rowCount ?? 0) > 0;
}
