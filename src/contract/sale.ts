import { z } from 'zod';
import { decisionSchema } from '../rules/decision.js';
import { reasonCodeSchema } from '../rules/reasons.js';
import { isoTime, merchantFaceSchema } from './common.js';

/** GET /admin/api/merchants/:id/sales/:saleId: why a sale earned points or not. */

export const saleEventSchema = z.object({
  id: z.number().int(),
  /** X: the sale's version; R: its update time in epoch milliseconds (shown as a time). */
  version: z.number().int(),
  source: z.enum(['webhook', 'poll', 'backfill']),
  status: z.string(),
  receipt: z.string().nullable(),
  receivedAt: isoTime,
  processedAt: isoTime.nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When retention dropped the raw payload (decisions and ledger stay); null while it is kept. */
  payloadDroppedAt: isoTime.nullable(),
});
export type SaleEvent = z.infer<typeof saleEventSchema>;

export const ledgerEntrySchema = z.object({
  id: z.number().int(),
  customerId: z.string(),
  saleId: z.string().nullable(),
  kind: z.enum(['earn', 'reverse', 'adjust']),
  points: z.number().int(),
  status: z.enum(['pending', 'posted']),
  availableAt: isoTime.nullable(),
  note: z.string().nullable(),
  createdAt: isoTime,
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const storedDecisionSchema = decisionSchema.extend({ id: z.number().int(), applied: z.boolean(), evaluatedAt: isoTime });
export type StoredDecision = z.infer<typeof storedDecisionSchema>;

export const checklistItemSchema = z.object({
  id: z.enum(['customer', 'exemptions', 'rewardsTrigger', 'delay', 'tenders', 'giftCards', 'startDate', 'identity', 'step']),
  status: z.enum(['pass', 'fail', 'partial', 'wait', 'na']),
  /** The named parameters the console's sentence for this item uses (names, not ids). */
  params: z.record(z.string(), z.unknown()),
  /** The stored reasons this item is about. */
  codes: z.array(reasonCodeSchema),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;
export type ChecklistId = ChecklistItem['id'];
export type ChecklistStatus = ChecklistItem['status'];

export const namesSchema = z.object({
  segments: z.record(z.string(), z.string()),
  /** Category id → its path, "Dog / Food / Prescription". */
  categories: z.record(z.string(), z.string()),
  products: z.record(z.string(), z.string()),
});
export type Names = z.infer<typeof namesSchema>;

const relatedSaleSchema = z.object({ saleId: z.string(), receipt: z.string().nullable(), points: z.number().int() });
export const saleRelationsSchema = z.object({
  /** The sale this one returns (a return names its original). */
  original: relatedSaleSchema.nullable(),
  /** The returns that name this sale as their original. */
  returns: z.array(relatedSaleSchema),
  /** The customer's name as the newest sale carried it. */
  customerName: z.string().nullable(),
});
export type RelatedSale = z.infer<typeof relatedSaleSchema>;
export type SaleRelations = z.infer<typeof saleRelationsSchema>;

/** One line of the sale as support reads it: the product, its category path, its amount, and its points or why none. */
export const saleLineViewSchema = z.object({
  lineId: z.string(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  /** "Dog / Food / Prescription", or null when the line has no category we know. */
  categoryPath: z.string().nullable(),
  quantity: z.number(),
  net: z.number().int(),
  points: z.number().int(),
  exemptBy: z.enum(['product', 'category', 'gift_card', 'refund']).nullable(),
  /** On a line a product or category rule exempts: the points it would have earned (absent when none, or decided before this was kept). */
  withheldPoints: z.number().int().optional(),
});
export type SaleLineView = z.infer<typeof saleLineViewSchema>;

export const saleFrequentBuyerSchema = z.object({
  appliedVersion: z.number().int().nullable(),
  punches: z.array(z.object({ lineId: z.string(), offerId: z.number().int(), offerName: z.string(), customerId: z.string(), units: z.number() })),
  redemptions: z.array(
    z.object({
      id: z.number().int(),
      lineId: z.string(),
      offerId: z.number().int(),
      customerId: z.string(),
      status: z.string(),
      reasonCode: z.string().nullable(),
      reason: z.string().nullable(),
      freeItemPrice: z.number().int().nullable(),
      recordedAt: isoTime,
      claimId: z.number().int().nullable(),
      claimStatus: z.string().nullable(),
    }),
  ),
});
export type SaleFrequentBuyer = z.infer<typeof saleFrequentBuyerSchema>;

export const rewardsRequestSchema = z.object({ source: z.enum(['pos', 'api']), requestedBy: z.string().nullable(), requestedAt: isoTime });

export const saleAnswerSchema = z.object({
  /** The merchant's name, series and time zone: every date of the page is read in that zone. */
  merchant: merchantFaceSchema,
  merchantId: z.string(),
  saleId: z.string(),
  receipt: z.string().nullable(),
  current: z
    .object({ appliedVersion: z.number().int(), points: z.number().int(), customerId: z.string().nullable(), originalSaleId: z.string().nullable() })
    .nullable(),
  events: z.array(saleEventSchema),
  decisions: z.array(storedDecisionSchema),
  ledger: z.array(ledgerEntrySchema),
  pending: z.object({ points: z.number().int(), entries: z.array(ledgerEntrySchema) }),
  rewardsRequest: rewardsRequestSchema.nullable(),
  frequentBuyer: saleFrequentBuyerSchema.nullable(),
  explanation: z.object({
    /** The decision now in force: the newest one that was applied. */
    decision: storedDecisionSchema.nullable(),
    checklist: z.array(checklistItemSchema),
    names: namesSchema,
    related: saleRelationsSchema,
    lines: z.array(saleLineViewSchema),
  }),
});
export type SaleAnswer = z.infer<typeof saleAnswerSchema>;

/** POST .../sales/:saleId/rewards */
export const rewardsRequestAnswerSchema = z.object({ merchantId: z.string(), saleId: z.string(), status: z.enum(['requested', 'already requested']) });
export type RewardsRequestAnswer = z.infer<typeof rewardsRequestAnswerSchema>;
