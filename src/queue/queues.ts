import { Queue, type DefaultJobOptions } from 'bullmq';
import type { RedisConnection } from './connections.js';
import { QUEUE } from './names.js';

/** Retention is bounded so Redis stays small; failed jobs stay longer for people to look at. */
export const retention: DefaultJobOptions = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export const defaultJobOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  ...retention,
};

export interface Queues {
  sales: Queue;
  release: Queue;
  poll: Queue;
  maintenance: Queue;
  all(): Queue[];
  close(): Promise<void>;
}

export function createQueues(connection: RedisConnection, prefix: string, onError: (error: Error, queue: string) => void = () => undefined): Queues {
  const make = (name: string) => {
    const queue = new Queue(name, { connection, prefix, defaultJobOptions });
    // BullMQ re-emits its connection's errors; unheard, they are printed raw.
    queue.on('error', (error) => onError(error, name));
    return queue;
  };
  const sales = make(QUEUE.sales);
  const release = make(QUEUE.release);
  const poll = make(QUEUE.poll);
  const maintenance = make(QUEUE.maintenance);
  const all = () => [sales, release, poll, maintenance];
  return {
    sales,
    release,
    poll,
    maintenance,
    all,
    close: async () => {
      await Promise.all(all().map((q) => q.close()));
    },
  };
}
