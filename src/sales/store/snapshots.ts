import type { Db } from '../../db/pool.js';
import type { Sale } from '../../rules/sale.js';
import { searchKey } from '../searchKey.js';

/**
 * Keeps the newest canonical sale of each sale id (an older version arriving late changes nothing), for
 * the rules preview to re-evaluate with draft rules; and the customer's name, for support's search.
 */
export async function recordSaleSnapshot(db: Db, sale: Sale): Promise<void> {
  await recordSaleSnapshots(db, [sale]);
}

/** The same for many sales in one statement (the sales worker's batch); of two versions of one sale, the newer. */
export async function recordSaleSnapshots(db: Db, sales: Sale[]): Promise<void> {
  const newest = new Map<string, Sale>();
  for (const sale of sales) {
    const key = `${sale.merchantId}\u0000${sale.saleId}`;
    if ((newest.get(key)?.version ?? -1) <= sale.version) newest.set(key, sale);
  }
  if (!newest.size) return;
  const rows = [...newest.values()].map((s) => ({ merchant_id: s.merchantId, sale_id: s.saleId, version: s.version, completed_at: s.completedAt, sale: s }));
  // The customers' names in the same statement (they were one statement, round trip and commit per named
  // customer of the batch), sorted so that two workers lock the same rows in the same order.
  const names = [...new Map(sales.filter((s) => s.customer?.name).map((s) => [`${s.merchantId}\u0000${s.customer!.id}`, s])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => {
      const c = s.customer!;
      return {
        merchant_id: s.merchantId,
        customer_id: c.id,
        name: c.name,
        family_name: c.familyName ?? null,
        search_name: searchKey(c.name!),
        search_family: c.familyName ? searchKey(c.familyName) : null,
      };
    });
  await db.query({
    name: 'console.recordSaleSnapshots',
    text: `WITH snapshots AS (
             INSERT INTO sale_snapshots (merchant_id, sale_id, version, completed_at, sale)
             SELECT merchant_id, sale_id, version, completed_at, sale FROM jsonb_to_recordset($1::jsonb) AS s (merchant_id text, sale_id text, version bigint, completed_at timestamptz, sale jsonb)
             ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, completed_at = excluded.completed_at, sale = excluded.sale
             WHERE sale_snapshots.version <= excluded.version
           )
           INSERT INTO customer_names AS n (merchant_id, customer_id, name, family_name, search_name, search_family)
           SELECT merchant_id, customer_id, name, family_name, search_name, search_family
             FROM jsonb_to_recordset($2::jsonb) AS c (merchant_id text, customer_id text, name text, family_name text, search_name text, search_family text)
           ON CONFLICT (merchant_id, customer_id) DO UPDATE SET name = excluded.name, family_name = excluded.family_name,
                  search_name = excluded.search_name, search_family = excluded.search_family, updated_at = now()
           WHERE (n.name, n.family_name, n.search_name, n.search_family)
                 IS DISTINCT FROM (excluded.name, excluded.family_name, excluded.search_name, excluded.search_family)`,
    values: [JSON.stringify(rows), JSON.stringify(names)],
  });
}

/** The lines of the newest version of a sale we kept (with their category path), for the sale page's line list. */
export async function saleSnapshotLines(db: Db, merchantId: string, saleId: string): Promise<Sale['lines']> {
  const { rows } = await db.query<{ lines: Sale['lines'] | null }>(
    `SELECT sale->'lines' AS lines FROM sale_snapshots WHERE merchant_id = $1 AND sale_id = $2`,
    [merchantId, saleId],
  );
  return rows[0]?.lines ?? [];
}
