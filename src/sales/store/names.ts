import type { Db } from '../../db/pool.js';
import type { Names } from '../../contract/sale.js';

/**
 * The names a person reads instead of Lightspeed ids, from the reference data the worker cached: customer
 * type or group names, category paths ("Dog / Food / Prescription"), product names.
 */
export async function namesFor(db: Db, merchantId: string, ids: { segments: string[]; categories: string[]; products: string[] }): Promise<Names> {
  const names: Names = { segments: {}, categories: {}, products: {} };
  if (!ids.segments.length && !ids.categories.length && !ids.products.length) return names;
  const { rows } = await db.query<{ kind: 'segment' | 'product' | 'category'; id: string; name: string | null }>(
    `WITH RECURSIVE up AS (
       SELECT ref_id AS leaf, ref_id AS id, data->>'name' AS name, data->>'parentId' AS parent, 0 AS depth
         FROM lightspeed_refs WHERE merchant_id = $1 AND kind = 'category' AND ref_id = ANY($3)
       UNION ALL
       SELECT up.leaf, c.ref_id, c.data->>'name', c.data->>'parentId', up.depth + 1
         FROM up JOIN lightspeed_refs c ON c.merchant_id = $1 AND c.kind = 'category' AND c.ref_id = up.parent
        WHERE up.depth < 20
     )
     SELECT 'category' AS kind, leaf AS id, string_agg(coalesce(name, id), ' / ' ORDER BY depth DESC) AS name FROM up GROUP BY leaf
     UNION ALL
     SELECT kind, ref_id, data->>'name' FROM lightspeed_refs
      WHERE merchant_id = $1 AND ((kind = 'segment' AND ref_id = ANY($2)) OR (kind = 'product' AND ref_id = ANY($4)))`,
    [merchantId, ids.segments, ids.categories, ids.products],
  );
  for (const row of rows) {
    if (!row.name) continue;
    const into = row.kind === 'segment' ? names.segments : row.kind === 'category' ? names.categories : names.products;
    into[row.id] = row.name;
  }
  return names;
}
