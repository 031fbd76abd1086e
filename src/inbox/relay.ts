import type { AppContext } from '../context.js';
import { connectDedicated, withTransaction, type DedicatedClient } from '../db/pool.js';
import { LogThrottle } from '../logThrottle.js';
import { enqueueSaleEvents } from '../queue/enqueue.js';
import { listenForRelayed, takeRelayed } from './relayRepo.js';

/** Ids queued per transaction and `addBulk` at most. */
export const RELAY_BATCH = 500;
/**
 * The relay also looks on this timer: notifications are lost while its connection is down, and ids whose
 * enqueue failed (Redis away) wait for a pass that is not triggered by a new delivery.
 */
export const RELAY_POLL_MS = 1_000;
/** How long a notification waits for others before its pass starts. */
export const RELAY_GATHER_MS = 10;

export class RelayEnqueueError extends Error {
  override name = 'RelayEnqueueError';
}

/**
 * One pass of the inbox relay: committed relay ids (stored with their inbox rows by the webhook's group
 * insert) go to the sales queue, oldest first, batch by batch, until none is left. Each batch is taken
 * and queued in one transaction: if Redis refuses, it rolls back and the ids stay for the next pass.
 * Job ids come from event ids, so an id queued twice (a crash after the add, before the commit) is one
 * job. Returns how many were queued.
 */
export async function relayInbox(ctx: Pick<AppContext, 'pool' | 'queues'>, batch = RELAY_BATCH): Promise<number> {
  let queued = 0;
  for (;;) {
    const taken = await withTransaction(ctx.pool, async (tx) => {
      const rows = await takeRelayed(tx, batch);
      const open = rows.filter((r) => !r.processed);
      if (open.length) {
        const refs = open.map((r) => ({ eventId: r.id, merchantId: r.merchant_id, saleId: r.sale_id, receipt: r.receipt }));
        if (!(await enqueueSaleEvents(ctx.queues, refs, 5_000))[0]) throw new RelayEnqueueError('could not enqueue (Redis unavailable?)');
        queued += open.length;
      }
      return rows.length;
    });
    if (taken < batch) return queued;
  }
}

export interface InboxRelay {
  /** Runs a pass now (or right after the one in flight). */
  wake(): void;
  close(): Promise<void>;
}

/**
 * The worker role's inbox relay: a pass whenever deliveries commit (LISTEN on the relay table's
 * notification) and every RELAY_POLL_MS. The webhook answers once its inbox row is committed, and no
 * longer waits for Redis: the relay takes the BullMQ add off the API's request path. Passes never overlap
 * in a process; notifications during one make one more.
 */
export function startInboxRelay(ctx: Pick<AppContext, 'pool' | 'queues' | 'logger'>, opts: { pollMs?: number; gatherMs?: number } = {}): InboxRelay {
  const pollMs = opts.pollMs ?? RELAY_POLL_MS;
  const gatherMs = opts.gatherMs ?? RELAY_GATHER_MS;
  const throttle = new LogThrottle(ctx.logger);
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listener: DedicatedClient | undefined;
  let relisten: NodeJS.Timeout | undefined;

  const pass = async () => {
    do {
      again = false;
      try {
        await relayInbox(ctx);
      } catch (error) {
        // PostgreSQL or Redis away: the ids stay in the relay table; the timer tries again.
        throttle.log('inbox-relay', 'warn', { err: (error as Error).message }, 'inbox relay: could not queue committed deliveries; will retry');
        return;
      }
    } while (again && !closed);
  };
  // Notifications arrive per committed group of deliveries: at a steady few hundred a second that is a
  // relay transaction (and a commit) per delivery or two in each worker. Gathering them for a few
  // milliseconds makes a pass carry tens of ids for a few ms of latency.
  let gathering: NodeJS.Timeout | undefined;
  const start = () => {
    gathering = undefined;
    if (closed) return;
    running = pass().finally(() => (running = null));
  };
  const wake = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    gathering ??= setTimeout(start, gatherMs);
  };

  const drop = (client: DedicatedClient) => {
    if (listener !== client) return;
    listener = undefined;
    void client.end().catch(() => undefined);
    if (!closed) relisten = setTimeout(() => void listen(), pollMs);
  };
  const listen = async () => {
    let client: DedicatedClient | undefined;
    try {
      client = await connectDedicated(ctx.pool);
      const own = client;
      own.on('notification', wake);
      // A lost connection (PostgreSQL restarted) is replaced; the timer covers the gap.
      own.on('error', () => drop(own));
      own.on('end', () => drop(own));
      listener = own;
      await listenForRelayed(own);
      if (closed) await own.end();
      else wake(); // ids committed while nobody listened
    } catch (error) {
      throttle.log('inbox-relay-listen', 'warn', { err: (error as Error).message }, 'inbox relay: cannot listen for deliveries; polling meanwhile');
      if (client) drop(client);
      else if (!closed) relisten = setTimeout(() => void listen(), pollMs);
    }
  };
  void listen();
  const timer = setInterval(wake, pollMs);
  timer.unref();

  return {
    wake,
    async close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(gathering);
      clearTimeout(relisten);
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => undefined);
      await running;
    },
  };
}
