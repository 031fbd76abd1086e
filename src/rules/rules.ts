import { z } from 'zod';
import { paymentKindSchema } from './sale.js';

const isoDate = z.iso.date();

/** A merchant's rules document. Every field has a default, so `{}` is a valid document. */
export const rulesSchema = z.object({
  earn: z
    .object({
      pointsPerStep: z.number().int().min(1).default(1),
      /** Minor units per step: 1 point per $1.00 is stepAmount 100. */
      stepAmount: z.number().int().min(1).default(100),
      rounding: z.enum(['down', 'up']).default('down'),
    })
    .prefault({}),
  customerSegments: z
    .object({
      excluded: z.array(z.string()).default([]),
      /** Per segment; at most two decimals (1.5 = 150 %), applied with integer arithmetic. */
      multipliers: z.record(z.string(), z.number().positive().max(100).multipleOf(0.01)).default({}),
    })
    .prefault({}),
  exemptions: z
    .object({
      productIds: z.array(z.string()).default([]),
      categoryIds: z.array(z.string()).default([]),
    })
    .prefault({}),
  tenders: z.object({ excluded: z.array(paymentKindSchema).default(['gift_card', 'store_credit', 'loyalty']) }).prefault({}),
  autoRewards: z
    .object({
      enabled: z.boolean().default(true),
      /** In the merchant's time zone; absent = the merchant's creation date. */
      startDate: isoDate.optional(),
    })
    .prefault({}),
  delayDays: z.number().int().min(0).max(3650).default(0),
  requireIdentity: z.boolean().default(false),
  /**
   * "Respect Lightspeed's loyalty switch": a customer whose switch for Lightspeed X's own built-in loyalty
   * is off (`enable_loyalty: false`) earns nothing here either. Off by default: a store that does not use
   * Lightspeed's program leaves the switch off for most customers, so it says nothing about this program.
   */
  respectLightspeedLoyalty: z.boolean().default(false),
});

export type RulesDocument = z.infer<typeof rulesSchema>;
export type RulesInput = z.input<typeof rulesSchema>;
/** A stored, versioned rules document. */
export type Rules = RulesDocument & { version: number };

export function defaultRules(version = 1): Rules {
  return { ...rulesSchema.parse({}), version };
}
