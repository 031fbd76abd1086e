import type { Db } from '../../db/pool.js';

/** Whether a redemption with this source key was recorded already (the key makes a repeat harmless). */
export async function redemptionExists(db: Db, merchantId: string, sourceKey: string): Promise<boolean> {
  return !!(await db.query(`SELECT 1 FROM redemptions WHERE merchant_id = $1 AND source_key = $2`, [merchantId, sourceKey])).rowCount;
}
