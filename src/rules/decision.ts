import { z } from 'zod';
import { reasonSchema } from './reasons.js';

export const lineBreakdownSchema = z.object({
  lineId: z.string(),
  productId: z.string().nullable(),
  quantity: z.number(),
  net: z.number().int(),
  /** What this line contributes to the base before tenders (0 when exempt). */
  eligible: z.number().int(),
  exemptBy: z.enum(['product', 'category', 'gift_card', 'refund']).nullable(),
  /** Points this line earned (its share of the sale's points), or reversed (negative) on a refund line. */
  points: z.number().int(),
  refundsLineId: z.string().optional(),
  /** On a line exempt by a product or category rule: the product or category id that exempted it. */
  exemptId: z.string().optional(),
  /**
   * On a line exempt by a product or category rule: the points it would have earned without its exemption
   * (its share of what lifting the sale's product and category exemptions would add; 0 when a gate, such as
   * no customer, kept the sale from earning anyway). Absent on decisions made before it was recorded.
   */
  withheldPoints: z.number().int().min(0).optional(),
});

export const decisionStatusSchema = z.enum(['credited', 'pending', 'none', 'reversed']);

/**
 * What one sale version is worth. `points` is the sale's signed total after this version (a return or
 * void is negative or zero); the ledger posts the difference from what it already recorded.
 */
export const decisionSchema = z.object({
  saleId: z.string(),
  saleVersion: z.number().int(),
  rulesVersion: z.number().int(),
  status: decisionStatusSchema,
  points: z.number().int(),
  /** When the points become available: now for credited, later for pending. */
  availableAt: z.iso.datetime({ offset: true }).nullable(),
  base: z.number().int(),
  customerId: z.string().nullable(),
  returnFor: z.string().nullable(),
  lines: z.array(lineBreakdownSchema),
  reasons: z.array(reasonSchema),
});

export type Decision = z.infer<typeof decisionSchema>;
export type LineBreakdown = z.infer<typeof lineBreakdownSchema>;
export type DecisionStatus = z.infer<typeof decisionStatusSchema>;
