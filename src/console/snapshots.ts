import type { Db } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';

/**
 * Keeps the newest canonical sale of each sale id (an older version arriving late changes nothing), for
 * the rules preview to re-evaluate with draft rules; and the customer's name, for support's search.
 */
export async function recordSaleSnapshot(db: Db, sale: Sale): Promise<void> {
  await db.query(
    `INSERT INTO sale_snapshots (merchant_id, sale_id, version, completed_at, sale) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, completed_at = excluded.completed_at, sale = excluded.sale
     WHERE sale_snapshots.version <= excluded.version`,
    [sale.merchantId, sale.saleId, sale.version, sale.completedAt, JSON.stringify(sale)],
  );
  const customer = sale.customer;
  if (customer?.name) {
    await db.query(
      `INSERT INTO customer_names (merchant_id, customer_id, name, family_name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (merchant_id, customer_id) DO UPDATE SET name = excluded.name, family_name = excluded.family_name, updated_at = now()
       WHERE (customer_names.name, customer_names.family_name) IS DISTINCT FROM (excluded.name, excluded.family_name)`,
      [sale.merchantId, customer.id, customer.name, customer.familyName ?? null],
    );
  }
}
