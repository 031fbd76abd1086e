import type { Db } from '../../db/pool.js';

export async function upsertCustomer(db: Db, merchantId: string, customer: { id: string; email?: string; mobile?: string }): Promise<void> {
  await db.query(
    `INSERT INTO customers (merchant_id, customer_id, email, mobile) VALUES ($1, $2, $3, $4)
     ON CONFLICT (merchant_id, customer_id) DO UPDATE
       SET email = COALESCE(excluded.email, customers.email), mobile = COALESCE(excluded.mobile, customers.mobile), updated_at = now()`,
    [merchantId, customer.id, customer.email ?? null, customer.mobile ?? null],
  );
}
