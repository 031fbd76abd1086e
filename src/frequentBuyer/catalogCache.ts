import type { Db } from '../db/pool.js';
import { TtlCache } from '../ttlCache.js';
import type { Catalog, CatalogOffer } from './catalog.js';

export async function loadCatalog(db: Db, merchantId: string, timezone: string): Promise<Catalog> {
  const { rows } = await db.query<CatalogOffer & { products: Array<Record<string, string | undefined>> }>(
    `SELECT o.id::int, o.name, o.purchases_required AS "purchasesRequired", o.free_item_rule AS "freeItemRule",
            to_char(o.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(o.ends_on, 'YYYY-MM-DD') AS "endsOn", o.products,
            array_agg(e.shop_id ORDER BY e.shop_id) AS "enrolledShops"
       FROM enrollments e JOIN offers o ON o.id = e.offer_id
      WHERE e.merchant_id = $1
      GROUP BY o.id`,
    [merchantId],
  );
  const settings = await db.query<{ redemption_discount: string | null }>(`SELECT redemption_discount FROM frequent_buyer_settings WHERE merchant_id = $1`, [
    merchantId,
  ]);
  return {
    timezone,
    offers: rows.map(({ products, ...offer }) => ({ ...offer, codes: products.flatMap((p) => [p.upc, p.ean, p.sku].filter((c): c is string => !!c)) })),
    redemptionDiscount: settings.rows[0]?.redemption_discount ?? null,
  };
}

/**
 * Each merchant's offers and enrollments, read on every sale job and cached for a moment: a change of
 * enrollment counts from the next sales within `ttlMs`. A merchant without enrollments costs nothing
 * more per sale than a map lookup.
 */
export class CatalogCache {
  private readonly entries: TtlCache<Catalog>;

  constructor(
    private readonly db: Db,
    ttlMs = 2_000,
    maxEntries = 10_000,
  ) {
    this.entries = new TtlCache(ttlMs, maxEntries);
  }

  /** A catalog read for another time zone (the merchant moved) is read again. */
  get(merchant: { id: string; timezone: string }): Promise<Catalog> {
    return this.entries.get(
      merchant.id,
      () => loadCatalog(this.db, merchant.id, merchant.timezone),
      (catalog) => catalog.timezone === merchant.timezone,
    );
  }
}
