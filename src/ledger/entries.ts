import type { Db } from '../db/pool.js';
import { moveBalance } from './balances.js';

export interface NewEntry {
  merchantId: string;
  customerId: string;
  saleId: string | null;
  kind: 'earn' | 'reverse' | 'adjust';
  points: number;
  status: 'pending' | 'posted';
  availableAt: string | Date;
  decisionId: number | null;
  /** Derived from what caused the entry; UNIQUE per merchant, so a cause can post once. */
  idempotencyKey: string;
  note?: string;
  actor?: string;
}

/** Writes one entry and moves the balance; a repeated key writes nothing and returns false. */
export async function writeEntry(db: Db, e: NewEntry): Promise<boolean> {
  if (e.points === 0) return false;
  const { rowCount } = await db.query(
    `INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, decision_id, idempotency_key, note, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (merchant_id, idempotency_key) DO NOTHING`,
    [e.merchantId, e.customerId, e.saleId, e.kind, e.points, e.status, e.availableAt, e.decisionId, e.idempotencyKey, e.note ?? null, e.actor ?? null],
  );
  if (!rowCount) return false;
  await moveBalance(db, e.merchantId, e.customerId, e.status === 'pending' ? { pending: e.points } : { available: e.points });
  return true;
}

/** Points of a sale still pending, and the latest time they become available. */
export async function pendingOfSale(db: Db, merchantId: string, saleId: string): Promise<{ points: number; latest: Date | null }> {
  const { rows } = await db.query<{ points: number | null; latest: Date | null }>(
    `SELECT sum(points)::int AS points, max(available_at) AS latest FROM ledger_entries
      WHERE merchant_id = $1 AND sale_id = $2 AND status = 'pending'`,
    [merchantId, saleId],
  );
  return { points: rows[0]?.points ?? 0, latest: rows[0]?.latest ?? null };
}
