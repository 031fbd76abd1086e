import type { MerchantHealth } from '../../contract/search.js';
import type { Db } from '../../db/pool.js';

// The answer's shape is the contract's (src/contract/search.ts), which the console compiles against.
export type { MerchantHealth };

/** Merchants with what tells at a glance whether their sales are flowing. */
export async function merchantsWithHealth(db: Db, merchantId: string | null): Promise<MerchantHealth[]> {
  const { rows } = await db.query<MerchantHealth>(
    `SELECT m.id, m.name, m.series, m.timezone, m.paused, m.needs_reauth AS "needsReauth",
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
