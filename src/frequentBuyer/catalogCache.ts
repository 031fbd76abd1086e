import type { Db } from '../db/pool.js';
import { TtlCache } from '../ttlCache.js';
import type { Catalog } from './catalog.js';
import { listEnrolledOffers } from './store/catalogOffers.js';
import { getSettings } from './store/settings.js';

export async function loadCatalog(db: Db, merchantId: string, timezone: string): Promise<Catalog> {
  const rows = await listEnrolledOffers(db, merchantId);
  const settings = await getSettings(db, merchantId);
  return {
    timezone,
    offers: rows.map(({ products, ...offer }) => ({ ...offer, codes: products.flatMap((p) => [p.upc, p.ean, p.sku].filter((c): c is string => !!c)) })),
    redemptionDiscount: settings?.redemptionDiscount ?? null,
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
