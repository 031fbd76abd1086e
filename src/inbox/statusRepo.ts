import type { Db } from '../db/pool.js';

// Every change of an inbox row's status is written here. The ledger's one write per batch embeds the
// first three as parts of its own statement (WITH ... AS (<these>)), so that a sale version, its entries
// and its inbox row change in one statement and one round trip; the inbox still owns what they do.

/** Marks done the inbox rows named by `source`'s `event_id` column (the applied sale versions). */
export const markDoneFrom = (source: string) =>
  `UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL FROM ${source} a WHERE sale_events.id = a.event_id`;

/**
 * Reopens, for each (ord, merchant_id, sale_id) of `source`, the sale's newest inbox row (the worker applies
 * it at once; the sweep queues it should that not happen). A row whose payload retention dropped cannot be
 * evaluated again and stays as it is. Yields (ord, id, sale_id).
 */
export const reopenNewestFrom = (source: string) => `UPDATE sale_events e SET status = 'received', processed_at = NULL, last_error = NULL, retry_at = NULL
         FROM ${source} f
        WHERE e.id = (SELECT l.id FROM sale_events l WHERE l.merchant_id = f.merchant_id AND l.sale_id = f.sale_id ORDER BY l.version DESC LIMIT 1)
          AND e.payload IS NOT NULL
       RETURNING f.ord, e.id, e.sale_id`;

/** Moves the inbox rows of `source`'s `event_id` to its `event_status`: done (stamped), or waiting (as they were). */
export const settleFrom = (source: string) => `UPDATE sale_events e SET status = i.event_status,
            processed_at = CASE WHEN i.event_status = 'done' THEN now() ELSE e.processed_at END,
            last_error = CASE WHEN i.event_status = 'done' THEN NULL ELSE e.last_error END
       FROM ${source} i WHERE e.id = i.event_id`;

/** A version already applied (a repeated delivery): its inbox rows are done, nothing else is written. */
export async function markEventsDone(db: Db, eventIds: number[]): Promise<void> {
  if (!eventIds.length) return;
  await db.query({
    name: 'inbox.markEventsDone',
    text: `UPDATE sale_events SET status = 'done', processed_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])`,
    values: [eventIds],
  });
}
