import type { Db } from '../db/pool.js';
import { deleteOldEvents } from './store.js';

export interface EventRetentionRun {
  /** Events deleted (with their deliveries) by this run. */
  deleted: number;
  /** Statements run, each a short transaction of at most `batchSize` events. */
  batches: number;
  /** True when the run stopped at `maxBatches` with more to delete (the next hourly run goes on). */
  more: boolean;
}

/**
 * The outbox's retention (part of the hourly "retention" maintenance job): events older than `days`
 * whose every delivery is over (delivered, or failed after its retries) are deleted with their delivery
 * log, in bounded batches so that no statement holds many rows. A pending delivery keeps its event
 * however old (it is still being sent, or waits for a replay to finish).
 */
export async function dropOldEvents(db: Db, options: { days: number; batchSize?: number; maxBatches?: number; now?: Date }): Promise<EventRetentionRun> {
  const { days, batchSize = 1_000, maxBatches = 100, now = new Date() } = options;
  const run: EventRetentionRun = { deleted: 0, batches: 0, more: false };
  if (days <= 0) return run;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  for (;;) {
    if (run.batches >= maxBatches) return { ...run, more: true };
    const deleted = await deleteOldEvents(db, cutoff, batchSize);
    run.batches += 1;
    run.deleted += deleted;
    if (deleted < batchSize) return run;
  }
}
