import { z } from 'zod';
import type { Sale } from '../../rules/sale.js';
import { decimalSchema, toMinor } from '../money.js';
import { paymentKindFrom } from '../paymentKind.js';
import type { ReferenceData } from '../refs/types.js';
import { xCustomer, xDate, xLine, xState } from './saleParts.js';

const optText = z.string().nullish();

/** X-Series API 2.0 sale, as the reconciliation poll pages them (`GET /api/2.0/sales?after=`). */
export const xSale20Schema = z.looseObject({
  id: z.string().min(1),
  version: z.number().int().nonnegative(),
  status: optText,
  state: optText,
  outlet_id: optText,
  register_id: optText,
  user_id: optText,
  customer_id: optText,
  return_for: optText,
  sale_date: optText,
  updated_at: optText,
  line_items: z
    .array(
      z.looseObject({
        id: z.string(),
        product_id: optText,
        quantity: decimalSchema,
        price: decimalSchema.nullish(),
        price_total: decimalSchema.nullish(),
        total_price: decimalSchema.nullish(),
        discount: decimalSchema.nullish(),
        gift_card_number: optText,
        promotions: z.array(z.looseObject({ id: z.string().nullish(), name: z.string().nullish() })).nullish(),
      }),
    )
    .default([]),
  payments: z.array(z.looseObject({ amount: decimalSchema, name: optText, payment_type_id: z.union([z.string(), z.number()]).nullish() })).default([]),
});
export type XSale20 = z.infer<typeof xSale20Schema>;

/** A 2.0 sale carries only `customer_id`: the customer comes from the API (cached per customer). */
export const xCustomer20Schema = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    customer_code: optText,
    customer_group_id: optText,
    email: optText,
    mobile: optText,
    enable_loyalty: z.boolean().nullish(),
  }),
});
export type XCustomer20 = z.infer<typeof xCustomer20Schema>['data'];

export const isXSale20 = (payload: unknown): boolean => typeof payload === 'object' && payload !== null && 'line_items' in payload;

/**
 * X-Series API 2.0 sale (reconciliation poll) → the canonical Sale; the customer is fetched separately.
 * A line's amount is `price_total` (or `total_price`), before tax, after discounts.
 */
export function normalizeXSale20(merchantId: string, raw: XSale20, customer: XCustomer20 | null, refs: ReferenceData): Sale {
  const state = xState(raw.status, raw.state);
  return {
    merchantId,
    series: 'x',
    saleId: raw.id,
    version: raw.version,
    state,
    completedAt: state === 'open' ? null : (xDate(raw.sale_date) ?? xDate(raw.updated_at)),
    shopId: raw.outlet_id ?? null,
    registerId: raw.register_id ?? null,
    cashierId: raw.user_id ?? null,
    ...(raw.return_for ? { returnFor: raw.return_for } : {}),
    ...xCustomer(customer),
    lines: raw.line_items.map((line) => xLine(line, line.price_total ?? line.total_price, refs)),
    payments: raw.payments.map((p) => ({ kind: paymentKindFrom(null, p.name), amount: toMinor(p.amount) })),
  };
}
