import type { Db, DedicatedClient } from '../db/pool.js';

/** The channel `sale_event_relay`'s statement trigger notifies (migration 1732700000100). */
export const RELAY_CHANNEL = 'sale_event_relay';

export interface RelayedEvent {
  id: number;
  merchant_id: string;
  sale_id: string;
  receipt: string | null;
  /** Done already (the sweeper or a replay queued it first): taken out, not queued again. */
  processed: boolean;
}

/**
 * Takes up to `limit` committed relay ids, oldest first, out of the relay table (inside the caller's
 * transaction: rolled back, they stay) with their inbox rows' state and what names their job. SKIP LOCKED: two worker processes relay different rows.
 */
export async function takeRelayed(db: Db, limit: number): Promise<RelayedEvent[]> {
  const { rows } = await db.query<RelayedEvent>(
    `WITH taken AS (
       DELETE FROM sale_event_relay
        WHERE event_id IN (SELECT event_id FROM sale_event_relay ORDER BY event_id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING event_id
     )
     SELECT e.id, e.merchant_id, e.sale_id, e.receipt, e.processed_at IS NOT NULL AS processed
       FROM taken t JOIN sale_events e ON e.id = t.event_id
      ORDER BY e.id`,
    [limit],
  );
  return rows;
}

/** Subscribes a dedicated connection to the relay's notifications. */
export async function listenForRelayed(client: DedicatedClient): Promise<void> {
  await client.query(`LISTEN ${RELAY_CHANNEL}`);
}

/** How many ids wait for the relay (tests, diagnosis). */
export async function countRelayed(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sale_event_relay`);
  return rows[0]!.n;
}
