import type { Db } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';

/**
 * Keeps the newest canonical sale of each sale id (an older version arriving late changes nothing), for
 * the rules preview to re-evaluate with draft rules.
 */
export async function recordSaleSnapshot(db: Db, sale: Sale): Promise<void> {
  await db.query(
    `INSERT INTO sale_snapshots (merchant_id, sale_id, version, completed_at, sale) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, completed_at = excluded.completed_at, sale = excluded.sale
     WHERE sale_snapshots.version <= excluded.version`,
    [sale.merchantId, sale.saleId, sale.version, sale.completedAt, JSON.stringify(sale)],
  );
}
