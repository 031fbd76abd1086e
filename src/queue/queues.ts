import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
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

export function createQueues(connection: Redis, prefix: string): Queues {
  const make = (name: string) => new Queue(name, { connection, prefix, defaultJobOptions });
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
