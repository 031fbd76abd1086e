import type { Db } from '../../db/pool.js';

export interface ReferenceNames {
  segments: Record<string, string>;
  /** Category id → its path of names from the root ("Dog / Food / Prescription"). */
  categoryPaths: Record<string, string>;
  categories: Record<string, string>;
  /** Category id → its parent's id (null at the root): the Rules page's category tree. */
  categoryParents: Record<string, string | null>;
  products: Record<string, string>;
}

/** All of the merchant's reference data as names (the rules form and preview), from what the reference cache stored (no Lightspeed call). */
export async function referenceNames(db: Db, merchantId: string): Promise<ReferenceNames> {
  const { rows } = await db.query<{ kind: string; ref_id: string; data: { name?: unknown; parentId?: unknown } }>(
    `SELECT kind, ref_id, data FROM lightspeed_refs WHERE merchant_id = $1`,
    [merchantId],
  );
  const parents: Record<string, string | null> = {};
  const names: ReferenceNames = { segments: {}, categoryPaths: {}, categories: {}, categoryParents: parents, products: {} };
  for (const r of rows) {
    const name = typeof r.data.name === 'string' ? r.data.name : r.ref_id;
    if (r.kind === 'segment') names.segments[r.ref_id] = name;
    else if (r.kind === 'product') names.products[r.ref_id] = name;
    else {
      names.categories[r.ref_id] = name;
      parents[r.ref_id] = typeof r.data.parentId === 'string' ? r.data.parentId : null;
    }
  }
  for (const id of Object.keys(names.categories)) {
    const path: string[] = [];
    const seen = new Set<string>();
    for (let at: string | null | undefined = id; at && names.categories[at] !== undefined && !seen.has(at); at = parents[at]) {
      seen.add(at);
      path.unshift(names.categories[at]!);
    }
    names.categoryPaths[id] = path.join(' / ');
  }
  return names;
}
