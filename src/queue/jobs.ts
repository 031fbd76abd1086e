import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A sales job carries only the inbox event id: Postgres holds the payload. */
export const saleJobSchema = z.object({ eventId: z.number().int().positive() });
export type SaleJob = z.infer<typeof saleJobSchema>;

/** Wakes the release of one merchant's pending entries due by `dueBy` (epoch ms). */
export const releaseJobSchema = z.object({ merchantId: z.string(), dueBy: z.number().int() });
export type ReleaseJob = z.infer<typeof releaseJobSchema>;

// BullMQ job ids must not be integers and must not contain ':' (its key separator).
export const saleJobId = (eventId: number) => `event-${eventId}`;
export const releaseJobId = (merchantId: string, dueBy: number) => `release-${merchantId}-${dueBy}`;

/** Re-evaluate a sale's latest version (the rewards button was pressed). */
export const reevaluateJobSchema = z.object({ merchantId: z.string(), saleId: z.string() });
export type ReevaluateJob = z.infer<typeof reevaluateJobSchema>;
export const reevaluateJobId = (merchantId: string, saleId: string) =>
  `reevaluate-${createHash('sha256').update(`${merchantId}\u0000${saleId}`).digest('hex').slice(0, 32)}`;
/**
 * The name on bull-board, "reevaluate <merchant> <sale id> #<receipt>" like a sale job's, so an admin finds
 * it by any of the three. The worker tells the kinds apart by name: jobs queued before names carried the
 * sale are called just "reevaluate".
 */
export const reevaluateJobName = (merchantId: string, saleId: string, receipt: string | null) =>
  `reevaluate ${merchantId} ${saleId}${receipt ? ` #${receipt}` : ''}`.slice(0, 200);
export const isReevaluateJob = (name: string) => name === 'reevaluate' || name.startsWith('reevaluate ');

export const pollJobSchema = z.object({ merchantId: z.string() });
export const backfillJobSchema = z.object({
  merchantId: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Set by the worker after each stored page: a run handed back for a rate limit goes on from there. */
  resume: z.string().optional(),
});
export type BackfillJob = z.infer<typeof backfillJobSchema>;
export const pollSchedulerId = (merchantId: string) => `poll-${merchantId}`;
