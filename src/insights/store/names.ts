import type { Db } from '../../db/pool.js';

export type PlaceNames = Record<'outlet' | 'register' | 'cashier', Record<string, string>>;

/**
 * The names of cashiers, registers and outlets the reference cache stored (src/lightspeed/refs/cache.ts),
 * for the ids a figure or a sale list shows; an id without a stored name is left out (the console shows the id).
 */
export async function placeNames(db: Db, merchantId: string, ids: { outlet: string[]; register: string[]; cashier: string[] }): Promise<PlaceNames> {
  const names: PlaceNames = { outlet: {}, register: {}, cashier: {} };
  const wanted = [...new Set([...ids.outlet, ...ids.register, ...ids.cashier].filter(Boolean))];
  if (!wanted.length) return names;
  const { rows } = await db.query<{ kind: keyof PlaceNames; ref_id: string; name: string | null }>({
    name: 'insights.placeNames',
    text: `SELECT kind, ref_id, data->>'name' AS name FROM lightspeed_refs
            WHERE merchant_id = $1 AND kind IN ('outlet', 'register', 'cashier') AND ref_id = ANY($2::text[])`,
    values: [merchantId, wanted],
  });
  for (const r of rows) if (r.name && ids[r.kind].includes(r.ref_id)) names[r.kind][r.ref_id] = r.name;
  return names;
}

export type ExemptionNames = Record<'product' | 'category', Record<string, string>>;

/** The names of products and categories the reference cache stored, for the exemptions figure 5 lists. */
export async function exemptionNames(db: Db, merchantId: string, ids: { product: string[]; category: string[] }): Promise<ExemptionNames> {
  const names: ExemptionNames = { product: {}, category: {} };
  const wanted = [...new Set([...ids.product, ...ids.category])];
  if (!wanted.length) return names;
  const { rows } = await db.query<{ kind: keyof ExemptionNames; ref_id: string; name: string | null }>({
    name: 'insights.exemptionNames',
    text: `SELECT kind, ref_id, data->>'name' AS name FROM lightspeed_refs
            WHERE merchant_id = $1 AND kind IN ('product', 'category') AND ref_id = ANY($2::text[])`,
    values: [merchantId, wanted],
  });
  for (const r of rows) if (r.name && ids[r.kind].includes(r.ref_id)) names[r.kind][r.ref_id] = r.name;
  return names;
}
