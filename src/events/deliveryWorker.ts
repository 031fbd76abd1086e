import { Queue, Worker } from 'bullmq';
import type { AppContext } from '../context.js';
import { writeAudit } from '../access/audit.js';
import { systemActor } from '../access/authenticate.js';
import { connectRedis } from '../queue/connections.js';
import { keyring } from '../secrets/keyring.js';
import { dispatchOutbox } from './dispatchOutbox.js';
import { drainEndpoint, type DrainDeps } from './drainEndpoint.js';
import { consoleBase } from './eventBody.js';
import { endpointsWithDue } from './store.js';
import { systemResolve, targetPolicy, type Resolve } from './targetPolicy.js';

export const WEBHOOK_QUEUE = 'webhooks';
const SWEEP_EVERY_ROUNDS = 25;

export interface EventDelivery {
  queue: Queue;
  /** One dispatch round now (tests and the drill call it instead of waiting). */
  dispatchNow(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The delivery side of the worker role: a dispatcher loop (outbox → deliveries, every
 * WEBHOOK_DISPATCH_EVERY_MS, and a sweep of due retries every 25 rounds) and a BullMQ worker that runs
 * one "drain" job per endpoint with work. Drains of different endpoints run side by side
 * (WEBHOOK_CONCURRENCY); one endpoint is drained by one job at a time (its lease), so a hanging receiver
 * costs one slot.
 */
export function startEventDelivery(ctx: AppContext, options: { resolve?: Resolve } = {}): EventDelivery {
  const { config } = ctx;
  const connection = connectRedis(config, 'worker', (err) => ctx.logger.warn({ err }, 'Redis connection error (webhooks)'));
  const queue = new Queue(WEBHOOK_QUEUE, {
    connection: ctx.redis,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
  });
  const base = consoleBase(config.PUBLIC_URL);
  const deps: DrainDeps = {
    pool: ctx.pool,
    ring: keyring(),
    policy: targetPolicy({ production: config.NODE_ENV === 'production', allowCidrs: config.WEBHOOK_ALLOW_CIDRS }),
    resolve: options.resolve ?? systemResolve,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
    // Per endpoint: up to 500 due deliveries read per round, 64 in flight (the keep-alive agent's sockets per host).
    batch: 500,
    parallel: 64,
    onDisabled: async (endpoint, reason) => {
      // The notice: the audit log (the console shows the reason on the endpoint) and a warning line.
      ctx.logger.warn({ endpointId: endpoint.id, merchantId: endpoint.merchant_id, reason }, 'webhook endpoint disabled');
      await writeAudit(ctx.pool, {
        actor: systemActor,
        merchantId: endpoint.merchant_id,
        action: 'webhook_endpoint.disabled',
        entity: 'webhook_endpoint',
        entityId: String(endpoint.id),
        after: { enabled: false, reason },
      });
    },
  };
  const wake = async (endpointIds: number[], delayMs = 0) => {
    if (endpointIds.length) await queue.addBulk(endpointIds.map((endpointId) => ({ name: 'drain', data: { endpointId }, opts: { delay: delayMs } })));
  };
  const worker = new Worker(
    WEBHOOK_QUEUE,
    async (job) => {
      const endpointId = Number((job.data as { endpointId: number }).endpointId);
      const result = await drainEndpoint(deps, endpointId);
      // The next retry wakes the endpoint up; the sweep would too, later.
      if (result.nextDueAt) await wake([endpointId], Math.max(0, result.nextDueAt.getTime() - Date.now()));
      return result;
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: config.WEBHOOK_CONCURRENCY },
  );
  worker.on('error', (err) => ctx.logger.error({ err, queue: WEBHOOK_QUEUE }, 'worker error'));

  let rounds = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const dispatchNow = async () => {
    let total = 0;
    for (;;) {
      const { events, endpoints } = await dispatchOutbox(ctx.pool, base);
      total += events;
      await wake(endpoints);
      if (events < 500) break;
    }
    if (++rounds % SWEEP_EVERY_ROUNDS === 0) await wake(await endpointsWithDue(ctx.pool));
    return total;
  };
  const loop = async () => {
    if (closed) return;
    await dispatchNow().catch((err: unknown) => ctx.logger.warn({ err }, 'event dispatch failed; retrying'));
    if (!closed) timer = setTimeout(() => void loop(), config.WEBHOOK_DISPATCH_EVERY_MS);
  };
  timer = setTimeout(() => void loop(), 0);
  return {
    queue,
    dispatchNow,
    async close() {
      closed = true;
      clearTimeout(timer);
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
