import type { Db } from '../../db/pool.js';
import type { ClaimStatus } from '../claims.js';
import type { BatchSummaryView, ClaimView, DistributorRequestView, DistributorView, HoldingView, LocationView, OfferView, PunchCardView } from '../views.js';
import { CLAIM_COLUMNS, CLAIM_FROM, receiptOf } from './claims.js';

// What the console's frequent-buyer screens read (and the one request-status write), one operation per function.

export async function listOffersWithDistributors(db: Db): Promise<OfferView[]> {
  const { rows } = await db.query<OfferView>(
    `SELECT o.id::int, o.manufacturer, o.brand, o.name, o.purchases_required AS "purchasesRequired", o.free_item_rule AS "freeItemRule",
            to_char(o.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(o.ends_on, 'YYYY-MM-DD') AS "endsOn", o.products,
            coalesce((SELECT json_agg(json_build_object('id', d.id, 'name', d.name, 'regions', d.regions, 'requiresAccountNumber', d.requires_account_number) ORDER BY d.name)
                        FROM distributors d WHERE d.id = ANY(o.eligible_distributor_ids) AND NOT d.is_holding), '[]') AS "eligibleDistributors"
       FROM offers o ORDER BY o.starts_on DESC, o.id`,
  );
  return rows;
}

export async function listLocations(db: Db, merchantId: string): Promise<LocationView[]> {
  return (await db.query<LocationView>(`SELECT shop_id AS "shopId", name, region FROM locations WHERE merchant_id = $1 ORDER BY name, shop_id`, [merchantId]))
    .rows;
}

export async function offerExists(db: Db, offerId: number): Promise<boolean> {
  return ((await db.query(`SELECT 1 FROM offers WHERE id = $1`, [offerId])).rowCount ?? 0) > 0;
}

/** Distributors eligible for the offer that serve the region (never Temporary Holding). */
export async function listEligibleDistributors(db: Db, offerId: number, region: string): Promise<DistributorView[]> {
  const { rows } = await db.query<DistributorView>(
    `SELECT d.id::int, d.name, d.regions, d.requires_account_number AS "requiresAccountNumber", d.is_holding AS "isHolding"
       FROM distributors d JOIN offers o ON d.id = ANY(o.eligible_distributor_ids)
      WHERE o.id = $1 AND NOT d.is_holding AND $2 = ANY(d.regions) ORDER BY d.name`,
    [offerId, region],
  );
  return rows;
}

/** The merchant's enrollments in Temporary Holding: why, since when (the last change), how many claims wait. */
export async function listHolding(db: Db, merchantId: string): Promise<HoldingView[]> {
  const { rows } = await db.query<HoldingView>(
    `SELECT e.offer_id::int AS "offerId", o.name AS "offerName", e.shop_id AS "shopId", l.name AS "locationName", e.holding_reason AS reason, e.updated_at AS since,
            (SELECT count(*)::int FROM claims c WHERE c.merchant_id = e.merchant_id AND c.offer_id = e.offer_id AND c.shop_id = e.shop_id AND c.status = 'held') AS "heldClaims"
       FROM enrollments e JOIN distributors d ON d.id = e.distributor_id AND d.is_holding
       JOIN offers o ON o.id = e.offer_id JOIN locations l ON l.merchant_id = e.merchant_id AND l.shop_id = e.shop_id
      WHERE e.merchant_id = $1 ORDER BY e.updated_at DESC`,
    [merchantId],
  );
  return rows;
}

/** The merchant's newest claims (up to `limit`), newest first. */
export async function listRecentMerchantClaims(db: Db, merchantId: string, statuses: ClaimStatus[] | null, limit: number): Promise<ClaimView[]> {
  const { rows } = await db.query<ClaimView>(
    `SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND ($2::text[] IS NULL OR c.status = ANY($2)) ORDER BY c.id DESC LIMIT $3`,
    [merchantId, statuses, limit],
  );
  return rows;
}

