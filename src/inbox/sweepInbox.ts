import type { AppContext } from '../context.js';
import { enqueueSaleEvents } from '../queue/enqueue.js';
import { queuedSaleJobIds, saleJobStates } from '../queue/saleJobStates.js';
import { findUnprocessed } from './repo.js';

const BATCH = 1_000;

/**
 * Re-enqueues inbox rows that are still not done after SWEEP_AGE_MS: after Redis lost its data, or an
 * enqueue failed while Redis was down. Job ids derive from event ids, so a row whose job still waits is
 * not queued twice; a job that exhausted its retries on a transient error is retried. The queue's lists
 * are read once per sweep, so a sweep costs one lookup per row whose job is not queued (see
 * saleJobStates.ts), not a scan of the wait list per row.
 */
export async function sweepInbox(ctx: Pick<AppContext, 'pool' | 'queues' | 'config'>, ageMs = ctx.config.SWEEP_AGE_MS): Promise<number> {
  let enqueued = 0;
  let afterId = 0;
  // Read only once some row is late: a sweep that finds none costs Redis nothing (the bench counts a
  // sweep's commands, 1 with nothing changed).
  let queued: Set<string> | undefined;
  for (;;) {
    const ids = await findUnprocessed(ctx.pool, ageMs, afterId, BATCH);
    if (!ids.length) return enqueued;
    queued ??= await queuedSaleJobIds(ctx.queues);
    const toQueue: number[] = [];
    for (const [id, s] of await saleJobStates(ctx.queues, ids, queued)) {
      if (s.state === 'failed') {
        await s.job.retry('failed');
        enqueued += 1;
      } else if (s.state !== 'queued') {
        // A completed job with its row still open: the row waited (merchant paused); run it again. A job
        // in no list at all (unknown) would otherwise keep the row from ever being queued.
        if (s.state !== 'missing') await s.job.remove();
        toQueue.push(id);
      }
    }
    if (toQueue.length) enqueued += (await enqueueSaleEvents(ctx.queues, toQueue, 5_000)).filter(Boolean).length;
    if (ids.length < BATCH) return enqueued;
    afterId = ids[ids.length - 1]!;
  }
}
