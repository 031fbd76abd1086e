import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { eventBody } from './eventBody.js';
import { lockUndispatched, markDispatched } from './store.js';

/**
 * Moves one batch of the outbox on: builds each event's body (once; retries send the same bytes),
 * creates its deliveries, in one transaction. Several dispatchers share the outbox (SKIP LOCKED).
 * Returns how many events and which endpoints now have work.
 */
export async function dispatchOutbox(pool: Pool, consoleBase: string, limit = 500): Promise<{ events: number; endpoints: number[] }> {
  return withTransaction(pool, async (db) => {
    const events = await lockUndispatched(db, limit);
    if (!events.length) return { events: 0, endpoints: [] };
    const endpoints = await markDispatched(
      db,
      events.map((e) => ({ seqId: e.seq_id, body: eventBody(e, consoleBase) })),
    );
    return { events: events.length, endpoints };
  });
}