/** Each card with the sales that counted it and its redemptions (with their claim's status). */
export async function listPunchCardDetails(db: Db, merchantId: string, customerId: string): Promise<PunchCardView[]> {
  const { rows } = await db.query<PunchCardView>(
    `WITH p AS (SELECT p.offer_id, json_agg(json_build_object('saleId', p.sale_id, 'receipt', p.receipt, 'units', p.units, 'unitPrice', p.unit_price, 'soldAt', p.sold_at,
                                                             'shopId', p.shop_id, 'locationName', l.name) ORDER BY p.sold_at, p.sale_id) AS purchases,
                       sum(p.units) AS bought
                  FROM (SELECT p.*, ${receiptOf('p')} FROM punches p WHERE p.merchant_id = $1 AND p.customer_id = $2 AND p.units <> 0) p
                  LEFT JOIN locations l ON l.merchant_id = p.merchant_id AND l.shop_id = p.shop_id GROUP BY p.offer_id),
          r AS (SELECT r.offer_id, json_agg(json_build_object('id', r.id, 'saleId', r.sale_id, 'receipt', r.receipt, 'status', r.status, 'reasonCode', r.reason_code, 'punchesUsed', r.punches_used,
                                                             'freeItemPrice', r.free_item_price, 'createdAt', r.created_at, 'claimStatus', c.status) ORDER BY r.id) AS redemptions,
                       sum(r.punches_used) FILTER (WHERE r.status = 'accepted') AS used
                  FROM (SELECT r.*, ${receiptOf('r')} FROM redemptions r WHERE r.merchant_id = $1 AND r.customer_id = $2) r
                  LEFT JOIN claims c ON c.redemption_id = r.id GROUP BY r.offer_id)
     SELECT o.id::int AS "offerId", o.name AS "offerName", o.purchases_required AS "purchasesRequired",
            coalesce(p.bought, 0)::int AS bought, coalesce(r.used, 0)::int AS used, (coalesce(p.bought, 0) - coalesce(r.used, 0))::int AS available,
            coalesce(p.purchases, '[]') AS purchases, coalesce(r.redemptions, '[]') AS redemptions
       FROM offers o LEFT JOIN p ON p.offer_id = o.id LEFT JOIN r ON r.offer_id = o.id
      WHERE p.offer_id IS NOT NULL OR r.offer_id IS NOT NULL ORDER BY o.id`,
    [merchantId, customerId],
  );
  return rows;
}

const REQUEST_COLUMNS = `r.id::int, r.merchant_id AS "merchantId", (SELECT m.name FROM merchants m WHERE m.id = r.merchant_id) AS "merchantName", (SELECT m.timezone FROM merchants m WHERE m.id = r.merchant_id) AS "merchantTimezone", r.offer_id::int AS "offerId", o.name AS "offerName", r.distributor_name AS "distributorName",
  r.contact, r.note, r.requested_by AS "requestedBy", r.created_at AS "createdAt", r.status, r.status_note AS "statusNote",
  r.status_changed_by AS "statusChangedBy", r.status_changed_at AS "statusChangedAt"`;

export async function listMerchantDistributorRequests(db: Db, merchantId: string): Promise<DistributorRequestView[]> {
  return (
    await db.query<DistributorRequestView>(
      `SELECT ${REQUEST_COLUMNS} FROM distributor_requests r LEFT JOIN offers o ON o.id = r.offer_id WHERE r.merchant_id = $1 ORDER BY r.id DESC`,
      [merchantId],
    )
  ).rows;
}

export async function getDistributorRequest(db: Db, requestId: number): Promise<DistributorRequestView | null> {
  return (
    (
      await db.query<DistributorRequestView>(`SELECT ${REQUEST_COLUMNS} FROM distributor_requests r LEFT JOIN offers o ON o.id = r.offer_id WHERE r.id = $1`, [
        requestId,
      ])
    ).rows[0] ?? null
  );
}

export async function lockDistributorRequestStatus(db: Db, requestId: number): Promise<{ status: string; statusNote: string | null } | null> {
  return (
    (
      await db.query<{ status: string; statusNote: string | null }>(
        `SELECT status, status_note AS "statusNote" FROM distributor_requests WHERE id = $1 FOR UPDATE`,
        [requestId],
      )
    ).rows[0] ?? null
  );
}

export async function setDistributorRequestStatus(db: Db, requestId: number, change: { status: string; note: string | null; by: string }): Promise<void> {
  await db.query(`UPDATE distributor_requests SET status = $2, status_note = $3, status_changed_by = $4, status_changed_at = now() WHERE id = $1`, [
    requestId,
    change.status,
    change.note,
    change.by,
  ]);
}

/** The distributor's batches, newest first, with their claim count and the total of the claims not denied. */
export async function listDistributorBatches(db: Db, distributorId: number, limit: number): Promise<BatchSummaryView[]> {
  const { rows } = await db.query<BatchSummaryView>(
    `SELECT b.id::int, b.created_by AS "createdBy", b.created_at AS "createdAt", b.credit_reference AS "creditReference", b.credited_at AS "creditedAt",
            count(c.id)::int AS claims, coalesce(sum(c.value) FILTER (WHERE c.status <> 'denied'), 0)::int AS total
       FROM claim_batches b LEFT JOIN claims c ON c.batch_id = b.id
      WHERE b.distributor_id = $1 GROUP BY b.id ORDER BY b.id DESC LIMIT $2`,
    [distributorId, limit],
  );
  return rows;
}
