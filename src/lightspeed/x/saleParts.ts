/** What X-Series API 1.0 (register_sale) and 2.0 (sales) share: states, dates, customers and the line mapping. */
import type { Sale, SaleLine } from '../../rules/sale.js';
import { preciseToMinor } from '../../rules/precise.js';
import { preciseTimes, toMinor, toPrecise, toQuantity, type Decimal } from '../money.js';
import { categoryPath, type ProductRef, type ReferenceData } from '../refs/types.js';
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

/** A line as both API versions carry it; `total` is the line's amount before tax, after discounts. */
export interface XLineFields {
  id: string;
  product_id?: string | null;
  quantity: Decimal;
  price?: Decimal | null;
  discount?: Decimal | null;
  gift_card_number?: string | null;
  promotions?: Array<{ id?: string | null; name?: string | null }> | null;
}

/** One X-Series line → the canonical line: the category from reference data, the gift card from either marker. */
export function xLine(line: XLineFields, total: Decimal | null | undefined, refs: ReferenceData): SaleLine {
  const product = line.product_id ? refs.products.get(line.product_id) : undefined;
  // Kept at the payload's 5 decimals: the engine sums lines at that precision and rounds once.
  const netPrecise = total != null ? toPrecise(total) : preciseTimes(line.price ?? 0, line.quantity);
  return {
    lineId: line.id,
    productId: line.product_id ?? null,
    categoryPath: categoryPath(refs.categories, product?.categoryId),
    quantity: toQuantity(line.quantity),
    net: preciseToMinor(netPrecise),
    netPrecise,
    isGiftCard: !!line.gift_card_number || (product?.isGiftCard ?? false),
    ...xLineFacts(line, product),
  };
}

/** The distinct product ids a sale's lines name. */
export const xProductIds = (lines: Array<{ product_id?: string | null }>): string[] => [
  ...new Set(lines.map((l) => l.product_id).filter((p): p is string => !!p)),
];
