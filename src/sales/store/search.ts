import type { Db } from '../../db/pool.js';
import { searchKey } from '../searchKey.js';
import type { CustomerHit, SaleHit } from '../../contract/search.js';

// The answers' shapes are the contract's (src/contract/search.ts), which the console compiles against.
export type { CustomerHit, SaleHit };

export const saleSearchSql = `WITH hits AS (
         SELECT DISTINCT merchant_id, sale_id FROM sale_events
          WHERE ($2::text IS NULL OR merchant_id = $2) AND (sale_id = $1 OR receipt = $1)
          LIMIT $3
       )
       SELECT h.merchant_id AS "merchantId", m.name AS "merchantName", m.timezone AS "merchantTimezone", h.sale_id AS "saleId",
              (SELECT receipt FROM sale_events e WHERE e.merchant_id = h.merchant_id AND e.sale_id = h.sale_id AND receipt IS NOT NULL ORDER BY version DESC LIMIT 1) AS receipt,
              (SELECT max(received_at) FROM sale_events e WHERE e.merchant_id = h.merchant_id AND e.sale_id = h.sale_id) AS "receivedAt",
              s.customer_id AS "customerId",
              (SELECT n.name FROM customer_names n WHERE n.merchant_id = h.merchant_id AND n.customer_id = s.customer_id) AS "customerName",
              (SELECT decision->>'status' FROM decisions d WHERE d.merchant_id = h.merchant_id AND d.sale_id = h.sale_id AND d.applied ORDER BY d.id DESC LIMIT 1) AS status,
              s.points::int AS points
         FROM hits h JOIN merchants m ON m.id = h.merchant_id
         LEFT JOIN sale_state s ON s.merchant_id = h.merchant_id AND s.sale_id = h.sale_id
        ORDER BY "receivedAt" DESC`;

// Names are matched on their search keys (lower case, no accents; src/sales/searchKey.ts).
export const customerSearchSql = `WITH hits AS (
         (SELECT merchant_id, customer_id FROM customers
           WHERE ($2::text IS NULL OR merchant_id = $2) AND (lower(email) = lower($1) OR mobile = $3 OR customer_id = $1) LIMIT $4)
         UNION
         (SELECT merchant_id, customer_id FROM customer_names
           WHERE $5::text IS NOT NULL AND ($2::text IS NULL OR merchant_id = $2) AND (search_name LIKE $5 OR search_family LIKE $5) LIMIT $4)
       )
       SELECT h.merchant_id AS "merchantId", m.name AS "merchantName", h.customer_id AS "customerId", n.name, c.email, c.mobile,
              coalesce(c.available, 0)::float8 AS available, coalesce(c.pending, 0)::float8 AS pending
         FROM hits h JOIN merchants m ON m.id = h.merchant_id
         LEFT JOIN customers c ON c.merchant_id = h.merchant_id AND c.customer_id = h.customer_id
         LEFT JOIN customer_names n ON n.merchant_id = h.merchant_id AND n.customer_id = h.customer_id
        ORDER BY n.name NULLS LAST, h.merchant_id LIMIT $4`;

/** The parameters of the two search statements for the text typed. */
export function searchParams(q: string, merchantId: string | null, limit: number) {
  const phone = q.replace(/[\s().-]/g, '');
  // A name needs a letter and two characters; LIKE's own characters are taken literally.
  const key = searchKey(q);
  const namePrefix = /\p{L}/u.test(key) && key.length >= 2 ? `${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return { sales: [q, merchantId, limit], customers: [q, merchantId, phone, limit, namePrefix] };
}

/**
 * One search box for support: a Sale ID or a receipt number finds sales, an email, a phone number, a
 * customer id or the start of a customer's name (whole or family name, with or without its accents) finds
 * customers. `merchantId` limits it to one merchant (a merchant-scoped person always is).
 * Exact matches on indexed columns: fast at millions of sales (bench/console.ts).
 */
export async function search(db: Db, q: string, merchantId: string | null, limit = 20): Promise<{ sales: SaleHit[]; customers: CustomerHit[] }> {
  const params = searchParams(q, merchantId, limit);
  const [sales, customers] = await Promise.all([db.query<SaleHit>(saleSearchSql, params.sales), db.query<CustomerHit>(customerSearchSql, params.customers)]);
  return { sales: sales.rows, customers: customers.rows };
}
