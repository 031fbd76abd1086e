import { Worker, type Job } from 'bullmq';
import type { AppContext } from '../src/context.js';
import { createRedis } from '../src/queue/connections.js';
import { startHeartbeat } from '../src/queue/heartbeat.js';
import { QUEUE } from '../src/queue/names.js';
import { sweepInbox } from './sweep.js';

export interface RunningWorkers {
  workers: Worker[];
  close(timeoutMs: number): Promise<void>;
}

export const SWEEP_SCHEDULER_ID = 'sweep';

/** Maintenance jobs: one scheduler per deployment (upsert by id), however many processes start. */
async function maintenance(ctx: AppContext, job: Job): Promise<unknown> {
  switch (job.name) {
    case 'sweep':
      return { enqueued: await sweepInbox(ctx) };
    default:
      throw new Error(`unknown maintenance job ${job.name}`);
  }
}

/** Starts every job processor of the worker role on its own blocking connection. */
export async function startWorkers(ctx: AppContext): Promise<RunningWorkers> {
  const connection = createRedis(ctx.config.REDIS_URL, 'worker');
  const stopHeartbeat = startHeartbeat(connection, ctx.config.QUEUE_PREFIX);
  const options = { connection, prefix: ctx.config.QUEUE_PREFIX };

  await ctx.queues.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: ctx.config.SWEEP_EVERY_MS }, { name: 'sweep' });

  const workers = [new Worker(QUEUE.maintenance, (job) => maintenance(ctx, job), { ...options, concurrency: 1 })];
  for (const worker of workers) {
    worker.on('failed', (job, err) => ctx.logger.warn({ queue: worker.name, jobId: job?.id, err }, 'job failed'));
    worker.on('error', (err) => ctx.logger.error({ queue: worker.name, err }, 'worker error'));
  }

  return {
    workers,
    async close(timeoutMs) {
      stopHeartbeat();
      // Running jobs get timeoutMs to finish; after that they are left to BullMQ's stalled-job recovery.
      await Promise.race([Promise.all(workers.map((w) => w.close())), new Promise((r) => setTimeout(r, timeoutMs))]);
      connection.disconnect();
    },
  };
}
