import type { Sale } from '../../rules/sale.js';
import type { LightspeedClient } from '../client.js';
import type { ReferenceCache } from '../refs/cache.js';
import type { ReferenceData } from '../refs/types.js';
import type { Merchant } from '../../merchants/store/schema.js';
import { normalizeXSale, productsToLookUp, xRegisterSaleSchema } from './sale10.js';
import { isXSale20, normalizeXSale20, xCustomer20Schema, xSale20Schema } from './sale20.js';
import { xProductIds } from './saleParts.js';

/**
 * An X-Series inbox payload → the canonical Sale, calling Lightspeed only for what it lacks: product
 * categories and gift-card markers (cached), and for the 2.0 shape of the reconciliation poll, which
 * names only the customer id, the customer.
 */
export async function loadXSale(
  merchant: Merchant,
  payload: unknown,
  refs: ReferenceCache,
  client: () => LightspeedClient,
): Promise<{ sale: Sale; refs: ReferenceData }> {
  if (isXSale20(payload)) {
    const raw = xSale20Schema.parse(payload);
    const customer = raw.customer_id ? (await client().get(`/api/2.0/customers/${encodeURIComponent(raw.customer_id)}`, xCustomer20Schema)).data : null;
    const data = await refs.get(merchant, client, {
      productIds: xProductIds(raw.line_items),
      segmentIds: customer?.customer_group_id ? [customer.customer_group_id] : [],
    });
    return { sale: normalizeXSale20(merchant.id, raw, customer, data), refs: data };
  }
  const raw = xRegisterSaleSchema.parse(payload);
  const known = await refs.get(merchant, client);
  const data = await refs.get(merchant, client, {
    productIds: productsToLookUp(raw, known),
    segmentIds: raw.customer?.customer_group_id ? [raw.customer.customer_group_id] : [],
  });
  return { sale: normalizeXSale(merchant.id, raw, data), refs: data };
}
