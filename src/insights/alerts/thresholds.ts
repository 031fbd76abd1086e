import { z } from 'zod';

/** What makes an alert, per merchant; every field has a default, so `{}` is valid. */
export const thresholdsSchema = z
  .object({
    /** Below this many completed sales on the day (and in its baseline), rates are not compared: small stores are not spammed. */
    minSales: z.number().int().min(1).max(100_000).default(20),
    /** The earning rate falls this far (absolute share, 0.25 = 25 points) below the same weekdays of the last four weeks. */
    earningDrop: z.number().min(0.01).max(1).default(0.25),
    /** One cause's share of completed sales rises this far above its baseline. */
    causeJump: z.number().min(0.01).max(1).default(0.2),
    /** A register's or cashier's attach rate over the last 7 days below this, over at least minSales sales. */
    attachBelow: z.number().min(0).max(1).default(0.5),
    /** Sales the poll found first, with none by webhook, over the last two days (X-Series): the webhook is broken. */
    pollOnlySales: z.number().int().min(1).max(100_000).default(5),
    /** Hours without a successful poll. */
    pollStalledHours: z.number().int().min(1).max(720).default(6),
    /** Failed inbox events waiting for someone. */
    failedEvents: z.number().int().min(1).max(1_000_000).default(10),
  })
  .strict();
export type Thresholds = z.infer<typeof thresholdsSchema>;
export const defaultThresholds: Thresholds = thresholdsSchema.parse({});
