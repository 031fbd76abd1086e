import type { Db } from '../db/pool.js';
import { badRequest } from '../http/errors.js';

export const claimStatuses = ['held', 'new', 'batched', 'credited', 'denied', 'resubmitted', 'cancelled'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export const denialReasons = ['incorrect_account_number', 'missing_account_number', 'not_a_customer', 'item_not_in_program', 'insufficient_purchases', 'other'] as const;

/** `?status=new,denied` → the statuses, null when absent; 400 naming an unknown one. */
export function claimStatusFilter(value: unknown): ClaimStatus[] | null {
  if (typeof value !== 'string' || !value) return null;
  const wanted = value.split(',');
  const unknown = wanted.find((s) => !(claimStatuses as readonly string[]).includes(s));
  if (unknown !== undefined) throw badRequest(`status '${unknown}' is not one of ${claimStatuses.join(', ')}`);
  return wanted as ClaimStatus[];
}

/** Claims a distributor can act on: it has not paid or refused them yet. */
export const OPEN_FOR_DISTRIBUTOR: ClaimStatus[] = ['new', 'resubmitted'];

export const CLAIM_COLUMNS = `c.id::int, c.redemption_id::int AS "redemptionId", c.merchant_id AS "merchantId", c.offer_id::int AS "offerId", o.name AS "offerName",
  c.shop_id AS "shopId", l.name AS "locationName", c.distributor_id::int AS "distributorId", d.name AS "distributorName", c.account_number AS "accountNumber",
  c.value::int, c.status, c.denial_reason AS "denialReason", c.denial_note AS "denialNote", c.batch_id::int AS "batchId",
  r.sale_id AS "saleId", r.customer_id AS "customerId", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

export const CLAIM_FROM = `claims c JOIN offers o ON o.id = c.offer_id JOIN distributors d ON d.id = c.distributor_id JOIN redemptions r ON r.id = c.redemption_id
  LEFT JOIN locations l ON l.merchant_id = c.merchant_id AND l.shop_id = c.shop_id`;

export interface ClaimChange {
  actor: string;
  to: ClaimStatus;
  note?: string | null;
  details?: Record<string, unknown>;
  /** Extra assignments, e.g. `batch_id = $7`; their parameters follow the six fixed ones. */
  set?: string;
  params?: unknown[];
}

/**
 * Moves the claims in `ids` that are in one of `from` to `change.to` and writes one history row each,
 * in one statement. Returns the ids that moved: a claim in another state is left as it is.
 */
export async function transitionClaims(db: Db, ids: number[], from: ClaimStatus[], change: ClaimChange): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `WITH old AS (
       SELECT id, status FROM claims WHERE id = ANY($1::bigint[]) AND status = ANY($2::text[]) FOR UPDATE
     ), moved AS (
       UPDATE claims c SET status = $3, updated_at = now()${change.set ? `, ${change.set}` : ''}
        FROM old WHERE c.id = old.id
       RETURNING c.id, old.status AS from_status
     ), history AS (
       INSERT INTO claim_events (claim_id, actor, from_status, to_status, note, details)
       SELECT id, $4, from_status, $3, $5, $6 FROM moved
     )
     SELECT id::int FROM moved ORDER BY id`,
    [ids, from, change.to, change.actor, change.note ?? null, change.details ? JSON.stringify(change.details) : null, ...(change.params ?? [])],
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
