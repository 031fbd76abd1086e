import { z } from 'zod';
import { decisionSchema } from './decision.js';

/** Reference-data names, so reasons name things rather than ids: only those a sale mentions. */
export const saleNamesSchema = z.object({
  segments: z.record(z.string(), z.string()).default({}),
  categories: z.record(z.string(), z.string()).default({}),
  products: z.record(z.string(), z.string()).default({}),
});
export type SaleNames = z.infer<typeof saleNamesSchema>;

/** Everything evaluation needs beyond the sale and the rules: no clock, no I/O inside the engine. */
export const evaluationContextSchema = z.object({
  now: z.iso.datetime({ offset: true }),
  timezone: z.string(),
  /** Autorewards start by default on the merchant's creation date. */
  merchantCreatedAt: z.iso.datetime({ offset: true }),
  /** The rewards button (POS or API) was pressed for this sale. */
  rewardsRequested: z.boolean().default(false),
  /** Points the ledger already holds for this sale (so a void can say what it reverses). */
  alreadyCredited: z.number().int().default(0),
  /** Points this sale's returns already took back: a void reverses only what is left. */
  returnedPoints: z.number().int().nonnegative().default(0),
  /**
   * Who holds the points this sale earned so far, and how many (after its returns): when the sale now
   * names someone else, the decision says that the points move.
   */
  creditedTo: z.object({ customerId: z.string(), points: z.number().int() }).nullable().default(null),
  names: saleNamesSchema.prefault({}),
  /** For a return: the original sale's stored decision and what earlier returns already reversed. */
  original: z
    .object({
      saleId: z.string(),
      decision: decisionSchema.nullable(),
      reversed: z
        .object({
          total: z.number().int().nonnegative().default(0),
          byLine: z.record(z.string(), z.object({ quantity: z.number().nonnegative(), points: z.number().int().nonnegative() })).default({}),
        })
        .prefault({}),
    })
    .optional(),
});

export type EvaluationContext = z.infer<typeof evaluationContextSchema>;
export type EvaluationContextInput = z.input<typeof evaluationContextSchema>;
