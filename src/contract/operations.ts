import { z } from 'zod';
import { isoTime, seriesSchema } from './common.js';

/** The Operations page's routes: GET .../merchants/:id, GET .../events, POST .../events/:eventId/replay, .../events/replay, .../backfill. */

/** GET /admin/api/merchants/:id as the console reads it (the full answer also says which secrets are set). */
export const merchantAnswerSchema = z.object({
  id: z.string(),
  name: z.string(),
  series: seriesSchema,
  timezone: z.string(),
  paused: z.boolean(),
  needsReauth: z.boolean(),
  needsReauthReason: z.string().nullable(),
  polling: z
    .object({
      cursor: z.string().nullable(),
      lastRunAt: isoTime.nullable(),
      lastSuccessAt: isoTime.nullable(),
      lastError: z.string().nullable(),
      flagged: z.boolean(),
      /** The last run of failed polls (Lightspeed or its token endpoint down), kept after recovery. */
      lastOutage: z.object({ startedAt: isoTime, endedAt: isoTime.nullable(), failures: z.number().int(), lastError: z.string().nullable() }).nullable(),
    })
    .nullable(),
});
export type MerchantAnswer = z.infer<typeof merchantAnswerSchema>;

export const openEventSchema = z.object({
  id: z.number().int(),
  saleId: z.string(),
  version: z.number(),
  /** The receipt number a person reads: the failed events are named by it, as everywhere in the console. */
  receipt: z.string().nullable(),
  source: z.string(),
  status: z.string(),
  receivedAt: isoTime,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  retryAt: isoTime.nullable(),
});
export type OpenEvent = z.infer<typeof openEventSchema>;

export const replayAnswerSchema = z.object({ replayed: z.number().int() });
export type ReplayAnswer = z.infer<typeof replayAnswerSchema>;

export const backfillSchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .refine((w) => Date.parse(w.from) < Date.parse(w.to), { message: 'from must be before to', path: ['to'] })
  .transform((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() }));
export type BackfillRequest = z.input<typeof backfillSchema>;
