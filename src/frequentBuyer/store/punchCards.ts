import type { Db } from '../../db/pool.js';

/** A customer's punch cards: per offer, punches bought, used by accepted redemptions, and what is left. */
export async function listPunchCards(db: Db, merchantId: string, customerId: string) {
  const { rows } = await db.query(
    `SELECT o.id::int AS "offerId", o.name AS "offerName", o.purchases_required AS "purchasesRequired",
            coalesce(p.bought, 0)::int AS bought, coalesce(r.used, 0)::int AS used,
            (coalesce(p.bought, 0) - coalesce(r.used, 0))::int AS available,
            coalesce(p.bought, 0) - coalesce(r.used, 0) >= o.purchases_required AS complete
       FROM offers o
       LEFT JOIN (SELECT offer_id, sum(units) AS bought FROM punches WHERE merchant_id = $1 AND customer_id = $2 GROUP BY offer_id) p ON p.offer_id = o.id
       LEFT JOIN (SELECT offer_id, sum(punches_used) AS used FROM redemptions WHERE merchant_id = $1 AND customer_id = $2 AND status = 'accepted' GROUP BY offer_id) r ON r.offer_id = o.id
      WHERE p.offer_id IS NOT NULL OR r.offer_id IS NOT NULL
      ORDER BY o.id`,
    [merchantId, customerId],
  );
  return rows;
}
