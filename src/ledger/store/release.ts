import type { Db } from '../../db/pool.js';

/**
 * Posts the pending entries due by `now` of up to `batch` customers of a merchant, with their balance
 * moves, in one statement. Only rows still pending are touched, and SKIP LOCKED lets several releasers
 * share the work. Returns the entries posted and the customers they belonged to.
 */
export async function releaseDueBatch(db: Db, merchantId: string, now: Date, batch: number): Promise<{ entries: number; customers: number }> {
  const { rows } = await db.query<{ customer_id: string; points: number; n: number }>(
    `WITH customers_due AS (
       SELECT DISTINCT customer_id FROM ledger_entries
        WHERE merchant_id = $1 AND status = 'pending' AND available_at <= $2 LIMIT $3
     ), due AS (
       -- All due entries of a customer move together, so a pending reversal is never left behind its earn.
       SELECT id FROM ledger_entries
        WHERE merchant_id = $1 AND status = 'pending' AND available_at <= $2 AND customer_id IN (SELECT customer_id FROM customers_due)
        FOR UPDATE SKIP LOCKED
     ), posted AS (
       UPDATE ledger_entries e SET status = 'posted', released_at = now()
         FROM due WHERE e.id = due.id RETURNING e.customer_id, e.points
     ), moved AS (
       SELECT customer_id, sum(points)::int AS points, count(*)::int AS n FROM posted GROUP BY customer_id
     ), balances AS (
       UPDATE customers c SET available = c.available + moved.points, pending = c.pending - moved.points, updated_at = now()
         FROM moved WHERE c.merchant_id = $1 AND c.customer_id = moved.customer_id
     )
     SELECT customer_id, points, n FROM moved`,
    [merchantId, now, batch],
  );
  return { entries: rows.reduce((sum, r) => sum + r.n, 0), customers: rows.length };
}

/** Merchants with pending entries due by `now`: the sweeper releases them even if no job woke up. */
export async function merchantsWithDueEntries(db: Db, now: Date = new Date()): Promise<string[]> {
  const { rows } = await db.query<{ merchant_id: string }>(`SELECT DISTINCT merchant_id FROM ledger_entries WHERE status = 'pending' AND available_at <= $1`, [
    now,
  ]);
  return rows.map((r) => r.merchant_id);
}
