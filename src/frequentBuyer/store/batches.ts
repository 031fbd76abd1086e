import type { Db } from '../../db/pool.js';

export interface BatchRow {
  id: number;
  createdBy: string;
  createdAt: Date;
  creditReference: string | null;
  creditedAt: Date | null;
}

/** A batch of `distributorId`'s; null for another distributor's, as if it did not exist. */
export async function getDistributorBatch(db: Db, distributorId: number, batchId: number): Promise<BatchRow | null> {
  const { rows } = await db.query<BatchRow>(
    `SELECT id::int, created_by AS "createdBy", created_at AS "createdAt", credit_reference AS "creditReference", credited_at AS "creditedAt" FROM claim_batches WHERE id = $1 AND distributor_id = $2`,
    [batchId, distributorId],
  );
  return rows[0] ?? null;
}

export async function insertBatch(db: Db, distributorId: number, createdBy: string): Promise<number> {
  return (
    await db.query<{ id: number }>(`INSERT INTO claim_batches (distributor_id, created_by) VALUES ($1, $2) RETURNING id::int`, [distributorId, createdBy])
  ).rows[0]!.id;
}

/** Marks the batch credited; false when it was credited already. */
export async function markBatchCredited(db: Db, batchId: number, creditReference: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE claim_batches SET credited_at = now(), credit_reference = $2 WHERE id = $1 AND credited_at IS NULL`, [
    batchId,
    creditReference,
  ]);
  return !!rowCount;
}
