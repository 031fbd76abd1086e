import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';

/** Customers per transaction. */
const BATCH = 1_000;

/**
 * Posts every pending entry of a merchant that is due by `now`, in batches, each batch one
 * transaction with its balance moves. Idempotent: only rows still pending are touched, and SKIP LOCKED
 * lets several releasers share the work.
 */
export async function releaseDue(pool: Pool, merchantId: string, now: Date = new Date()): Promise<number> {
  let released = 0;
  for (;;) {
    const count = await withTransaction(pool, async (db) => {
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
        [merchantId, now, BATCH],
      );
      return { entries: rows.reduce((sum, r) => sum + r.n, 0), customers: rows.length };
    });
    released += count.entries;
    if (count.customers < BATCH) return released;
  }
}

/** Merchants with pending entries due by `now`: the sweeper releases them even if no job woke up. */
export async function merchantsWithDueEntries(pool: Pool, now: Date = new Date()): Promise<string[]> {
  const { rows } = await pool.query<{ merchant_id: string }>(
    `SELECT DISTINCT merchant_id FROM ledger_entries WHERE status = 'pending' AND available_at <= $1`,
    [now],
  );
  return rows.map((r) => r.merchant_id);
}
