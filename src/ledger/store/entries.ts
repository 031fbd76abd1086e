import type { Db } from '../../db/pool.js';

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

/** Writes one entry and moves the balance in one statement; a repeated key writes nothing and returns false. */
export async function writeEntry(db: Db, e: NewEntry): Promise<boolean> {
  if (e.points === 0) return false;
  const { rows } = await db.query<{ inserted: boolean }>(
    `WITH e AS (
       INSERT INTO ledger_entries (merchant_id, customer_id, sale_id, kind, points, status, available_at, decision_id, idempotency_key, note, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
       RETURNING points, status
     ), c AS (
       INSERT INTO customers (merchant_id, customer_id, available, pending)
       SELECT $1, $2, CASE WHEN status = 'posted' THEN points ELSE 0 END, CASE WHEN status = 'pending' THEN points ELSE 0 END FROM e
       ON CONFLICT (merchant_id, customer_id) DO UPDATE
         SET available = customers.available + excluded.available, pending = customers.pending + excluded.pending, updated_at = now()
     )
     SELECT EXISTS (SELECT 1 FROM e) AS inserted`,
    [e.merchantId, e.customerId, e.saleId, e.kind, e.points, e.status, e.availableAt, e.decisionId, e.idempotencyKey, e.note ?? null, e.actor ?? null],
  );
  return rows[0]!.inserted;
}
