import { z } from 'zod';
import { isoTime, seriesSchema } from './common.js';

/** GET /admin/api/search?q= : sales by Sale ID or receipt, customers by email, phone or name. */
export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type a Sale ID, a receipt number, an email, a phone number or a name').max(200),
  merchantId: z.string().min(1).max(64).optional(),
});

export const saleHitSchema = z.object({
  merchantId: z.string(),
  merchantName: z.string(),
  /** The merchant's time zone: a search may find sales of several merchants, each read in its own. */
  merchantTimezone: z.string(),
  saleId: z.string(),
  receipt: z.string().nullable(),
  receivedAt: isoTime,
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  status: z.string().nullable(),
  points: z.number().int().nullable(),
});
export type SaleHit = z.infer<typeof saleHitSchema>;

export const customerHitSchema = z.object({
  merchantId: z.string(),
  merchantName: z.string(),
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  available: z.number(),
  pending: z.number(),
});
export type CustomerHit = z.infer<typeof customerHitSchema>;

export const searchAnswerSchema = z.object({ sales: z.array(saleHitSchema), customers: z.array(customerHitSchema) });
export type SearchAnswer = z.infer<typeof searchAnswerSchema>;

/** GET /admin/api/merchants: each merchant the person may see, with the health of its intake. */
export const merchantHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  series: seriesSchema,
  timezone: z.string(),
  paused: z.boolean(),
  needsReauth: z.boolean(),
  lastWebhookAt: isoTime.nullable(),
  lastPollAt: isoTime.nullable(),
  pollError: z.string().nullable(),
  failedEvents: z.number().int(),
  waitingEvents: z.number().int(),
  /** The oldest event still to process (not failed): now minus this is the intake's lag. */
  oldestOpenAt: isoTime.nullable(),
});
export type MerchantHealth = z.infer<typeof merchantHealthSchema>;
export const merchantsAnswerSchema = z.array(merchantHealthSchema);
