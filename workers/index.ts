import { Worker, type Job } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { LogThrottle } from '../src/logThrottle.js';
import { dropOldPayloads } from '../src/inbox/payloadRetention.js';
import { startInboxRelay } from '../src/inbox/relay.js';
import { dropOldEvents } from '../src/events/retention.js';
import { runDetectorPass } from '../src/insights/alerts/detectorPass.js';
import { setInsightsUpkeep } from '../src/insights/store/upkeep.js';
import { releaseDue } from '../src/ledger/release.js';
import { LightspeedClient } from '../src/lightspeed/client.js';
import { startEventDelivery } from '../src/events/deliveryWorker.js';
import { CatalogCache } from '../src/frequentBuyer/catalogCache.js';
import { ReferenceCache } from '../src/lightspeed/refs/cache.js';
import { MerchantCache } from '../src/merchants/store/cache.js';
import { connectRedis } from '../src/queue/connections.js';
import { startHeartbeat } from '../src/queue/heartbeat.js';
import { releaseJobSchema } from '../src/queue/jobs.js';
import { QUEUE } from '../src/queue/names.js';
import { processPollJob } from './pollJobs.js';
import { ensurePollSchedulers } from '../src/polling/schedulers.js';
import { processSaleJob, salesBatch, type SalesDeps } from './sales.js';
import { sweepInbox, sweepReleases } from './sweep.js';

export interface RunningWorkers {
  workers: Worker[];
  close(timeoutMs: number): Promise<void>;
}

export const SWEEP_SCHEDULER_ID = 'sweep';
export const RETENTION_SCHEDULER_ID = 'payload-retention';
/** Retention runs hourly: its batches are bounded, so a run that leaves more simply goes on next hour. */
const RETENTION_EVERY_MS = 60 * 60 * 1000;
export const ALERTS_SCHEDULER_ID = 'insights-alerts';
/** The insights detector: every 15 minutes (its daily comparisons change once a day, operations faster). */
const ALERTS_EVERY_MS = 15 * 60 * 1000;

export function salesDeps(ctx: AppContext, onCall?: (series: 'x' | 'r', status: number | 'error') => void): SalesDeps {
  const deps: SalesDeps = {
    ctx,
    merchants: new MerchantCache(ctx.pool, 2_000, ctx.config.CACHE_MAX_MERCHANTS),
    refs: new ReferenceCache(ctx.pool, ctx.config.REFERENCE_TTL_MS, 60_000, ctx.config.REFERENCE_CACHE_MAX_MERCHANTS),
    catalogs: new CatalogCache(ctx.pool, 2_000, ctx.config.CACHE_MAX_MERCHANTS),
    clientFor: (merchant) => new LightspeedClient(merchant, { db: ctx.pool, redis: ctx.redis, config: ctx.config, onCall }),
  };
  deps.batch = salesBatch(deps, ctx.config.SALES_BATCH_MAX);
  return deps;
}

/** Maintenance jobs: one scheduler per deployment (upsert by id), however many processes start. */
async function maintenance(ctx: AppContext, job: Job, state: { lastSweepAt?: Date }): Promise<unknown> {
  switch (job.name) {
    case 'sweep': {
      // Schedulers live in Redis: a count tells whether an emptied Redis must be repaired; otherwise only
      // the merchants changed since the last sweep (this process's, or two intervals back) are looked at.
      const started = new Date();
      const since = state.lastSweepAt ?? new Date(started.getTime() - 2 * ctx.config.SWEEP_EVERY_MS);
      const schedulers = await ensurePollSchedulers(ctx, new Date(since.getTime() - 1_000));
      state.lastSweepAt = started;
      return { enqueued: await sweepInbox(ctx), released: await sweepReleases(ctx), schedulers };
    }
    case 'retention':
      return {
        payloads: await dropOldPayloads(ctx.pool, { days: ctx.config.PAYLOAD_RETENTION_DAYS }),
        events: await dropOldEvents(ctx.pool, { days: ctx.config.EVENT_RETENTION_DAYS }),
      };
    case 'alerts':
      return runDetectorPass(ctx.pool);
    default:
      throw new Error(`unknown maintenance job ${job.name}`);
  }
}

