import { z } from 'zod';
import { isoTime, merchantFaceSchema } from './common.js';
import { ledgerEntrySchema } from './sale.js';

/** The Customer page's routes: GET .../customers/:customerId (balance), /summary, /history, /sales; POST .../adjustments. */

/** A ledger entry as the customer's history shows it, with the receipt of its sale (what a person reads). */
export const customerEntrySchema = z.object({
  id: z.number().int(),
  saleId: z.string().nullable(),
  /** The sale's receipt number, when the sale was received with one. */
  receipt: z.string().nullable(),
  kind: z.enum(['earn', 'reverse', 'adjust']),
  points: z.number().int(),
  status: z.enum(['pending', 'posted']),
  availableAt: isoTime,
  note: z.string().nullable(),
  actor: z.string().nullable(),
  createdAt: isoTime,
  releasedAt: isoTime.nullable(),
});
export type CustomerEntry = z.infer<typeof customerEntrySchema>;

export const customerSaleSchema = z.object({
  saleId: z.string(),
  receipt: z.string().nullable(),
  completedAt: isoTime.nullable(),
  points: z.number().int(),
  status: z.string().nullable(),
  originalSaleId: z.string().nullable(),
});
export type CustomerSale = z.infer<typeof customerSaleSchema>;

export const customerSummarySchema = z.object({
  /** The merchant (its name tells apart customers of one name at several merchants; its time zone reads the dates). */
  merchant: merchantFaceSchema,
  customerId: z.string(),
  name: z.string().nullable(),
  pending: z.array(customerEntrySchema),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const customerHistorySchema = z.object({ entries: z.array(customerEntrySchema), next: z.number().int().nullable() });
export type CustomerHistory = z.infer<typeof customerHistorySchema>;

export const customerSalesSchema = z.object({ sales: z.array(customerSaleSchema), next: z.number().int().nullable() });
export type CustomerSales = z.infer<typeof customerSalesSchema>;

export const customerViewSchema = z.object({
  customerId: z.string(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  available: z.number(),
  pending: z.number(),
  entries: z.array(ledgerEntrySchema.extend({ actor: z.string().nullable(), releasedAt: isoTime.nullable() }).omit({ customerId: true })),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

export const adjustmentSchema = z.object({
  // The ledger stores points as integer (32-bit): a larger adjustment is refused here, not by PostgreSQL.
  points: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((n) => n !== 0, 'must not be 0'),
  reason: z.string().trim().min(3, 'a reason of at least 3 characters is required'),
  /** Lets a client retry safely: the same key adjusts once. */
  idempotencyKey: z.string().min(8).max(200).optional(),
});
export type AdjustmentRequest = z.input<typeof adjustmentSchema>;
