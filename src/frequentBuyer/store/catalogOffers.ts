import type { Db } from '../../db/pool.js';
import type { CatalogOffer } from '../catalog.js';

/** A merchant's offers with the shops enrolled in each, and each offer's products as stored (codes not yet picked). */
export async function listEnrolledOffers(
  db: Db,
  merchantId: string,
): Promise<Array<Omit<CatalogOffer, 'codes'> & { products: Array<Record<string, string | undefined>> }>> {
  const { rows } = await db.query<Omit<CatalogOffer, 'codes'> & { products: Array<Record<string, string | undefined>> }>(
    `SELECT o.id::int, o.name, o.purchases_required AS "purchasesRequired", o.free_item_rule AS "freeItemRule",
            to_char(o.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(o.ends_on, 'YYYY-MM-DD') AS "endsOn", o.products,
            array_agg(e.shop_id ORDER BY e.shop_id) AS "enrolledShops"
       FROM enrollments e JOIN offers o ON o.id = e.offer_id
      WHERE e.merchant_id = $1
      GROUP BY o.id`,
    [merchantId],
  );
  return rows;
}
