import type { AppContext } from '../../context.js';
import type { Merchant } from '../store/schema.js';
import { pollSchedulerId } from '../../queue/jobs.js';

/**
 * A newly connected (or reconnected) merchant's poll scheduler, at once rather than at the workers' next
 * sweep. Same id, interval and options as workers/poll.ts's ensurePollSchedulers, so whichever runs first,
 * the other finds it and leaves it alone.
 */
export async function startPolling(ctx: Pick<AppContext, 'queues' | 'config'>, merchant: Pick<Merchant, 'id' | 'series' | 'paused'>): Promise<void> {
  if (merchant.paused) return;
  const id = pollSchedulerId(merchant.id);
  if (await ctx.queues.poll.getJobScheduler(id)) return;
  const every = merchant.series === 'r' ? ctx.config.R_POLL_EVERY_MS : ctx.config.X_POLL_EVERY_MS;
  await ctx.queues.poll.upsertJobScheduler(id, { every }, { name: 'poll', data: { merchantId: merchant.id }, opts: { attempts: 1 } });
}
