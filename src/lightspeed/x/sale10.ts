import { z } from 'zod';
import type { Sale } from '../../rules/sale.js';
import { decimalSchema, toMinor } from '../money.js';
import { paymentKindFrom } from '../paymentKind.js';
import type { ReferenceData } from '../refs/types.js';
import { xCustomer, xDate, xLine, xProductIds, xState } from './saleParts.js';

const id = z.string().min(1).max(200);
const optionalText = z.string().nullish();

/** X-Series `register_sale` (API 1.0 shape) as sale.update webhooks carry it. Unknown fields are kept. */
export const xRegisterSaleSchema = z.looseObject({
  id,
  version: z
    .union([z.number(), z.string().regex(/^\d+$/, 'digits').transform(Number)])
    .refine((v) => Number.isSafeInteger(v) && v >= 0, 'a non-negative integer'),
  status: optionalText,
  state: optionalText,
  /** The receipt number the store printed (support looks sales up by it). */
  invoice_number: z.union([z.string(), z.number().transform(String)]).nullish(),
  outlet_id: optionalText,
  register_id: optionalText,
  user_id: optionalText,
  customer_id: optionalText,
  return_for: optionalText,
  sale_date: optionalText,
  created_at: optionalText,
  updated_at: optionalText,
  customer: z
    .looseObject({
      id: optionalText,
      customer_code: optionalText,
      customer_group_id: optionalText,
      email: optionalText,
      mobile: optionalText,
      phone: optionalText,
      enable_loyalty: z.union([z.boolean(), z.literal('true'), z.literal('false'), z.literal(0), z.literal(1)]).nullish(),
    })
    .nullish(),
  register_sale_products: z
    .array(
      z.looseObject({
        id,
        product_id: optionalText,
        quantity: decimalSchema,
        price: decimalSchema.nullish(),
        price_total: decimalSchema.nullish(),
        discount: decimalSchema.nullish(),
        tax_total: decimalSchema.nullish(),
        gift_card_number: optionalText,
        is_return: z.boolean().nullish(),
        promotions: z.array(z.looseObject({ id: z.string().nullish(), name: z.string().nullish() })).nullish(),
      }),
    )
    .default([]),
  register_sale_payments: z
    .array(
      z.looseObject({
        id: optionalText,
        amount: decimalSchema,
        payment_type_id: z.union([z.number(), z.string()]).nullish(),
        retailer_payment_type: z.looseObject({ id: optionalText, name: optionalText, payment_type_id: z.union([z.number(), z.string()]).nullish() }).nullish(),
      }),
    )
    .default([]),
});

export type XRegisterSale = z.infer<typeof xRegisterSaleSchema>;

/** The product ids of a sale whose category or gift-card marker reference data does not hold yet. */
export function productsToLookUp(sale: XRegisterSale, refs: ReferenceData): string[] {
  return xProductIds(sale.register_sale_products).filter((p) => !refs.products.has(p));
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
    registerId: raw.register_id ?? null,
    cashierId: raw.user_id ?? null,
    ...(raw.return_for ? { returnFor: raw.return_for } : {}),
    ...xCustomer(raw.customer, raw.customer_id),
    lines: raw.register_sale_products.map((line) => xLine(line, line.price_total, refs)),
    payments: raw.register_sale_payments.map((p) => ({
      kind: paymentKindFrom(null, p.retailer_payment_type?.name),
      amount: toMinor(p.amount),
    })),
  };
}
