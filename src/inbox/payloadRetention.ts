import type { Db } from '../db/pool.js';
import { dropDonePayloadBatch } from './retentionRepo.js';

export interface RetentionRun {
  /** Payloads set to NULL by this run. */
  dropped: number;
  /** Statements run (each one a short transaction of at most `batchSize` rows). */
  batches: number;
  /** True when the run stopped at `maxBatches` with more to drop (the next run goes on). */
  more: boolean;
}

/**
 * Drops the raw payloads of sale versions done more than `days` days ago, oldest first, in statements of
 * at most `batchSize` rows, each its own short transaction: no long lock, and rows a sales job holds
 * (a re-evaluation writing the same version) are skipped, not waited for. Only `done` versions qualify:
 * a received, waiting or failed version may still be applied or replayed, and keeps its payload (the
 * table's check constraint refuses anything else). Decisions, ledger entries, receipts and the sale
 * snapshots (the rules preview's input) are other tables and stay.
 */
export async function dropOldPayloads(db: Db, options: { days: number; batchSize?: number; maxBatches?: number; now?: Date }): Promise<RetentionRun> {
  const { days, batchSize = 1_000, maxBatches = 100, now = new Date() } = options;
  const run: RetentionRun = { dropped: 0, batches: 0, more: false };
  if (days <= 0) return run;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  for (;;) {
    if (run.batches >= maxBatches) return { ...run, more: true };
    const dropped = await dropDonePayloadBatch(db, cutoff, batchSize);
    run.batches += 1;
    run.dropped += dropped;
    if (dropped < batchSize) return run;
  }
}