/** Starts every job processor of the worker role on its own blocking connection. */
export async function startWorkers(
  ctx: AppContext,
  options: { concurrency?: number; onCall?: (series: 'x' | 'r', status: number | 'error') => void } = {},
): Promise<RunningWorkers> {
  const throttle = new LogThrottle(ctx.logger);
  setInsightsUpkeep(ctx.config.INSIGHTS_UPKEEP !== 'off');
  const connection = connectRedis(ctx.config, 'worker', (err) => throttle.log('redis:worker', 'error', { dependency: 'redis', err }, 'Redis connection error'));
  const stopHeartbeat = startHeartbeat(connection, ctx.config.QUEUE_PREFIX);
  const base = { connection, prefix: ctx.config.QUEUE_PREFIX };
  const deps = salesDeps(ctx, options.onCall);

  // Schedulers live in Redis. If Redis comes back empty, nothing would sweep the inbox again, so every
  // worker process re-asserts the sweep scheduler on a timer (a no-op while it exists).
  const ensureSweep = async () => {
    if (!(await ctx.queues.maintenance.getJobScheduler(SWEEP_SCHEDULER_ID))) {
      await ctx.queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: ctx.config.SWEEP_EVERY_MS }, { name: 'sweep' });
    }
    if (!(await ctx.queues.maintenance.getJobScheduler(ALERTS_SCHEDULER_ID))) {
      await ctx.queues.maintenance.upsertJobScheduler(ALERTS_SCHEDULER_ID, { every: ALERTS_EVERY_MS }, { name: 'alerts' });
    }
    // PAYLOAD_RETENTION_DAYS=0 and EVENT_RETENTION_DAYS=0 turn retention off: the scheduler is removed, not left running a no-op.
    const retains = ctx.config.PAYLOAD_RETENTION_DAYS > 0 || ctx.config.EVENT_RETENTION_DAYS > 0;
    const retention = await ctx.queues.maintenance.getJobScheduler(RETENTION_SCHEDULER_ID);
    if (retains && !retention) {
      await ctx.queues.maintenance.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: RETENTION_EVERY_MS }, { name: 'retention' });
    } else if (!retains && retention) {
      await ctx.queues.maintenance.removeJobScheduler(RETENTION_SCHEDULER_ID);
    }
  };
  await ensureSweep();
  // At start-up only the count check: O(1) round trips while Redis holds every scheduler.
  await ensurePollSchedulers(ctx);
  const sweepState: { lastSweepAt?: Date } = {};
  const sweepGuard = setInterval(() => void ensureSweep().catch(() => undefined), ctx.config.SWEEP_EVERY_MS);
  sweepGuard.unref();

  const workers = [
    new Worker(QUEUE.sales, (job, token) => processSaleJob(deps, job, token), {
      ...base,
      concurrency: options.concurrency ?? ctx.config.WORKER_CONCURRENCY,
      lockDuration: ctx.config.JOB_LOCK_MS,
      stalledInterval: ctx.config.JOB_LOCK_MS,
    }),
    new Worker(QUEUE.release, async (job) => ({ released: await releaseDue(ctx.pool, releaseJobSchema.parse(job.data).merchantId) }), {
      ...base,
      concurrency: 2,
    }),
    new Worker(QUEUE.poll, (job, token) => processPollJob({ ctx, clientFor: deps.clientFor }, job, token), { ...base, concurrency: 2 }),
    new Worker(QUEUE.maintenance, (job) => maintenance(ctx, job, sweepState), { ...base, concurrency: 1 }),
  ];
  // The webhook's deliveries reach the sales queue through the inbox relay (committed rows, in order).
  const relay = startInboxRelay(ctx);
  // Outbound events: the outbox dispatcher and the webhook delivery worker (src/events), unless
  // EVENT_DELIVERY=events leaves them to ROLE=events processes.
  const events = ctx.config.ROLE === 'worker' && ctx.config.EVENT_DELIVERY === 'events' ? null : startEventDelivery(ctx);
  for (const worker of workers) {
    worker.on('failed', (job, err) => {
      if (err.name !== 'DelayedError') ctx.logger.warn({ queue: worker.name, jobId: job?.id, err: err.message }, 'job failed');
    });
    worker.on('error', (err) => throttle.log(`worker:${worker.name}`, 'error', { queue: worker.name, err }, 'worker error'));
  }

  return {
    workers,
    async close(timeoutMs) {
      stopHeartbeat();
      clearInterval(sweepGuard);
      await relay.close();
      // Running jobs get timeoutMs to finish; after that they are left to BullMQ's stalled-job recovery.
      await Promise.race([Promise.all([...workers.map((w) => w.close()), events?.close()]), new Promise((r) => setTimeout(r, timeoutMs))]);
      connection.disconnect();
    },
  };
}
