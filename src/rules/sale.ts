import { z } from 'zod';

/** Minor units (cents): integers only, parsed from Lightspeed's decimal strings at the border. */
const minor = z.number().int();

export const paymentKinds = ['cash', 'card', 'gift_card', 'store_credit', 'loyalty', 'on_account', 'other'] as const;
export const paymentKindSchema = z.enum(paymentKinds);
export type PaymentKind = z.infer<typeof paymentKindSchema>;

export const saleLineSchema = z.object({
  lineId: z.string(),
  productId: z.string().nullable(),
  /** Category ids from the root to the leaf; a category exempts its whole subtree. */
  categoryPath: z.array(z.string()),
  quantity: z.number(),
  /** After line and sale discounts, before tax. */
  net: minor,
  /**
   * The same at the payload's precision, in 1/100000 of the currency unit (1000 per minor unit): the
   * engine sums these and rounds once. Absent on sales stored before it existed (then net × 1000).
   */
  netPrecise: z.number().int().optional(),
  isGiftCard: z.boolean(),
  /** On a return line: the original sale's line it refunds, when Lightspeed says so. */
  refundsLineId: z.string().optional(),
  /** UPC, EAN and SKU codes of the product: frequent-buyer offers name products by these. */
  productCodes: z.array(z.string()).optional(),
  /** Regular unit price before any discount: the value of a free item. */
  unitPrice: minor.optional(),
  /** The discount that priced the line (R `discountID`, X promotion or discount name). */
  discountRef: z.string().optional(),
});

export const customerSchema = z.object({
  id: z.string(),
  segmentId: z.string().nullable(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  /** The customer's name as the POS shows it (support searches by it; rules never read it). */
  name: z.string().optional(),
  /** The family name alone, for a search by last name. */
  familyName: z.string().optional(),
  /**
   * Lightspeed's own loyalty switch is off for this customer (X `enable_loyalty: false`). It earns nothing
   * only under the rules option `respectLightspeedLoyalty` (off by default); the balance is kept.
   */
  exempt: z.boolean(),
});

/** The one shape rules see; both series normalize into it (src/lightspeed/{x,r}/normalize.ts). */
export const saleSchema = z.object({
  merchantId: z.string(),
  series: z.enum(['x', 'r']),
  saleId: z.string(),
  /** Monotonic per sale: the X-Series sale version, the R-Series update time in epoch ms. */
  version: z.number().int().nonnegative(),
  state: z.enum(['open', 'completed', 'voided']),
  completedAt: z.iso.datetime({ offset: true }).nullable(),
  shopId: z.string().nullable(),
  /** The register the sale was rung on (X `register_id`, R `registerID`): insights count by register. */
  registerId: z.string().nullable().optional(),
  /** The person who rang it (X `user_id`, R `employeeID`): insights count customer attach by cashier. */
  cashierId: z.string().nullable().optional(),
  returnFor: z.string().optional(),
  customer: customerSchema.optional(),
  lines: z.array(saleLineSchema),
  payments: z.array(z.object({ kind: paymentKindSchema, amount: minor })),
});

export type Sale = z.infer<typeof saleSchema>;
export type SaleLine = z.infer<typeof saleLineSchema>;
export type Customer = z.infer<typeof customerSchema>;
