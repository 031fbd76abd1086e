import { DelayedError, type Job } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { LightspeedClient } from '../src/lightspeed/client.js';
import { RateLimitedError, ReauthRequiredError } from '../src/lightspeed/errors.js';
import { getMerchant } from '../src/merchants/store/repo.js';
import type { Merchant } from '../src/merchants/store/schema.js';
import { pollSales } from '../src/polling/pollSales.js';
import { pollEvery } from '../src/polling/schedulers.js';
import { flagPolling, getPollState, recordPollRun, recordPollStalled } from '../src/polling/store/pollState.js';
import { backfillJobSchema, pollJobSchema } from '../src/queue/jobs.js';

export interface PollWorkerDeps {
  ctx: AppContext;
  clientFor: (merchant: Merchant) => LightspeedClient;
  /** How long one scheduled poll run may wait, in all, for the account's rate limit (default POLL_RATE_WAIT_MS). */
  rateWaitBudgetMs?: number;
}

const MAX_BACKOFF_MS = 3_600_000;
/**
 * A scheduled poll run waits for the bucket rather than ending at the first full one: R-Series restarts
 * at the cursor minus an overlap, so a run that stops after each page re-reads that page forever on a busy
 * store. Bounded, so a slot is not held indefinitely by an account another app keeps full.
 */
export const POLL_RATE_WAIT_MS = 60_000;

/**
 * A scheduled poll never throws: its error is recorded (admin view, metrics) and the next run resumes
 * from the cursor. A merchant that keeps failing is flagged and polled with exponential backoff (up to
 * an hour), not in a tight loop. A backfill is a one-off: it waits out rate limits and retries.
 */
export async function processPollJob(deps: PollWorkerDeps, job: Job, token?: string): Promise<unknown> {
  const backfill = job.name === 'backfill' ? backfillJobSchema.parse(job.data) : null;
  const { merchantId } = backfill ?? pollJobSchema.parse(job.data);
  const merchant = await getMerchant(deps.ctx.pool, merchantId);
  if (!merchant || merchant.paused) return { skipped: 'merchant missing or paused' };
  if (!backfill) {
    const state = await getPollState(deps.ctx.pool, merchantId);
    const every = pollEvery(merchant, deps.ctx.config);
    const backoff = Math.min(MAX_BACKOFF_MS, every * 2 ** state.consecutiveFailures);
    if (state.flagged && state.lastRunAt && Date.now() - state.lastRunAt.getTime() < backoff) return { skipped: 'flagged; backing off' };
  }
  const pollDeps = {
    ctx: deps.ctx,
    client: backfill ? deps.clientFor(merchant) : deps.clientFor(merchant).waitForRateLimit(deps.rateWaitBudgetMs ?? POLL_RATE_WAIT_MS),
    // Stored pages are not read again when a rate limit hands the backfill back (see SaleWindow.resume).
    backfillPageStored: backfill ? (resume: string) => job.updateData({ ...backfill, resume }) : undefined,
  };
  try {
    const window = backfill ? { from: new Date(backfill.from), to: new Date(backfill.to), ...(backfill.resume ? { resume: backfill.resume } : {}) } : undefined;
    const result = await pollSales(pollDeps, merchant, window);
    if (!backfill) await recordPollRun(deps.ctx.pool, merchantId, null);
    return result;
  } catch (error) {
    if (error instanceof ReauthRequiredError) {
      await flagPolling(deps.ctx.pool, merchantId, error.message);
      return { error: error.message };
    }
    if (backfill) {
      if (error instanceof RateLimitedError) {
        await job.moveToDelayed(Date.now() + error.waitMs, token);
        throw new DelayedError();
      }
      throw error;
    }
    // A rate limit that outlasted the run's wait is not a failure (no backoff, no flag), but the merchant
    // view says polling is not keeping up until a run reaches the newest sales again.
    if (error instanceof RateLimitedError)
      await recordPollStalled(
        deps.ctx.pool,
        merchantId,
        `polling is not keeping up: the Lightspeed rate limit ended the run before the newest sales (${error.message}); the next run goes on from the cursor`,
      );
    else await recordPollRun(deps.ctx.pool, merchantId, (error as Error).message);
    deps.ctx.logger.warn({ merchantId, jobId: job.id, err: (error as Error).message }, 'poll failed');
    return { error: (error as Error).message };
  }
}
