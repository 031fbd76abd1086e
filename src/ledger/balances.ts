import type { Db } from '../db/pool.js';

export async function upsertCustomer(db: Db, merchantId: string, customer: { id: string; email?: string; mobile?: string }): Promise<void> {
  await db.query(
    `INSERT INTO customers (merchant_id, customer_id, email, mobile) VALUES ($1, $2, $3, $4)
     ON CONFLICT (merchant_id, customer_id) DO UPDATE
       SET email = COALESCE(excluded.email, customers.email), mobile = COALESCE(excluded.mobile, customers.mobile), updated_at = now()`,
    [merchantId, customer.id, customer.email ?? null, customer.mobile ?? null],
  );
}

/** Balances move in the same transaction as the entries that explain them. */
export async function moveBalance(db: Db, merchantId: string, customerId: string, delta: { available?: number; pending?: number }): Promise<void> {
  await db.query(
    `INSERT INTO customers (merchant_id, customer_id, available, pending) VALUES ($1, $2, $3, $4)
     ON CONFLICT (merchant_id, customer_id) DO UPDATE
       SET available = customers.available + excluded.available, pending = customers.pending + excluded.pending, updated_at = now()`,
    [merchantId, customerId, delta.available ?? 0, delta.pending ?? 0],
  );
}
