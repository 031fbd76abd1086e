import type { Db } from '../../db/pool.js';

export interface MerchantHealth {
  id: string;
  name: string;
  series: string;
  paused: boolean;
  needsReauth: boolean;
  lastWebhookAt: string | null;
  lastPollAt: string | null;
  pollError: string | null;
  failedEvents: number;
  waitingEvents: number;
  /** The oldest event still to process (not failed): now minus this is the intake's lag. */
  oldestOpenAt: string | null;
}

/** Merchants with what tells at a glance whether their sales are flowing. */
export async function merchantsWithHealth(db: Db, merchantId: string | null): Promise<MerchantHealth[]> {
  const { rows } = await db.query<MerchantHealth>(
    `SELECT m.id, m.name, m.series, m.paused, m.needs_reauth AS "needsReauth",
            (SELECT max(received_at) FROM sale_events e WHERE e.merchant_id = m.id AND e.source = 'webhook') AS "lastWebhookAt",
            p.last_success_at AS "lastPollAt", p.last_error AS "pollError",
            (SELECT count(*)::int FROM sale_events e WHERE e.merchant_id = m.id AND e.status = 'failed') AS "failedEvents",
            (SELECT count(*)::int FROM sale_events e WHERE e.merchant_id = m.id AND e.processed_at IS NULL AND e.status <> 'failed') AS "waitingEvents",
            (SELECT min(received_at) FROM sale_events e WHERE e.merchant_id = m.id AND e.processed_at IS NULL AND e.status <> 'failed') AS "oldestOpenAt"
       FROM merchants m LEFT JOIN poll_state p ON p.merchant_id = m.id
      WHERE $1::text IS NULL OR m.id = $1
      ORDER BY m.name`,
    [merchantId],
  );
  return rows;
}
