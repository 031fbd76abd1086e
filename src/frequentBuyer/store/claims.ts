import type { Db } from '../../db/pool.js';
import type { ClaimStatus, DenialReason } from '../claims.js';

/** The receipt number of the sale on `alias` (merchant_id, sale_id), as a person reads the sale (the newest version that had one). */
export const receiptOf = (alias: string) =>
  `(SELECT e.receipt FROM sale_events e WHERE e.merchant_id = ${alias}.merchant_id AND e.sale_id = ${alias}.sale_id AND e.receipt IS NOT NULL
     ORDER BY e.version DESC LIMIT 1) AS receipt`;

/** A claim as the APIs show it: with its offer, location and distributor names, and its sale. */
export const CLAIM_COLUMNS = `c.id::int, c.redemption_id::int AS "redemptionId", c.merchant_id AS "merchantId", m.name AS "merchantName", m.timezone AS "merchantTimezone",
  c.offer_id::int AS "offerId", o.name AS "offerName",
  c.shop_id AS "shopId", l.name AS "locationName", c.distributor_id::int AS "distributorId", d.name AS "distributorName", c.account_number AS "accountNumber",
  c.value::int, c.status, c.denial_reason AS "denialReason", c.denial_note AS "denialNote", c.batch_id::int AS "batchId",
  r.sale_id AS "saleId", ${receiptOf('r')}, r.customer_id AS "customerId", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

export const CLAIM_FROM = `claims c JOIN merchants m ON m.id = c.merchant_id JOIN offers o ON o.id = c.offer_id JOIN distributors d ON d.id = c.distributor_id JOIN redemptions r ON r.id = c.redemption_id
  LEFT JOIN locations l ON l.merchant_id = c.merchant_id AND l.shop_id = c.shop_id`;

// The claim views are loosely typed rows: the APIs pass them through as the columns above name them.
/* eslint-disable @typescript-eslint/no-explicit-any */
type ClaimView = Record<string, any>;

export async function listMerchantClaims(db: Db, merchantId: string, statuses: ClaimStatus[] | null): Promise<ClaimView[]> {
  return (
    await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND ($2::text[] IS NULL OR c.status = ANY($2)) ORDER BY c.id`, [
      merchantId,
      statuses,
    ])
  ).rows;
}

export async function getMerchantClaim(db: Db, merchantId: string, claimId: number): Promise<ClaimView | null> {
  return (await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND c.id = $2`, [merchantId, claimId])).rows[0] ?? null;
}

export async function listDistributorClaims(db: Db, distributorId: number, statuses: ClaimStatus[]): Promise<ClaimView[]> {
  return (
    await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.distributor_id = $1 AND c.status = ANY($2) ORDER BY c.id`, [distributorId, statuses])
  ).rows;
}

export async function getDistributorClaim(db: Db, distributorId: number, claimId: number): Promise<ClaimView | null> {
  return (await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.id = $1 AND c.distributor_id = $2`, [claimId, distributorId])).rows[0] ?? null;
}

/** A claim whoever asks, once the caller has checked they may see it. */
export async function getClaim(db: Db, claimId: number): Promise<ClaimView | null> {
  return (await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.id = $1`, [claimId])).rows[0] ?? null;
}

export async function listBatchClaims(db: Db, batchId: number): Promise<ClaimView[]> {
  return (await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.batch_id = $1 ORDER BY c.id`, [batchId])).rows;
}

/** A batch's claims with the time of their redemption, as the CSV export lists them. */
export async function listBatchClaimsForExport(db: Db, batchId: number): Promise<ClaimView[]> {
  return (await db.query(`SELECT ${CLAIM_COLUMNS}, r.created_at AS "redeemedAt" FROM ${CLAIM_FROM} WHERE c.batch_id = $1 ORDER BY c.id`, [batchId])).rows;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function getDistributorClaimStatus(db: Db, distributorId: number, claimId: number): Promise<ClaimStatus | null> {
  return (
    (await db.query<{ status: ClaimStatus }>(`SELECT status FROM claims WHERE id = $1 AND distributor_id = $2`, [claimId, distributorId])).rows[0]?.status ??
    null
  );
}

export interface ClaimForCorrection {
  status: ClaimStatus;
  offerId: number;
  shopId: string;
  distributorId: number;
  accountNumber: string | null;
  denialReason: DenialReason | null;
}

/** A merchant's claim as a correction needs it, locked until the transaction ends. */
export async function lockClaimForCorrection(db: Db, merchantId: string, claimId: number): Promise<ClaimForCorrection | null> {
  const { rows } = await db.query<ClaimForCorrection>(
    `SELECT status, offer_id::int AS "offerId", shop_id AS "shopId", distributor_id::int AS "distributorId", account_number AS "accountNumber", denial_reason AS "denialReason"
       FROM claims WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
    [merchantId, claimId],
  );
  return rows[0] ?? null;
}

/** Which claims: those of one enrollment (merchant, offer, location), of one distributor, of one batch, among given ids; in these statuses. */
export interface ClaimSelection {
  statuses: ClaimStatus[];
  enrollment?: { merchantId: string; offerId: number; shopId: string };
  distributorId?: number;
  batchId?: number;
  ids?: number[];
}

