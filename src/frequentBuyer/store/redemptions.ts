import type { Db } from '../../db/pool.js';

/** Whether a redemption with this source key was recorded already (the key makes a repeat harmless). */
export async function redemptionExists(db: Db, merchantId: string, sourceKey: string): Promise<boolean> {
  return !!(await db.query(`SELECT 1 FROM redemptions WHERE merchant_id = $1 AND source_key = $2`, [merchantId, sourceKey])).rowCount;
}

export interface RedemptionRecord {
  id: number;
  status: 'accepted' | 'rejected' | 'voided';
  reasonCode: string | null;
  reason: string | null;
  claimId: number | null;
  claimStatus: string | null;
}

/** The redemption recorded under this source key, with its claim if it made one. */
export async function getRedemptionRecord(db: Db, merchantId: string, sourceKey: string): Promise<RedemptionRecord | null> {
  const { rows } = await db.query<RedemptionRecord>(
    `SELECT r.id::int, r.status, r.reason_code AS "reasonCode", r.reason, c.id::int AS "claimId", c.status AS "claimStatus"
       FROM redemptions r LEFT JOIN claims c ON c.redemption_id = r.id WHERE r.merchant_id = $1 AND r.source_key = $2`,
    [merchantId, sourceKey],
  );
  return rows[0] ?? null;
}

/** Serializes redemptions of one punch card (a customer's card for an offer) until the transaction ends. */
export async function lockPunchCard(db: Db, merchantId: string, customerId: string, offerId: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('fb-card:' || $1 || ':' || $2 || ':' || $3))`, [merchantId, customerId, offerId]);
}

/**
 * A customer's card for an offer: units bought, punches used by accepted redemptions, and the prices of the
 * next `take` unused units in purchase order (what a redemption would use).
 */
export async function readPunchCard(
  db: Db,
  card: { merchantId: string; customerId: string; offerId: number },
  take: number,
): Promise<{ bought: number; used: number; prices: number[] | null }> {
  const { rows } = await db.query<{ bought: number; used: number; prices: number[] | null }>(
    `WITH used AS (
       SELECT coalesce(sum(punches_used), 0)::int AS n FROM redemptions
        WHERE merchant_id = $1 AND customer_id = $2 AND offer_id = $3 AND status = 'accepted'
     ), units AS (
       SELECT p.unit_price, generate_series(1, p.units) AS n, p.sold_at, p.sale_id, p.line_id FROM punches p
        WHERE p.merchant_id = $1 AND p.customer_id = $2 AND p.offer_id = $3 AND p.units > 0
     )
     SELECT (SELECT coalesce(sum(units), 0)::int FROM punches WHERE merchant_id = $1 AND customer_id = $2 AND offer_id = $3) AS bought,
            (SELECT n FROM used) AS used,
            (SELECT array_agg(unit_price::int) FROM (SELECT unit_price FROM units ORDER BY sold_at, sale_id, line_id, n OFFSET (SELECT n FROM used) LIMIT $4) next) AS prices`,
    [card.merchantId, card.customerId, card.offerId, take],
  );
  return rows[0]!;
}

export interface NewRedemption {
  merchantId: string;
  sourceKey: string;
  saleId: string | null;
  lineId: string | null;
  customerId: string | null;
  offerId: number;
  shopId: string | null;
  status: 'accepted' | 'rejected';
  reasonCode: string | null;
  reason: string | null;
  punchesUsed: number;
  freeItemPrice: number;
  actor: string;
}

/** Records a redemption once per source key; its id, or null when the key was recorded already. */
export async function insertRedemption(db: Db, r: NewRedemption): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO redemptions (merchant_id, source_key, sale_id, line_id, customer_id, offer_id, shop_id, status, reason_code, reason, punches_used, free_item_price, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (merchant_id, source_key) DO NOTHING RETURNING id::int`,
    [
      r.merchantId,
      r.sourceKey,
      r.saleId,
      r.lineId,
      r.customerId,
      r.offerId,
      r.shopId,
      r.status,
      r.reasonCode,
      r.reason,
      r.punchesUsed,
      r.freeItemPrice,
      r.actor,
    ],
  );
  return rows[0]?.id ?? null;
}

/** Voids a sale's accepted redemptions; each voided one's id and its claim's, if any. */
export async function voidAcceptedRedemptions(db: Db, merchantId: string, saleId: string): Promise<Array<{ id: number; claimId: number | null }>> {
  const { rows } = await db.query<{ id: number; claim_id: number | null }>(
    `UPDATE redemptions r SET status = 'voided' FROM (SELECT id FROM redemptions WHERE merchant_id = $1 AND sale_id = $2 AND status = 'accepted') v
      WHERE r.id = v.id RETURNING r.id::int, (SELECT id::int FROM claims WHERE redemption_id = r.id) AS claim_id`,
    [merchantId, saleId],
  );
  return rows.map((r) => ({ id: r.id, claimId: r.claim_id }));
}
