import type { Db } from '../../db/pool.js';

/** A merchant's endpoint the delivery turned off because every attempt failed for too long. */
export interface FailingDisabledEndpoint {
  merchantId: string;
  id: number;
  url: string;
  description: string;
  disabledAt: string;
  failingSince: string | null;
}

/**
 * The endpoints of these merchants that are off for failing (src/events/drainEndpoint.ts), read for the
 * insights detector: a store of its own, so that insights reads them without importing the events module.
 * Read only; a platform-wide endpoint (no merchant) is no merchant's alert. One statement per chunk of
 * merchants (webhook_endpoints_merchant index).
 */
export async function failingDisabledEndpoints(db: Db, merchantIds: string[]): Promise<FailingDisabledEndpoint[]> {
  const { rows } = await db.query<{ merchant_id: string; id: number; url: string; description: string; disabled_at: Date; failing_since: Date | null }>({
    name: 'events.failingDisabledEndpoints',
    text: `SELECT merchant_id, id::int, url, description, coalesce(disabled_at, updated_at) AS disabled_at, failing_since FROM webhook_endpoints
            WHERE merchant_id = ANY($1::text[]) AND NOT enabled AND disabled_reason = 'failing' ORDER BY merchant_id, id`,
    values: [merchantIds],
  });
  return rows.map((r) => ({
    merchantId: r.merchant_id,
    id: r.id,
    url: r.url,
    description: r.description,
    disabledAt: r.disabled_at.toISOString(),
    failingSince: r.failing_since?.toISOString() ?? null,
  }));
}
