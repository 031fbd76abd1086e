import type { Db } from '../../db/pool.js';

export interface LocationKey {
  merchantId: string;
  shopId: string;
}

export async function getLocation(db: Db, key: LocationKey): Promise<{ name: string; region: string } | null> {
  return (
    (
      await db.query<{ name: string; region: string }>(`SELECT name, region FROM locations WHERE merchant_id = $1 AND shop_id = $2`, [
        key.merchantId,
        key.shopId,
      ])
    ).rows[0] ?? null
  );
}

export async function upsertLocation(db: Db, key: LocationKey, input: { name: string; region: string }): Promise<void> {
  await db.query(
    `INSERT INTO locations (merchant_id, shop_id, name, region) VALUES ($1, $2, $3, $4)
     ON CONFLICT (merchant_id, shop_id) DO UPDATE SET name = excluded.name, region = excluded.region`,
    [key.merchantId, key.shopId, input.name, input.region],
  );
}
