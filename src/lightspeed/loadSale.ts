import type { Merchant } from '../merchants/store/schema.js';
import type { SaleNames } from '../rules/evaluationContext.js';
import type { Sale } from '../rules/sale.js';
import type { LightspeedClient } from './client.js';
import { loadRSale } from './r/loadSale.js';
import type { ReferenceCache } from './refs/cache.js';
import type { ReferenceData } from './refs/types.js';
import { loadXSale } from './x/loadSale.js';

/**
 * A stored sale payload → the canonical Sale and the names of what it mentions, in its series' way.
 * What leaves src/lightspeed is canonical: Lightspeed's field names stay here.
 */
export async function loadSale(
  merchant: Merchant,
  payload: unknown,
  refs: ReferenceCache,
  client: () => LightspeedClient,
): Promise<{ sale: Sale; names: SaleNames }> {
  const loaded = merchant.series === 'x' ? await loadXSale(merchant, payload, refs, client) : await loadRSale(merchant, payload, refs, client);
  // The names of the cashier, register and outlet, for the Insights page (best effort, cached: see ReferenceCache).
  const only = (id: string | null | undefined) => (id ? [id] : []);
  await refs.get(merchant, client, {
    cashierIds: only(loaded.sale.cashierId),
    registerIds: only(loaded.sale.registerId),
    outletIds: only(loaded.sale.shopId),
  });
  return { sale: loaded.sale, names: saleNames(loaded.sale, loaded.refs) };
}

/**
 * The names of the segment, categories and products one sale mentions, and nothing else: a catalog of
 * 10,000 products costs a sale no more than one of 50.
 */
export function saleNames(sale: Sale, refs: ReferenceData): SaleNames {
  const names: SaleNames = { segments: {}, categories: {}, products: {} };
  const segment = sale.customer?.segmentId;
  if (segment) {
    const name = refs.segments.get(segment);
    if (name !== undefined) names.segments[segment] = name;
  }
  for (const line of sale.lines) {
    for (const id of line.categoryPath) {
      const category = refs.categories.get(id);
      if (category) names.categories[id] = category.name;
    }
    if (line.productId) {
      const name = refs.products.get(line.productId)?.name;
      if (name) names.products[line.productId] = name;
    }
  }
  return names;
}
