import type { Db } from '../../db/pool.js';

export interface DistributorRow {
  id: number;
  name: string;
  regions: string[];
  requiresAccountNumber: boolean;
  isHolding: boolean;
}

const DISTRIBUTOR_COLUMNS = `id::int, name, regions, requires_account_number AS "requiresAccountNumber", is_holding AS "isHolding"`;

export async function insertDistributor(db: Db, input: { name: string; regions: string[]; requiresAccountNumber: boolean }): Promise<DistributorRow> {
  const { rows } = await db.query<DistributorRow>(
    `INSERT INTO distributors (name, regions, requires_account_number) VALUES ($1, $2, $3) RETURNING ${DISTRIBUTOR_COLUMNS}`,
    [input.name, input.regions, input.requiresAccountNumber],
  );
  return rows[0]!;
}

export async function listDistributors(db: Db): Promise<DistributorRow[]> {
  return (await db.query<DistributorRow>(`SELECT ${DISTRIBUTOR_COLUMNS} FROM distributors ORDER BY id`)).rows;
}

export async function getDistributor(db: Db, id: number): Promise<DistributorRow | null> {
  return (await db.query<DistributorRow>(`SELECT ${DISTRIBUTOR_COLUMNS} FROM distributors WHERE id = $1`, [id])).rows[0] ?? null;
}

/** Temporary Holding: the one distributor row that stands for "no distributor serves this location". */
export async function getHoldingDistributorId(db: Db): Promise<number> {
  return (await db.query<{ id: number }>(`SELECT id::int FROM distributors WHERE is_holding`)).rows[0]!.id;
}
