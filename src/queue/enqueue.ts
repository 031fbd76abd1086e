import type { Queues } from './queues.js';
import { saleJobId } from './jobs.js';

/**
 * Queues an inbox event for the sales worker. Never throws: when Redis is away the inbox row is
 * already safe in Postgres and the sweeper enqueues it later. Returns whether it was queued.
 */
export async function enqueueSaleEvent(queues: Queues, eventId: number, timeoutMs = 1_000): Promise<boolean> {
  return (await enqueueSaleEvents(queues, [eventId], timeoutMs))[0]!;
}

/** Many at once, in one round trip (the webhook's group commit); the same never-throw contract. */
export async function enqueueSaleEvents(queues: Queues, eventIds: number[], timeoutMs = 1_000): Promise<boolean[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queues.sales.addBulk(eventIds.map((eventId) => ({ name: 'sale', data: { eventId }, opts: { jobId: saleJobId(eventId) } }))),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), timeoutMs);
      }),
    ]);
    return eventIds.map(() => true);
  } catch {
    return eventIds.map(() => false);
  } finally {
    clearTimeout(timer);
  }
}
