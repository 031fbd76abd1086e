import type { RelatedSale, SaleRelations } from '../../contract/sale.js';
import type { Db } from '../../db/pool.js';

export type { RelatedSale, SaleRelations };

const related = `s.sale_id AS "saleId", s.points,
  (SELECT e.receipt FROM sale_events e WHERE e.merchant_id = s.merchant_id AND e.sale_id = s.sale_id AND e.receipt IS NOT NULL ORDER BY e.version DESC LIMIT 1) AS receipt`;

/** Returns and originals linked both ways, so support walks from a sale to its return and back. */
export async function saleRelations(
  db: Db,
  merchantId: string,
  saleId: string,
  current: { originalSaleId: string | null; customerId: string | null } | null,
): Promise<SaleRelations> {
  const [original, returns, name] = await Promise.all([
    current?.originalSaleId
      ? db.query<RelatedSale>(`SELECT ${related} FROM sale_state s WHERE s.merchant_id = $1 AND s.sale_id = $2`, [merchantId, current.originalSaleId])
      : Promise.resolve({ rows: [] as RelatedSale[] }),
    db.query<RelatedSale>(`SELECT ${related} FROM sale_state s WHERE s.merchant_id = $1 AND s.original_sale_id = $2 ORDER BY s.sale_id LIMIT 100`, [
      merchantId,
      saleId,
    ]),
    current?.customerId
      ? db.query<{ name: string }>(`SELECT name FROM customer_names WHERE merchant_id = $1 AND customer_id = $2`, [merchantId, current.customerId])
      : Promise.resolve({ rows: [] as Array<{ name: string }> }),
  ]);
  const originalRow = original.rows[0] ?? (current?.originalSaleId ? { saleId: current.originalSaleId, receipt: null, points: 0 } : null);
  return { original: originalRow, returns: returns.rows, customerName: name.rows[0]?.name ?? null };
}
