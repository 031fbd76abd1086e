import { z } from 'zod';

// Figure 5's answer, as a zod schema (its OpenAPI response). It is declared here, in the insights room,
// and re-exported by src/contract/insights.ts with the other insights answers: the contract already imports
// the insights views' types, so the insights room importing the contract would make the two rooms import
// each other (test/unit/architecture.test.ts). Nothing here imports anything but zod.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** An exemption of the rules: a product or a category (and everything under it), by its Lightspeed id. */
export const exemptionKindSchema = z.enum(['product', 'category']);

/** GET /merchants/:id/insights/withheld: the points product and category exemptions kept from customers. */
export const withheldAnswerSchema = z.object({
  merchantId: z.string(),
  timezone: z.string(),
  period: z.object({ from: day, to: day, by: z.enum(['day', 'week']) }),
  /** Every exemption that withheld points in the window, most points first. */
  exemptions: z.array(
    z.object({
      /** `kind:id`, the key of `series.rows[].points`. */
      key: z.string(),
      kind: exemptionKindSchema,
      id: z.string(),
      /** As the reference cache holds it; null when Lightspeed has not given one (the console shows the id). */
      name: z.string().nullable(),
      points: z.number().int(),
      sales: z.number().int(),
    }),
  ),
  total: z.object({ points: z.number().int() }),
  /** The first `series.keys.length` exemptions (at most 6) per bucket, for the chart and its table. */
  series: z.object({
    keys: z.array(z.string()),
    rows: z.array(z.object({ bucket: day, from: day, to: day, points: z.record(z.string(), z.number().int()) })),
  }),
});
export type WithheldAnswer = z.infer<typeof withheldAnswerSchema>;
