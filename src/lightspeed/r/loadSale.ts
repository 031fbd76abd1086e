import type { Merchant } from '../../merchants/store/schema.js';
import type { Sale } from '../../rules/sale.js';
import type { LightspeedClient } from '../client.js';
import type { ReferenceCache } from '../refs/cache.js';
import type { ReferenceData } from '../refs/types.js';
import { normalizeRSale } from './normalize.js';
import { R_SALE_RELATIONS, rSaleResponseSchema, rSaleSchema, type RSale } from './schemas.js';

/**
 * An R-Series inbox payload → the canonical Sale. A poll page stores the sale with its relations; an
 * event holding only a summary costs one `Sale` call with them.
 */
export async function loadRSale(
  merchant: Merchant,
  payload: unknown,
  refs: ReferenceCache,
  client: () => LightspeedClient,
): Promise<{ sale: Sale; refs: ReferenceData }> {
  let raw: RSale = rSaleSchema.parse((payload as { Sale?: unknown }).Sale ?? payload);
  if (raw.SaleLines === undefined) {
    const fetched = await client().get(`Sale/${encodeURIComponent(raw.saleID)}.json`, rSaleResponseSchema, { load_relations: R_SALE_RELATIONS });
    raw = fetched.Sale;
  }
  const lines = raw.SaleLines ? raw.SaleLines.SaleLine : [];
  const categoryIds = lines.map((l) => l.Item?.categoryID).filter((id): id is string => !!id && id !== '0');
  const segmentIds = raw.Customer?.customerTypeID && raw.Customer.customerTypeID !== '0' ? [raw.Customer.customerTypeID] : [];
  const data = await refs.get(merchant, client, { categoryIds, segmentIds });
  return { sale: normalizeRSale(merchant.id, raw, data), refs: data };
}
