import type { LightspeedClient } from '../src/lightspeed/client.js';
import { normalizeRSale } from '../src/lightspeed/r/normalize.js';
import { R_SALE_RELATIONS, rSaleResponseSchema, rSaleSchema, type RSale } from '../src/lightspeed/r/schemas.js';
import type { ReferenceCache } from '../src/lightspeed/refs/cache.js';
import type { ReferenceData } from '../src/lightspeed/refs/types.js';
import { normalizeXSale, productsToLookUp } from '../src/lightspeed/x/normalize.js';
import { xRegisterSaleSchema } from '../src/lightspeed/x/payload.js';
import { isXSale20, normalizeXSale20, xCustomer20Schema, xSale20Schema } from '../src/lightspeed/x/sale20.js';
import type { SaleEventRow } from '../src/inbox/repo.js';
import type { Merchant } from '../src/merchants/schema.js';
import type { Sale } from '../src/rules/sale.js';

/**
 * An inbox event → the canonical Sale, calling Lightspeed only for what the event lacks: X product
 * categories and gift-card markers; for R, the sale with its relations when the event holds a summary.
 */
export async function loadSale(merchant: Merchant, event: SaleEventRow, refs: ReferenceCache, client: () => LightspeedClient): Promise<{ sale: Sale; refs: ReferenceData }> {
  if (merchant.series === 'x' && isXSale20(event.payload)) {
    // From the reconciliation poll: the 2.0 shape names only the customer id.
    const raw = xSale20Schema.parse(event.payload);
    const customer = raw.customer_id ? (await client().get(`/api/2.0/customers/${encodeURIComponent(raw.customer_id)}`, xCustomer20Schema)).data : null;
    const productIds = [...new Set(raw.line_items.map((l) => l.product_id).filter((p): p is string => !!p))];
    const data = await refs.get(merchant, client, { productIds, segmentIds: customer?.customer_group_id ? [customer.customer_group_id] : [] });
    return { sale: normalizeXSale20(merchant.id, raw, customer, data), refs: data };
  }
  if (merchant.series === 'x') {
    const raw = xRegisterSaleSchema.parse(event.payload);
    const known = await refs.get(merchant, client);
    const data = await refs.get(merchant, client, { productIds: productsToLookUp(raw, known), segmentIds: raw.customer?.customer_group_id ? [raw.customer.customer_group_id] : [] });
    return { sale: normalizeXSale(merchant.id, raw, data), refs: data };
  }
  let raw: RSale = rSaleSchema.parse((event.payload as { Sale?: unknown }).Sale ?? event.payload);
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
