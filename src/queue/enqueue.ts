import type { Queues } from './queues.js';
import { saleJobId, type BackfillJob } from './jobs.js';
import { queuedSaleJobIds, saleJobStates } from './saleJobStates.js';

/** An inbox event to queue, with what lets a person find its job on the queue dashboard. */
export interface SaleJobRef {
  eventId: number;
  merchantId?: string;
  saleId?: string;
  /** The receipt (invoice or ticket) number the store printed, when known. */
  receipt?: string | null;
}

/**
 * The job's name on bull-board: "sale <merchant> <sale id> #<receipt>", so an admin finds a sale's job by
 * any of the three. The job's data stays the event id alone: PostgreSQL holds the rest.
 */
export function saleJobName(ref: SaleJobRef): string {
  if (!ref.merchantId || !ref.saleId) return 'sale';
  return `sale ${ref.merchantId} ${ref.saleId}${ref.receipt ? ` #${ref.receipt}` : ''}`.slice(0, 200);
}

const asRef = (item: number | SaleJobRef): SaleJobRef => (typeof item === 'number' ? { eventId: item } : item);

/**
 * Queues an inbox event for the sales worker. Never throws: when Redis is away the inbox row is
 * already safe in Postgres and the sweeper enqueues it later. Returns whether it was queued.
 */
export async function enqueueSaleEvent(queues: Queues, item: number | SaleJobRef, timeoutMs = 1_000): Promise<boolean> {
  return (await enqueueSaleEvents(queues, [item], timeoutMs))[0]!;
}

/** Many at once, in one round trip (the webhook's group commit); the same never-throw contract. */
export async function enqueueSaleEvents(queues: Queues, items: Array<number | SaleJobRef>, timeoutMs = 1_000): Promise<boolean[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queues.sales.addBulk(
        items.map(asRef).map((ref) => ({ name: saleJobName(ref), data: { eventId: ref.eventId }, opts: { jobId: saleJobId(ref.eventId) } })),
      ),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), timeoutMs);
      }),
    ]);
    return items.map(() => true);
  } catch {
    return items.map(() => false);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Queues events again whatever their job did before (a replay, a failed event whose cause is fixed): a
 * finished or failed job of the same id is removed first, since BullMQ keeps one job per id; a job still
 * waiting or running is left to do the work. Returns how many are (now) queued.
 */
export async function requeueSaleEvents(queues: Queues, items: SaleJobRef[], timeoutMs = 5_000): Promise<number> {
  const fresh: SaleJobRef[] = [];
  let queued = 0;
  const states = await saleJobStates(
    queues,
    items.map((ref) => ref.eventId),
    await queuedSaleJobIds(queues),
  );
  for (const ref of items) {
    const s = states.get(ref.eventId)!;
    if (s.state === 'queued') {
      queued += 1;
      continue;
    }
    if (s.state !== 'missing') await s.job.remove();
    fresh.push(ref);
  }
  if (fresh.length) queued += (await enqueueSaleEvents(queues, fresh, timeoutMs)).filter(Boolean).length;
  return queued;
}

/**
 * A backfill of a merchant's sales in a time window (ISO instants), on the poll queue: the one place one
 * is queued (the backfill route, a new connection's first history). A one-off that waits out rate limits
 * and retries with backoff, unlike the scheduled polls.
 */
export async function enqueueBackfill(queues: Pick<Queues, 'poll'>, backfill: Omit<BackfillJob, 'resume'>): Promise<void> {
  await queues.poll.add('backfill', backfill, { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } });
}
