import type { Db } from '../db/pool.js';

/** Where a rewards request came from: the console or API, or the R-Series POS button. */
export type RewardsSource = 'api' | 'pos';

/**
 * Records that rewards were requested for a sale (the "rewards button" of autoRewards-off merchants);
 * true when this is the first request, false when one was on record already.
 */
export async function insertRewardsRequest(db: Db, input: { merchantId: string; saleId: string; source: RewardsSource; requestedBy: string }): Promise<boolean> {
  const { rowCount } = await db.query(`INSERT INTO rewards_requests (merchant_id, sale_id, source, requested_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    input.merchantId,
    input.saleId,
    input.source,
    input.requestedBy,
  ]);
  return (rowCount ?? 0) > 0;
}
