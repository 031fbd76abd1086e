import type { Db } from '../../db/pool.js';

/** A merchant's outlets and registers as Lightspeed listed them (table merchant_outlets, written only here). */
export interface OutletRow {
  kind: 'outlet' | 'register';
  refId: string;
}

export async function readMerchantOutlets(db: Db, merchantId: string): Promise<OutletRow[]> {
  const { rows } = await db.query<{ kind: OutletRow['kind']; ref_id: string }>(`SELECT kind, ref_id FROM merchant_outlets WHERE merchant_id = $1`, [
    merchantId,
  ]);
  return rows.map((r) => ({ kind: r.kind, refId: r.ref_id }));
}

export async function addMerchantOutlets(db: Db, merchantId: string, rows: OutletRow[]): Promise<void> {
  if (!rows.length) return;
  await db.query(
    `INSERT INTO merchant_outlets (merchant_id, kind, ref_id)
     SELECT $1, r.kind, r.id FROM jsonb_to_recordset($2::jsonb) AS r(kind text, id text)
     ON CONFLICT DO NOTHING`,
    [merchantId, JSON.stringify(rows.map((r) => ({ kind: r.kind, id: r.refId })))],
  );
}
