import type { AppContext } from '../context.js';
import { saleJobId } from '../queue/jobs.js';
import { enqueueSaleEvent } from '../queue/enqueue.js';
import { findUnprocessed } from './repo.js';

const BATCH = 1_000;

/**
 * Re-enqueues inbox rows that are still not done after SWEEP_AGE_MS: after Redis lost its data, or an
 * enqueue failed while Redis was down. Job ids derive from event ids, so a row whose job still waits is
 * not queued twice; a job that exhausted its retries on a transient error is retried.
 */
export async function sweepInbox(ctx: Pick<AppContext, 'pool' | 'queues' | 'config'>, ageMs = ctx.config.SWEEP_AGE_MS): Promise<number> {
  let enqueued = 0;
  let afterId = 0;
  for (;;) {
    const ids = await findUnprocessed(ctx.pool, ageMs, afterId, BATCH);
    for (const id of ids) {
      const existing = await ctx.queues.sales.getJob(saleJobId(id));
      const state = existing ? await existing.getState() : 'missing';
      if (state === 'failed') {
        await existing!.retry('failed');
        enqueued += 1;
        continue;
      }
      // A completed job with its row still open: the row waited (merchant paused); run it again.
      if (state === 'completed') await existing!.remove();
      if ((state === 'missing' || state === 'completed' || state === 'unknown') && (await enqueueSaleEvent(ctx.queues, id, 5_000))) enqueued += 1;
    }
    if (ids.length < BATCH) return enqueued;
    afterId = ids[ids.length - 1]!;
  }
}
