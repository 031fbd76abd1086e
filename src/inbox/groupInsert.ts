import { Batcher } from '../batcher.js';
import type { Pool } from '../db/pool.js';
import { insertSaleEvents, type NewSaleEvent, type StoredEvent } from './repo.js';

/** PostgreSQL refused a value (SQLSTATE class 22 data exception, 54 program limit): that row, not its batch. */
const isDataError = (error: unknown) => /^(22|54)/.test(String((error as { code?: unknown }).code ?? ''));

/**
 * The webhook's inbox writes, grouped: deliveries arriving together are stored by one statement and
 * one commit, which also hands them to the inbox relay (src/inbox/relay.ts: the worker role queues
 * their jobs). Should PostgreSQL refuse one payload, the batch is stored again row by row, so only that
 * delivery fails.
 */
export function inboxGroupInsert(pool: Pool): Batcher<NewSaleEvent, StoredEvent> {
  return new Batcher(async (events) => {
    try {
      return await insertSaleEvents(pool, events, { relay: true });
    } catch (error) {
      if (events.length === 1 || !isDataError(error)) throw error;
      return Promise.all(
        events.map((e) =>
          insertSaleEvents(pool, [e], { relay: true })
            .then(([stored]) => stored!)
            .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
        ),
      );
    }
  }, 100);
}
