import type { Db } from '../../src/db/pool.js';

/** Marks a merchant's reference lists as freshly loaded, with the given items, so tests control API calls. */
export async function seedRefs(
  db: Db,
  merchantId: string,
  items: {
    categories?: Array<[string, string, string | null]>;
    segments?: Array<[string, string]>;
    /** id, category id, gift card, codes, name. */
    products?: Array<[string, string | null, boolean, string[]?, string?]>;
    /** Cashier, register and outlet names (as the reference cache stores them). */
    places?: Array<['cashier' | 'register' | 'outlet', string, string]>;
  },
  /** `nameLists: false` leaves the cashier, register and outlet lists unloaded (the worker asks Lightspeed for them). */
  options: { nameLists?: boolean } = {},
): Promise<void> {
  const rows: Array<[string, string, unknown]> = [
    ...(items.categories ?? []).map(([id, name, parentId]) => ['category', id, { name, parentId }] as [string, string, unknown]),
    ...(items.segments ?? []).map(([id, name]) => ['segment', id, { name }] as [string, string, unknown]),
    ...(items.products ?? []).map(
      ([id, categoryId, isGiftCard, codes, name]) =>
        ['product', id, { categoryId, isGiftCard, ...(codes ? { codes } : {}), ...(name ? { name } : {}) }] as [string, string, unknown],
    ),
    ...(items.places ?? []).map(([kind, id, name]) => [kind, id, { name }] as [string, string, unknown]),
  ];
  for (const [kind, id, data] of rows) {
    await db.query(
      `INSERT INTO lightspeed_refs (merchant_id, kind, ref_id, data) VALUES ($1, $2, $3, $4) ON CONFLICT (merchant_id, kind, ref_id) DO UPDATE SET data = excluded.data`,
      [merchantId, kind, id, JSON.stringify(data)],
    );
  }
  // The name lists too: a sale naming an unknown cashier, register or outlet asks Lightspeed only after the refresh period.
  for (const kind of ['category', 'segment', ...(options.nameLists === false ? [] : ['cashier', 'register', 'outlet'])]) {
    await db.query(
      `INSERT INTO lightspeed_ref_loads (merchant_id, kind, loaded_at) VALUES ($1, $2, now()) ON CONFLICT (merchant_id, kind) DO UPDATE SET loaded_at = now()`,
      [merchantId, kind],
    );
  }
}
