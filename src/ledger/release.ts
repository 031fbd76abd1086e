import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { releaseDueBatch } from './store/release.js';

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
    const count = await withTransaction(pool, (db) => releaseDueBatch(db, merchantId, now, BATCH));
    released += count.entries;
    if (count.customers < BATCH) return released;
  }
}
