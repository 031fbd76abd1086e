import type { Actor } from '../access/authenticate.js';
import { writeAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { withTransaction } from '../db/pool.js';
import { reopenEvents, type EventFilter } from '../inbox/repo.js';
import { requeueSaleEvents } from '../queue/enqueue.js';

/**
 * Reopens a merchant's inbox events that `filter` takes, audited in the same transaction, then queues them.
 * The ledger's idempotency keys make a replay of anything already credited credit nothing more. Returns
 * how many were reopened.
 */
export async function replayEvents(
  ctx: Pick<AppContext, 'pool' | 'queues' | 'logger'>,
  actor: Actor,
  merchantId: string,
  filter: EventFilter,
): Promise<number> {
  const reopened = await withTransaction(ctx.pool, async (db) => {
    const rows = await reopenEvents(db, merchantId, filter);
    await writeAudit(db, {
      actor,
      merchantId,
      action: 'events.replay',
      entity: 'sale_event',
      entityId: rows.length === 1 ? String(rows[0]!.id) : null,
      after: { filter, eventIds: rows.map((r) => r.id) },
    });
    return rows;
  });
  // Rows are back to received before the jobs exist; a queue failure here is picked up by the sweeper.
  await requeueSaleEvents(
    ctx.queues,
    reopened.map((r) => ({ eventId: r.id, merchantId, saleId: r.saleId })),
  ).catch((err: unknown) => {
    ctx.logger.warn({ err, merchantId }, 'replay: could not queue now; the sweeper will');
  });
  return reopened.length;
}
