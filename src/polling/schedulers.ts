import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { Db } from '../db/pool.js';
import { activeMerchantCount, merchantSchedules } from '../merchants/store/repo.js';
import type { Merchant } from '../merchants/store/schema.js';
import { pollSchedulerId } from '../queue/jobs.js';

type Ctx = Pick<AppContext, 'pool' | 'queues' | 'config'>;

export const pollEvery = (merchant: Pick<Merchant, 'series'>, config: Ctx['config']) =>
  merchant.series === 'r' ? config.R_POLL_EVERY_MS : config.X_POLL_EVERY_MS;

/**
 * Where in its interval a merchant's polls fall: a stable spot derived from its id, so 2,000 merchants
 * created (or a worker started) together poll spread over the interval instead of all at once.
 */
export function pollOffset(merchantId: string, every: number): number {
  const spot = createHash('sha256').update(merchantId).digest().readUInt32BE(0);
  return 1 + (spot % Math.max(1, every - 1));
}

/**
 * Makes a merchant's poll scheduler match the merchant: none while paused, otherwise one every
 * R_/X_POLL_EVERY_MS at the merchant's offset. Only when missing or different: BullMQ would otherwise
 * recompute the next run. The one place a poll scheduler is created, changed or removed: called when a
 * merchant is created, changed, connected or disconnected, and by the sweep's repair.
 */
export async function syncPollScheduler(
  ctx: Pick<Ctx, 'queues' | 'config'>,
  merchant: Pick<Merchant, 'id' | 'series' | 'paused'>,
): Promise<'removed' | 'created' | 'kept'> {
  const id = pollSchedulerId(merchant.id);
  if (merchant.paused) {
    await ctx.queues.poll.removeJobScheduler(id);
    return 'removed';
  }
  const every = pollEvery(merchant, ctx.config);
  const existing = await ctx.queues.poll.getJobScheduler(id);
  if (existing && existing.every === every) return 'kept';
  await ctx.queues.poll.upsertJobScheduler(
    id,
    { every, offset: pollOffset(merchant.id, every) },
    { name: 'poll', data: { merchantId: merchant.id }, opts: { attempts: 1 } },
  );
  return 'created';
}

export interface SchedulerCheck {
  /** Redis round trips this check made. */
  redisCalls: number;
  /** Merchants whose scheduler was looked at (changed ones, or all after a repair). */
  synced: number;
  repaired: boolean;
}

/**
 * The sweep's check that every active merchant has its poll scheduler, in O(changed) work: one count
 * of active merchants against one count of schedulers in Redis; equal, only the merchants changed since
 * `since` are synced (a change through the API syncs at once; this is the safety net). Different (Redis
 * lost its data, merchants were inserted behind the service's back), every merchant is compared with
 * the schedulers Redis holds, in one read, and the missing or stale ones are fixed.
 */
export async function ensurePollSchedulers(ctx: Ctx, since?: Date): Promise<SchedulerCheck> {
  const [active, scheduled] = await Promise.all([activeMerchantCount(ctx.pool), ctx.queues.poll.getJobSchedulersCount()]);
  let redisCalls = 1;
  if (active === scheduled) {
    const changed = since ? await merchantSchedules(ctx.pool, since) : [];
    for (const merchant of changed) redisCalls += (await syncPollScheduler(ctx, merchant)) === 'removed' ? 1 : 2;
    return { redisCalls, synced: changed.length, repaired: false };
  }
  const repair = await repairAll(ctx, ctx.pool);
  return { ...repair, redisCalls: redisCalls + repair.redisCalls };
}

async function repairAll(ctx: Ctx, db: Db): Promise<SchedulerCheck> {
  const schedulers = await ctx.queues.poll.getJobSchedulers(0, -1);
  const known = new Map(schedulers.map((s) => [s.key, s.every]));
  const merchants = await merchantSchedules(db);
  const ids = new Set(merchants.map((m) => pollSchedulerId(m.id)));
  let redisCalls = 1;
  for (const merchant of merchants) {
    const id = pollSchedulerId(merchant.id);
    if (merchant.paused ? !known.has(id) : known.get(id) === pollEvery(merchant, ctx.config)) continue;
    redisCalls += (await syncPollScheduler(ctx, merchant)) === 'removed' ? 1 : 2;
  }
  // Schedulers of merchants that no longer exist.
  for (const key of known.keys()) {
    if (ids.has(key)) continue;
    await ctx.queues.poll.removeJobScheduler(key);
    redisCalls += 1;
  }
  return { redisCalls, synced: merchants.length, repaired: true };
}
