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
  await db.query({
    name: 'console.recordSaleSnapshots',
    text: `INSERT INTO sale_snapshots (merchant_id, sale_id, version, completed_at, sale)
           SELECT merchant_id, sale_id, version, completed_at, sale FROM jsonb_to_recordset($1::jsonb) AS s (merchant_id text, sale_id text, version bigint, completed_at timestamptz, sale jsonb)
           ON CONFLICT (merchant_id, sale_id) DO UPDATE SET version = excluded.version, completed_at = excluded.completed_at, sale = excluded.sale
           WHERE sale_snapshots.version <= excluded.version`,
    values: [JSON.stringify(rows)],
  });
  for (const customer of new Map(sales.filter((s) => s.customer?.name).map((s) => [`${s.merchantId}\u0000${s.customer!.id}`, s])).values()) {
    const c = customer.customer!;
    await db.query({
      name: 'console.recordCustomerName',
      text: `INSERT INTO customer_names (merchant_id, customer_id, name, family_name, search_name, search_family) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (merchant_id, customer_id) DO UPDATE SET name = excluded.name, family_name = excluded.family_name,
                    search_name = excluded.search_name, search_family = excluded.search_family, updated_at = now()
             WHERE (customer_names.name, customer_names.family_name, customer_names.search_name, customer_names.search_family)
                   IS DISTINCT FROM (excluded.name, excluded.family_name, excluded.search_name, excluded.search_family)`,
      values: [customer.merchantId, c.id, c.name, c.familyName ?? null, searchKey(c.name!), c.familyName ? searchKey(c.familyName) : null],
    });
  }
}

/** The lines of the newest version of a sale we kept (with their category path), for the sale page's line list. */
export async function saleSnapshotLines(db: Db, merchantId: string, saleId: string): Promise<Sale['lines']> {
  const { rows } = await db.query<{ lines: Sale['lines'] | null }>(
    `SELECT sale->'lines' AS lines FROM sale_snapshots WHERE merchant_id = $1 AND sale_id = $2`,
    [merchantId, saleId],
  );
  return rows[0]?.lines ?? [];
}
