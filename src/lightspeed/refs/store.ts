import type { Db } from '../../db/pool.js';

/** Lists read only for their names (the Insights page's attach rate), never needed to decide a sale. */
export type NameKind = 'cashier' | 'register' | 'outlet';
/** What a stored reference row is: a category, a customer segment, a product, or a name. */
export type RefKind = 'category' | 'segment' | 'product' | NameKind;

/** Every reference row stored for a merchant. */
export async function readStoredRefs(db: Db, merchantId: string): Promise<Array<{ kind: RefKind; ref_id: string; data: Record<string, unknown> }>> {
  const { rows } = await db.query<{ kind: RefKind; ref_id: string; data: Record<string, unknown> }>(
    `SELECT kind, ref_id, data FROM lightspeed_refs WHERE merchant_id = $1`,
    [merchantId],
  );
  return rows;
}

/** When each whole list (categories, segments) was last loaded for a merchant, in epoch milliseconds. */
export async function readRefLoads(db: Db, merchantId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ kind: string; loaded_at: Date }>(`SELECT kind, loaded_at FROM lightspeed_ref_loads WHERE merchant_id = $1`, [merchantId]);
  return new Map(rows.map((r) => [r.kind, r.loaded_at.getTime()]));
}

export async function upsertRefs(db: Db, merchantId: string, kind: RefKind, items: Array<[string, Record<string, unknown>]>): Promise<void> {
  await db.query(
    `INSERT INTO lightspeed_refs (merchant_id, kind, ref_id, data)
     SELECT $1, $2, r.id, r.data FROM jsonb_to_recordset($3::jsonb) AS r(id text, data jsonb)
     ON CONFLICT (merchant_id, kind, ref_id) DO UPDATE SET data = excluded.data, fetched_at = now()`,
    [merchantId, kind, JSON.stringify(items.map(([id, data]) => ({ id, data })))],
  );
}

/** A whole list was loaded now (what the TTL counts from). */
export async function markRefListLoaded(db: Db, merchantId: string, kind: RefKind): Promise<void> {
  await db.query(
    `INSERT INTO lightspeed_ref_loads (merchant_id, kind, loaded_at) VALUES ($1, $2, now())
     ON CONFLICT (merchant_id, kind) DO UPDATE SET loaded_at = now()`,
    [merchantId, kind],
  );
}
