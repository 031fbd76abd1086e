import type { Db } from '../db/pool.js';

/**
 * Drops the payloads of at most `batchSize` done versions processed before `cutoff`, oldest first, in one
 * statement; rows a sales job holds are skipped, not waited for. Returns how many were dropped.
 */
export async function dropDonePayloadBatch(db: Db, cutoff: Date, batchSize: number): Promise<number> {
  const { rowCount } = await db.query({
    name: 'inbox.dropOldPayloads',
    // The batch is a MATERIALIZED CTE: as a plain `id IN (subquery)` the planner may run the LIMIT
    // subquery more than once and the statement then updates more rows than the batch.
    text: `WITH batch AS MATERIALIZED (
             SELECT id FROM sale_events
              WHERE status = 'done' AND payload IS NOT NULL AND processed_at < $1
              ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           UPDATE sale_events e SET payload = NULL, payload_dropped_at = now() FROM batch WHERE e.id = batch.id AND e.status = 'done'`,
    values: [cutoff, batchSize],
  });
  return rowCount ?? 0;
}