/** The ids of the claims `selection` names, in id order. */
export async function findClaimIds(db: Db, selection: ClaimSelection): Promise<number[]> {
  const e = selection.enrollment;
  const { rows } = await db.query<{ id: number }>(
    `SELECT id::int FROM claims
      WHERE status = ANY($1::text[])
        AND ($2::text IS NULL OR (merchant_id = $2 AND offer_id = $3 AND shop_id = $4))
        AND ($5::bigint IS NULL OR distributor_id = $5)
        AND ($6::bigint IS NULL OR batch_id = $6)
        AND ($7::bigint[] IS NULL OR id = ANY($7))
      ORDER BY id`,
    [
      selection.statuses,
      e?.merchantId ?? null,
      e?.offerId ?? null,
      e?.shopId ?? null,
      selection.distributorId ?? null,
      selection.batchId ?? null,
      selection.ids ?? null,
    ],
  );
  return rows.map((r) => r.id);
}

/** Columns a transition may set besides the status, by name: no SQL crosses this function's boundary. */
export interface ClaimAssignments {
  distributorId?: number;
  accountNumber?: string | null;
  denialReason?: DenialReason | null;
  denialNote?: string | null;
  batchId?: number | null;
}

const ASSIGNABLE: Record<keyof ClaimAssignments, string> = {
  distributorId: 'distributor_id',
  accountNumber: 'account_number',
  denialReason: 'denial_reason',
  denialNote: 'denial_note',
  batchId: 'batch_id',
};

export interface ClaimChange {
  actor: string;
  to: ClaimStatus;
  note?: string | null;
  details?: Record<string, unknown>;
  /** What else changes with the status; a key given as null clears that column. */
  assign?: ClaimAssignments;
}

/**
 * Moves the claims in `ids` that are in one of `from` to `change.to` and writes one history row each,
 * in one statement. Returns the ids that moved: a claim in another state is left as it is.
 */
export async function transitionClaims(db: Db, ids: number[], from: ClaimStatus[], change: ClaimChange): Promise<number[]> {
  const assigned = (Object.keys(ASSIGNABLE) as Array<keyof ClaimAssignments>).filter(
    (key) => change.assign && key in change.assign && change.assign[key] !== undefined,
  );
  const set = assigned.map((key, i) => `, ${ASSIGNABLE[key]} = $${7 + i}`).join('');
  const { rows } = await db.query<{ id: number }>(
    `WITH old AS (
       SELECT id, status FROM claims WHERE id = ANY($1::bigint[]) AND status = ANY($2::text[]) FOR UPDATE
     ), moved AS (
       UPDATE claims c SET status = $3, updated_at = now()${set}
        FROM old WHERE c.id = old.id
       RETURNING c.id, old.status AS from_status
     ), history AS (
       INSERT INTO claim_events (claim_id, actor, from_status, to_status, note, details)
       SELECT id, $4, from_status, $3, $5, $6 FROM moved
     )
     SELECT id::int FROM moved ORDER BY id`,
    [
      ids,
      from,
      change.to,
      change.actor,
      change.note ?? null,
      change.details ? JSON.stringify(change.details) : null,
      ...assigned.map((key) => change.assign![key]),
    ],
  );
  return rows.map((r) => r.id);
}

export async function claimHistory(db: Db, claimIds: number[]) {
  const { rows } = await db.query(
    `SELECT claim_id::int AS "claimId", at, actor, from_status AS "from", to_status AS "to", note, details FROM claim_events WHERE claim_id = ANY($1::bigint[]) ORDER BY id`,
    [claimIds],
  );
  return rows;
}

/** The merchants the given claims belong to, each with its claim ids (ascending): one audit row per merchant. */
export async function claimIdsByMerchant(db: Db, ids: number[]): Promise<Map<string, number[]>> {
  const { rows } = await db.query<{ merchantId: string; ids: number[] }>(
    `SELECT merchant_id AS "merchantId", array_agg(id::int ORDER BY id) AS ids FROM claims WHERE id = ANY($1::bigint[]) GROUP BY merchant_id ORDER BY merchant_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.merchantId, r.ids]));
}

export interface NewClaim {
  redemptionId: number;
  merchantId: string;
  offerId: number;
  shopId: string | null;
  distributorId: number;
  accountNumber: string | null;
  value: number;
  status: 'held' | 'new';
  actor: string;
}

/** Writes a redemption's credit claim and its first history row in one statement. */
export async function insertClaim(db: Db, c: NewClaim): Promise<void> {
  await db.query(
    `WITH c AS (
       INSERT INTO claims (redemption_id, merchant_id, offer_id, shop_id, distributor_id, account_number, value, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
     )
     INSERT INTO claim_events (claim_id, actor, from_status, to_status, details) SELECT id, $9, NULL, $8, $10 FROM c`,
    [
      c.redemptionId,
      c.merchantId,
      c.offerId,
      c.shopId,
      c.distributorId,
      c.accountNumber,
      c.value,
      c.status,
      c.actor,
      JSON.stringify({ distributorId: c.distributorId, accountNumber: c.accountNumber, value: c.value }),
    ],
  );
}

/** A note in the history of those claims that are already batched or credited (their status stays). */
export async function noteClaimsPastReach(db: Db, claimIds: number[], actor: string, note: string): Promise<void> {
  await db.query(
    `INSERT INTO claim_events (claim_id, actor, from_status, to_status, note)
     SELECT id, $3, status, status, $2 FROM claims WHERE id = ANY($1::bigint[]) AND status IN ('batched', 'credited')`,
    [claimIds, note, actor],
  );
}
