import type { AppContext } from '../context.js';
import { withTransaction, type Db } from '../db/pool.js';
import { latestReceipt } from '../inbox/repo.js';
import { reevaluateJobId, reevaluateJobName } from '../queue/jobs.js';
import { insertRewardsRequest, type RewardsRequest } from './store/rewardsRequests.js';

/**
 * The rewards button, from the POS or the API: the request is recorded (with `within`, in the same
 * transaction, e.g. its audit row), then the sale's latest version is queued for re-evaluation (one job
 * per sale, queued again once the previous one finished). The request is what counts: should the queue be away, `queueError` says so and the
 * request still applies whenever the sale is processed again.
 */
export async function requestRewards(
  ctx: Pick<AppContext, 'pool' | 'queues'>,
  r: RewardsRequest,
  within?: (db: Db, created: boolean) => Promise<void>,
): Promise<{ created: boolean; queueError: unknown }> {
  const { created, receipt } = await withTransaction(ctx.pool, async (db) => {
    const inserted = await insertRewardsRequest(db, r);
    await within?.(db, inserted);
    return { created: inserted, receipt: await latestReceipt(db, r.merchantId, r.saleId) };
  });
  const jobId = reevaluateJobId(r.merchantId, r.saleId);
  const queueError = await (async () => {
    // One job per sale collapses repeated presses while it waits; a finished one (BullMQ keeps them for a
    // while) would swallow a later request, which must evaluate the sale again (rules fixed since).
    const previous = await ctx.queues.sales.getJob(jobId);
    if (previous && ((await previous.isCompleted()) || (await previous.isFailed()))) await previous.remove();
    await ctx.queues.sales.add(reevaluateJobName(r.merchantId, r.saleId, receipt), { merchantId: r.merchantId, saleId: r.saleId }, { jobId });
  })().then(
    () => null,
    (err: unknown) => err ?? new Error('enqueue failed'),
  );
  return { created, queueError };
}
