import type { AppContext } from '../src/context.js';
import { findUnprocessed } from '../src/inbox/repo.js';
import { saleJobId } from '../src/queue/jobs.js';
import { enqueueSaleEvent } from '../src/queue/enqueue.js';

const BATCH = 1_000;

/**
 * Re-enqueues inbox rows that are still not done after SWEEP_AGE_MS: after Redis lost its data, or an
 * enqueue failed while Redis was down. Job ids derive from event ids, so a row whose job still waits is
 * not queued twice; a job that exhausted its retries on a transient error is retried.
 */
export async function sweepInbox(ctx: Pick<AppContext, 'pool' | 'queues' | 'config'>): Promise<number> {
  let enqueued = 0;
  let afterId = 0;
  for (;;) {
    const ids = await findUnprocessed(ctx.pool, ctx.config.SWEEP_AGE_MS, afterId, BATCH);
    for (const id of ids) {
      const existing = await ctx.queues.sales.getJob(saleJobId(id));
      if (existing && (await existing.isFailed())) {
        await existing.retry('failed');
        enqueued += 1;
      } else if (!existing && (await enqueueSaleEvent(ctx.queues, id, 5_000))) {
        enqueued += 1;
      }
    }
    if (ids.length < BATCH) return enqueued;
    afterId = ids[ids.length - 1]!;
  }
}
