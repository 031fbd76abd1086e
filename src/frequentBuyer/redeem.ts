import type { Db } from '../db/pool.js';
import type { FreeItemRule } from './catalog.js';
import { decideRedemption, type RedemptionVerdict } from './redemption.js';

export interface RedeemInput {
  merchantId: string;
  sourceKey: string;
  saleId: string | null;
  lineId: string | null;
  customerId: string | null;
  offer: { id: number; name: string; purchasesRequired: number; freeItemRule: FreeItemRule };
  shopId: string | null;
  freeItemPrice: number;
  actor: string;
}

export interface RedemptionRecord {
  id: number;
  status: 'accepted' | 'rejected' | 'voided';
  reasonCode: string | null;
  reason: string | null;
  claimId: number | null;
  claimStatus: string | null;
}

const REDEMPTION_RECORD = `SELECT r.id::int, r.status, r.reason_code AS "reasonCode", r.reason, c.id::int AS "claimId", c.status AS "claimStatus"
  FROM redemptions r LEFT JOIN claims c ON c.redemption_id = r.id WHERE r.merchant_id = $1 AND r.source_key = $2`;

/**
 * Records one redemption, once per source key: checks the card (under a per-card lock, so two
 * redemptions cannot use the same punches), and for an accepted one writes the credit claim to the
 * enrollment's distributor and account number as they are now: `held` while the enrollment is in
 * Temporary Holding, `new` otherwise. Runs inside the caller's transaction.
 */
export async function redeem(db: Db, input: RedeemInput): Promise<RedemptionRecord> {
  const existing = await db.query<RedemptionRecord>(REDEMPTION_RECORD, [input.merchantId, input.sourceKey]);
  if (existing.rows[0]) return existing.rows[0];
  const { offer } = input;
  let verdict: RedemptionVerdict;
  let enrollment: { distributorId: number; accountNumber: string | null; isHolding: boolean } | undefined;
  if (input.shopId !== null) {
    enrollment = (
      await db.query<{ distributorId: number; accountNumber: string | null; isHolding: boolean }>(
        `SELECT e.distributor_id::int AS "distributorId", e.account_number AS "accountNumber", d.is_holding AS "isHolding"
           FROM enrollments e JOIN distributors d ON d.id = e.distributor_id WHERE e.merchant_id = $1 AND e.offer_id = $2 AND e.shop_id = $3`,
        [input.merchantId, offer.id, input.shopId],
      )
    ).rows[0];
  }
  if (input.customerId === null) {
    verdict = decideRedemption({
      customerId: null,
      enrolled: !!enrollment,
      offer,
      card: { available: 0, purchasePrices: [] },
      freeItemPrice: input.freeItemPrice,
    });
  } else {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('fb-card:' || $1 || ':' || $2 || ':' || $3))`, [input.merchantId, input.customerId, offer.id]);
    const card = await db.query<{ bought: number; used: number; prices: number[] | null }>(
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
      [input.merchantId, input.customerId, offer.id, offer.purchasesRequired],
    );
    const { bought, used, prices } = card.rows[0]!;
    verdict = decideRedemption({
      customerId: input.customerId,
      enrolled: !!enrollment,
      offer,
      card: { available: bought - used, purchasePrices: prices ?? [] },
      freeItemPrice: input.freeItemPrice,
    });
  }

  const inserted = await db.query<{ id: number }>(
    `INSERT INTO redemptions (merchant_id, source_key, sale_id, line_id, customer_id, offer_id, shop_id, status, reason_code, reason, punches_used, free_item_price, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (merchant_id, source_key) DO NOTHING RETURNING id::int`,
    [
      input.merchantId,
      input.sourceKey,
      input.saleId,
      input.lineId,
      input.customerId,
      offer.id,
      input.shopId,
      verdict.status,
      verdict.status === 'rejected' ? verdict.code : null,
      verdict.status === 'rejected' ? verdict.reason : null,
      verdict.status === 'accepted' ? verdict.punchesUsed : 0,
      input.freeItemPrice,
      input.actor,
    ],
  );
  if (inserted.rows[0] && verdict.status === 'accepted' && enrollment) {
    const status = enrollment.isHolding ? 'held' : 'new';
    await db.query(
      `WITH c AS (
         INSERT INTO claims (redemption_id, merchant_id, offer_id, shop_id, distributor_id, account_number, value, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
       )
       INSERT INTO claim_events (claim_id, actor, from_status, to_status, details) SELECT id, $9, NULL, $8, $10 FROM c`,
      [
        inserted.rows[0].id,
        input.merchantId,
        offer.id,
        input.shopId,
        enrollment.distributorId,
        enrollment.accountNumber,
        input.freeItemPrice,
        status,
        input.actor,
        JSON.stringify({ distributorId: enrollment.distributorId, accountNumber: enrollment.accountNumber, value: input.freeItemPrice }),
      ],
    );
  }
  return (await db.query<RedemptionRecord>(REDEMPTION_RECORD, [input.merchantId, input.sourceKey])).rows[0]!;
}
