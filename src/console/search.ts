import type { Db } from '../db/pool.js';

export interface SaleHit {
  merchantId: string;
  merchantName: string;
  saleId: string;
  receipt: string | null;
  receivedAt: string;
  customerId: string | null;
  status: string | null;
  points: number | null;
}

export interface CustomerHit {
  merchantId: string;
  merchantName: string;
  customerId: string;
  email: string | null;
  mobile: string | null;
  available: number;
  pending: number;
}

/**
 * One search box for support: a Sale ID or a receipt number finds sales, an email, a phone number or a
 * customer id finds customers. `merchantId` limits it to one merchant (a merchant-scoped person always is).
 * Exact matches on indexed columns: fast at millions of sales.
 */
export async function search(db: Db, q: string, merchantId: string | null, limit = 20): Promise<{ sales: SaleHit[]; customers: CustomerHit[] }> {
  const phone = q.replace(/[\s().-]/g, '');
  const [sales, customers] = await Promise.all([
    db.query<SaleHit>(
      `WITH hits AS (
         SELECT DISTINCT merchant_id, sale_id FROM sale_events
          WHERE ($2::text IS NULL OR merchant_id = $2) AND (sale_id = $1 OR receipt = $1)
          LIMIT $3
       )
       SELECT h.merchant_id AS "merchantId", m.name AS "merchantName", h.sale_id AS "saleId",
              (SELECT receipt FROM sale_events e WHERE e.merchant_id = h.merchant_id AND e.sale_id = h.sale_id AND receipt IS NOT NULL ORDER BY version DESC LIMIT 1) AS receipt,
              (SELECT max(received_at) FROM sale_events e WHERE e.merchant_id = h.merchant_id AND e.sale_id = h.sale_id) AS "receivedAt",
              s.customer_id AS "customerId",
              (SELECT decision->>'status' FROM decisions d WHERE d.merchant_id = h.merchant_id AND d.sale_id = h.sale_id AND d.applied ORDER BY d.id DESC LIMIT 1) AS status,
              s.points::int AS points
         FROM hits h JOIN merchants m ON m.id = h.merchant_id
         LEFT JOIN sale_state s ON s.merchant_id = h.merchant_id AND s.sale_id = h.sale_id
        ORDER BY "receivedAt" DESC`,
      [q, merchantId, limit],
    ),
    db.query<CustomerHit>(
      `SELECT c.merchant_id AS "merchantId", m.name AS "merchantName", c.customer_id AS "customerId", c.email, c.mobile, c.available::float8 AS available, c.pending::float8 AS pending
         FROM customers c JOIN merchants m ON m.id = c.merchant_id
        WHERE ($2::text IS NULL OR c.merchant_id = $2) AND (lower(c.email) = lower($1) OR c.mobile = $3 OR c.customer_id = $1)
        ORDER BY c.merchant_id LIMIT $4`,
      [q, merchantId, phone, limit],
    ),
  ]);
  return { sales: sales.rows, customers: customers.rows };
}

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
}

/** Merchants with what tells at a glance whether their sales are flowing. */
export async function merchantsWithHealth(db: Db, merchantId: string | null): Promise<MerchantHealth[]> {
  const { rows } = await db.query<MerchantHealth>(
    `SELECT m.id, m.name, m.series, m.paused, m.needs_reauth AS "needsReauth",
            (SELECT max(received_at) FROM sale_events e WHERE e.merchant_id = m.id AND e.source = 'webhook') AS "lastWebhookAt",
            p.last_success_at AS "lastPollAt", p.last_error AS "pollError",
            (SELECT count(*)::int FROM sale_events e WHERE e.merchant_id = m.id AND e.status = 'failed') AS "failedEvents",
            (SELECT count(*)::int FROM sale_events e WHERE e.merchant_id = m.id AND e.processed_at IS NULL AND e.status <> 'failed') AS "waitingEvents"
       FROM merchants m LEFT JOIN poll_state p ON p.merchant_id = m.id
      WHERE $1::text IS NULL OR m.id = $1
      ORDER BY m.name`,
    [merchantId],
  );
  return rows;
}
