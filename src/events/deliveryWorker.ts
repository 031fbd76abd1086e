import { Queue, Worker } from 'bullmq';
import type { AppContext } from '../context.js';
import { writeAudit } from '../access/audit.js';
import { systemActor } from '../access/authenticate.js';
import { connectRedis } from '../queue/connections.js';
import { keyring } from '../secrets/keyring.js';
import { dispatchOutbox } from './dispatchOutbox.js';
import { drainEndpoint, type DrainDeps } from './drainEndpoint.js';
import { EndpointAgents } from './endpointAgents.js';
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
 * The delivery side of the worker role. A dispatcher loop (outbox → deliveries, every
 * WEBHOOK_DISPATCH_EVERY_MS; due retries swept every 25 rounds) hands the endpoints that got work to this
 * process's senders directly: one drain per endpoint at a time (locally a running map, across processes
 * the endpoint's lease), at most WEBHOOK_CONCURRENCY drains at once, each with its own keep-alive agent and
 * `parallel` in-flight slots, so a hanging endpoint holds its own slots and nothing else. A wake-up that
 * finds its endpoint's drain running marks it to go round again, never queues behind it. The "webhooks"
 * BullMQ queue is only a doorbell: the API's test and replay, and delayed retry wake-ups (one per endpoint
 * and second), each ringing the local senders.
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
  // Per endpoint: up to 500 due deliveries read per round, 64 in flight (its agent's sockets).
  const parallel = 64;
  const agents = new EndpointAgents(parallel);
  const deps: DrainDeps = {
    pool: ctx.pool,
    ring: keyring(),
    policy: targetPolicy({ production: config.NODE_ENV === 'production', allowCidrs: config.WEBHOOK_ALLOW_CIDRS }),
    resolve: options.resolve ?? systemResolve,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
    batch: 500,
    parallel,
    agents,
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

  let closed = false;
  // Local drains: one per endpoint (again: a wake-up came while it ran), in two lanes of
  // WEBHOOK_CONCURRENCY drains each. An endpoint whose last round delivered nothing (down, hanging,
  // refusing) drains in the failing lane, so however many of those hang at once until their timeout, a
  // healthy endpoint never waits for one of their slots; its first success moves it back.
  const running = new Map<number, { again: boolean; done: Promise<void> }>();
  const lane = () => {
    let active = 0;
    const waiting: Array<() => void> = [];
    return {
      async acquire() {
        while (active >= config.WEBHOOK_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
        active += 1;
      },
      release() {
        active -= 1;
        waiting.shift()?.();
      },
    };
  };
  const lanes = { healthy: lane(), failing: lane() };
  const failing = new Set<number>();
  const retryLater = async (endpointId: number, at: Date) => {
    const second = Math.ceil(at.getTime() / 1000);
    await queue.add('drain', { endpointId }, { delay: Math.max(0, second * 1000 - Date.now()), jobId: `retry-${endpointId}-${second}` });
  };
  const kick = (endpointId: number): Promise<void> => {
    const held = running.get(endpointId);
    if (held) {
      held.again = true;
      return held.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    running.set(endpointId, entry);
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          const slots = failing.has(endpointId) ? lanes.failing : lanes.healthy;
          await slots.acquire();
          let result: Awaited<ReturnType<typeof drainEndpoint>>;
          try {
            result = await drainEndpoint(deps, endpointId);
          } finally {
            slots.release();
          }
          if (result.ran && result.attempted > 0) {
            if (result.delivered > 0) failing.delete(endpointId);
            else failing.add(endpointId);
          }
          // The next retry rings the doorbell at its time; the sweep would too, later.
          if (result.nextDueAt) await retryLater(endpointId, result.nextDueAt);
        } while (entry.again && !closed);
      } catch (err) {
        ctx.logger.warn({ err, endpointId }, 'webhook drain failed; the sweep retries');
      } finally {
        running.delete(endpointId);
      }
    })();
    return entry.done;
  };

  const worker = new Worker(
    WEBHOOK_QUEUE,
    async (job) => {
      // A doorbell: the drain runs in the local senders, not in this job's slot.
      void kick(Number((job.data as { endpointId: number }).endpointId));
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: 4 },
  );
  worker.on('error', (err) => ctx.logger.error({ err, queue: WEBHOOK_QUEUE }, 'worker error'));

  let rounds = 0;
  let timer: NodeJS.Timeout | undefined;
  const dispatchNow = async () => {
    let total = 0;
    for (;;) {
      const { events, endpoints } = await dispatchOutbox(ctx.pool, base);
      total += events;
      for (const id of endpoints) void kick(id);
      if (events < 500) break;
    }
    if (++rounds % SWEEP_EVERY_ROUNDS === 0) for (const id of await endpointsWithDue(ctx.pool)) void kick(id);
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
      await Promise.all([...running.values()].map((r) => r.done));
      agents.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
