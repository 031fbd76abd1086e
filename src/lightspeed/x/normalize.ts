import type { Sale, SaleLine } from '../../rules/sale.js';
import { toMinor, toQuantity } from '../money.js';
import { paymentKindFrom } from '../paymentKind.js';
import { categoryPath, type ProductRef, type ReferenceData } from '../refs/types.js';
import type { XRegisterSale } from './payload.js';
import { personName } from '../personName.js';

/** Only closed sales earn; VOIDED reverses; every other status (parked, layby, on account...) is not yet. */
export function xState(status: string | null | undefined, state: string | null | undefined): Sale['state'] {
  const s = (state ?? '').toLowerCase();
  if (s === 'voided') return 'voided';
  if (s === 'closed') return 'completed';
  const legacy = (status ?? '').toUpperCase();
  if (legacy === 'VOIDED') return 'voided';
  if (legacy === 'CLOSED' || legacy.endsWith('_CLOSED')) return 'completed';
  return 'open';
}

/** X-Series dates come as ISO ("2026-11-20T17:03:07Z") or as "2026-11-20 17:03:09" in UTC. */
export function xDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

interface XCustomerFields {
  id?: string | null;
  customer_code?: string | null;
  customer_group_id?: string | null;
  email?: string | null;
  mobile?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  enable_loyalty?: boolean | string | number | null;
}

/** An X-Series customer (either API shape) → the canonical customer; walk-ins and no customer → none. */
export function xCustomer(c: XCustomerFields | null | undefined, fallbackId?: string | null): Pick<Sale, 'customer'> {
  const id = c?.id ?? fallbackId ?? null;
  if (!id || (c?.customer_code ?? '').toUpperCase() === 'WALKIN') return {};
  const loyalty = c?.enable_loyalty;
  return {
    customer: {
      id,
      segmentId: c?.customer_group_id ?? null,
      ...(c?.email ? { email: c.email } : {}),
      ...(c?.mobile ? { mobile: c.mobile } : {}),
      ...personName(c?.first_name, c?.last_name),
      exempt: loyalty === false || loyalty === 'false' || loyalty === 0,
    },
  };
}

/** The product ids of a sale whose category or gift-card marker the payload does not carry. */
/**
 * What frequent-buyer offers match on. X `price` is the unit price after the line discount and
 * `discount` the discount per unit, so the regular price is their sum. The promotion that priced the
 * line is read from `promotions[]` when present (unverified against live payloads; the redemptions API
 * records a redemption when it is absent).
 */
export function xLineFacts(
  line: { price?: string | number | null; discount?: string | number | null; promotions?: Array<{ id?: string | null; name?: string | null }> | null },
  product: ProductRef | undefined,
): Pick<SaleLine, 'productCodes' | 'unitPrice' | 'discountRef'> {
  const promotion = line.promotions?.find((p) => p.name || p.id);
  return {
    ...(product?.codes?.length ? { productCodes: product.codes } : {}),
    ...(line.price != null ? { unitPrice: toMinor(line.price) + (line.discount != null ? toMinor(line.discount) : 0) } : {}),
    ...(promotion ? { discountRef: (promotion.name ?? promotion.id)! } : {}),
  };
}

export function productsToLookUp(sale: XRegisterSale, refs: ReferenceData): string[] {
  const ids = sale.register_sale_products.map((l) => l.product_id).filter((p): p is string => !!p);
  return [...new Set(ids)].filter((p) => !refs.products.has(p));
}

/**
 * X-Series `register_sale` (webhook payload, API 1.0 shape) → the canonical Sale. `price_total` is the
 * line's amount before tax, after discounts. Product categories come from reference data.
 */
export function normalizeXSale(merchantId: string, raw: XRegisterSale, refs: ReferenceData): Sale {
  const state = xState(raw.status, raw.state);

  return {
    merchantId,
    series: 'x',
    saleId: raw.id,
    version: raw.version,
    state,
    completedAt: state === 'open' ? null : (xDate(raw.sale_date) ?? xDate(raw.updated_at) ?? xDate(raw.created_at)),
    shopId: raw.outlet_id ?? null,
    ...(raw.return_for ? { returnFor: raw.return_for } : {}),
    ...xCustomer(raw.customer, raw.customer_id),
    lines: raw.register_sale_products.map((line) => {
      const product = line.product_id ? refs.products.get(line.product_id) : undefined;
      const quantity = toQuantity(line.quantity);
      const net = line.price_total != null ? toMinor(line.price_total) : Math.round(toMinor(line.price ?? 0) * quantity);
      return {
        lineId: line.id,
        productId: line.product_id ?? null,
        categoryPath: categoryPath(refs.categories, product?.categoryId),
        quantity,
        net,
        isGiftCard: !!line.gift_card_number || (product?.isGiftCard ?? false),
        ...xLineFacts(line, product),
      };
    }),
    payments: raw.register_sale_payments.map((p) => ({
      kind: paymentKindFrom(null, p.retailer_payment_type?.name),
      amount: toMinor(p.amount),
    })),
  };
}
