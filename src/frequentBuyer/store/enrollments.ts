import type { Db } from '../../db/pool.js';

export interface EnrollmentKey {
  merchantId: string;
  offerId: number;
  shopId: string;
}

export interface EnrollmentChoice {
  distributorId: number;
  accountNumber: string | null;
}

export async function getEnrollment(db: Db, key: EnrollmentKey): Promise<EnrollmentChoice | null> {
  const { rows } = await db.query<EnrollmentChoice>(
    `SELECT distributor_id::int AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3`,
    [key.merchantId, key.offerId, key.shopId],
  );
  return rows[0] ?? null;
}

/** The enrollment as it is before a change, locked until the transaction ends. */
export async function lockEnrollment(db: Db, key: EnrollmentKey): Promise<EnrollmentChoice | null> {
  const { rows } = await db.query<EnrollmentChoice>(
    `SELECT distributor_id AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 FOR UPDATE`,
    [key.merchantId, key.offerId, key.shopId],
  );
  return rows[0] ?? null;
}

/** The enrollment when `distributorId` serves it now, locked until the transaction ends. */
export async function lockDistributorEnrollment(db: Db, key: EnrollmentKey, distributorId: number): Promise<EnrollmentChoice | null> {
  const { rows } = await db.query<EnrollmentChoice>(
    `SELECT distributor_id::int AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 AND distributor_id = $4 FOR UPDATE`,
    [key.merchantId, key.offerId, key.shopId, distributorId],
  );
  return rows[0] ?? null;
}

/** Chooses the distributor (a choice leaves Temporary Holding). */
export async function upsertEnrollment(db: Db, key: EnrollmentKey, choice: EnrollmentChoice): Promise<void> {
  await db.query(
    `INSERT INTO enrollments (merchant_id, offer_id, shop_id, distributor_id, account_number) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, offer_id, shop_id) DO UPDATE SET distributor_id = excluded.distributor_id, account_number = excluded.account_number, holding_reason = NULL, updated_at = now()`,
    [key.merchantId, key.offerId, key.shopId, choice.distributorId, choice.accountNumber],
  );
}

export async function moveEnrollmentToHolding(db: Db, key: EnrollmentKey, holdingId: number, reason: string): Promise<void> {
  await db.query(
    `UPDATE enrollments SET distributor_id = $4, account_number = NULL, holding_reason = $5, updated_at = now() WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3`,
    [key.merchantId, key.offerId, key.shopId, holdingId, reason],
  );
}

/** Every location × offer of a merchant, with the distributor and account number, optionally of one location. */
export async function listMerchantEnrollments(db: Db, merchantId: string, shopId: string | null) {
  const { rows } = await db.query(
    `SELECT l.shop_id AS "shopId", l.name AS "locationName", l.region, o.id AS "offerId", o.name AS "offerName",
            d.id AS "distributorId", d.name AS "distributorName", e.account_number AS "accountNumber",
            coalesce(d.is_holding, false) AS "inHolding", e.holding_reason AS "holdingReason"
       FROM locations l CROSS JOIN offers o
       LEFT JOIN enrollments e ON e.merchant_id = l.merchant_id AND e.shop_id = l.shop_id AND e.offer_id = o.id
       LEFT JOIN distributors d ON d.id = e.distributor_id
      WHERE l.merchant_id = $1 AND ($2::text IS NULL OR l.shop_id = $2)
      ORDER BY l.shop_id, o.id`,
    [merchantId, shopId],
  );
  return rows;
}

/** The enrollments a distributor serves, across merchants. */
export async function listDistributorEnrollments(db: Db, distributorId: number) {
  const { rows } = await db.query(
    `SELECT e.merchant_id AS "merchantId", m.name AS "merchantName", e.offer_id::int AS "offerId", o.name AS "offerName", e.shop_id AS "shopId", l.name AS "locationName", l.region, e.account_number AS "accountNumber"
       FROM enrollments e JOIN merchants m ON m.id = e.merchant_id JOIN offers o ON o.id = e.offer_id
       JOIN locations l ON l.merchant_id = e.merchant_id AND l.shop_id = e.shop_id
      WHERE e.distributor_id = $1 ORDER BY m.name, e.merchant_id, e.shop_id, e.offer_id`,
    [distributorId],
  );
  return rows;
}

/** The enrollment of a shop in an offer, and whether its distributor is Temporary Holding (what a redemption's claim is sent to). */
export async function getEnrollmentForClaim(db: Db, key: EnrollmentKey): Promise<(EnrollmentChoice & { isHolding: boolean }) | null> {
  const { rows } = await db.query<EnrollmentChoice & { isHolding: boolean }>(
    `SELECT e.distributor_id::int AS "distributorId", e.account_number AS "accountNumber", d.is_holding AS "isHolding"
       FROM enrollments e JOIN distributors d ON d.id = e.distributor_id WHERE e.merchant_id = $1 AND e.offer_id = $2 AND e.shop_id = $3`,
    [key.merchantId, key.offerId, key.shopId],
  );
  return rows[0] ?? null;
}
