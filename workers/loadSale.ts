import type { LightspeedClient } from '../src/lightspeed/client.js';
import { normalizeRSale } from '../src/lightspeed/r/normalize.js';
import { rSaleResponseSchema, rSaleSchema, type RSale } from '../src/lightspeed/r/schemas.js';
import type { ReferenceCache } from '../src/lightspeed/refs/cache.js';
import type { ReferenceData } from '../src/lightspeed/refs/types.js';
import { normalizeXSale, productsToLookUp } from '../src/lightspeed/x/normalize.js';
import { xRegisterSaleSchema } from '../src/lightspeed/x/payload.js';
import type { SaleEventRow } from '../src/inbox/repo.js';
import type { Merchant } from '../src/merchants/schema.js';
import type { Sale } from '../src/rules/sale.js';

export const R_SALE_RELATIONS = JSON.stringify(['SaleLines', 'SaleLines.Item', 'SalePayments', 'SalePayments.PaymentType', 'Customer', 'Customer.Contact']);

/**
 * An inbox event → the canonical Sale, calling Lightspeed only for what the event lacks: X product
 * categories and gift-card markers; for R, the sale with its relations when the event holds a summary.
 */
export async function loadSale(merchant: Merchant, event: SaleEventRow, refs: ReferenceCache, client: () => LightspeedClient): Promise<{ sale: Sale; refs: ReferenceData }> {
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
