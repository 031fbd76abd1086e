import type { MerchantFace } from '../../contract/common.js';
import type { CustomerEntry, CustomerSale, CustomerSummary } from '../../contract/customer.js';
import type { Db } from '../../db/pool.js';

export type { CustomerEntry, CustomerSale };

// The receipt is what a person reads of a sale (the Sale ID is Lightspeed's).
const entryColumns = `id::int, sale_id AS "saleId",
  (SELECT e.receipt FROM sale_events e WHERE e.merchant_id = ledger_entries.merchant_id AND e.sale_id = ledger_entries.sale_id AND e.receipt IS NOT NULL
    ORDER BY e.version DESC LIMIT 1) AS receipt,
  kind, points, status, available_at AS "availableAt", note, actor, created_at AS "createdAt", released_at AS "releasedAt"`;

/** The customer's name and the points still pending, each with the day it is released. */
export async function customerSummary(db: Db, merchant: MerchantFace, customerId: string): Promise<CustomerSummary> {
  const merchantId = merchant.id;
  const [name, pending] = await Promise.all([
    db.query<{ name: string }>(`SELECT name FROM customer_names WHERE merchant_id = $1 AND customer_id = $2`, [merchantId, customerId]),
    db.query<CustomerEntry>(
      `SELECT ${entryColumns} FROM ledger_entries WHERE merchant_id = $1 AND customer_id = $2 AND status = 'pending' ORDER BY available_at, id LIMIT 200`,
      [merchantId, customerId],
    ),
  ]);
  return { merchant, customerId, name: name.rows[0]?.name ?? null, pending: pending.rows };
}

/** One page of the customer's history, newest first; `before` is the last id of the previous page. */
export async function customerHistory(db: Db, merchantId: string, customerId: string, page: { before?: number; limit: number }) {
  const { rows } = await db.query<CustomerEntry>(
    `SELECT ${entryColumns} FROM ledger_entries
      WHERE merchant_id = $1 AND customer_id = $2 AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [merchantId, customerId, page.before ?? null, page.limit + 1],
  );
  const entries = rows.slice(0, page.limit);
  return { entries, next: rows.length > page.limit ? (entries.at(-1)?.id ?? null) : null };
}

/** One page of the customer's sales (the ones the ledger holds), newest first. */
export async function customerSales(db: Db, merchantId: string, customerId: string, page: { offset: number; limit: number }) {
  const { rows } = await db.query<CustomerSale>(
    `SELECT s.sale_id AS "saleId", s.points, s.original_sale_id AS "originalSaleId", d.status,
            coalesce(p.completed_at, d.created_at) AS "completedAt",
            (SELECT e.receipt FROM sale_events e WHERE e.merchant_id = s.merchant_id AND e.sale_id = s.sale_id AND e.receipt IS NOT NULL ORDER BY e.version DESC LIMIT 1) AS receipt
       FROM sale_state s
       LEFT JOIN decisions d ON d.id = s.decision_id
       LEFT JOIN sale_snapshots p ON p.merchant_id = s.merchant_id AND p.sale_id = s.sale_id
      WHERE s.merchant_id = $1 AND s.customer_id = $2
      ORDER BY "completedAt" DESC NULLS LAST, s.sale_id
      LIMIT $3 OFFSET $4`,
    [merchantId, customerId, page.limit + 1, page.offset],
  );
  const sales = rows.slice(0, page.limit);
  return { sales, next: rows.length > page.limit ? page.offset + page.limit : null };
}

/** The balance and the newest 500 ledger entries of a customer (null: never seen). */
export async function customerView(db: Db, merchantId: string, customerId: string) {
  // Balances are bigint (a sum of 32-bit entries passes 2^31): read as float8, exact below 2^53, never ::int.
  const customer = await db.query(
    `SELECT customer_id AS "customerId", email, mobile, available::float8 AS available, pending::float8 AS pending, updated_at AS "updatedAt" FROM customers WHERE merchant_id = $1 AND customer_id = $2`,
    [merchantId, customerId],
  );
  if (!customer.rows[0]) return null;
  const entries = await db.query(
    `SELECT id, sale_id AS "saleId", kind, points, status, available_at AS "availableAt", note, actor, created_at AS "createdAt", released_at AS "releasedAt"
       FROM ledger_entries WHERE merchant_id = $1 AND customer_id = $2 ORDER BY id DESC LIMIT 500`,
    [merchantId, customerId],
  );
  return { ...customer.rows[0], entries: entries.rows };
}
