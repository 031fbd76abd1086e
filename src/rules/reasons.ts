import { z } from 'zod';

/** Stable API: support tools and merchants read these codes. Never rename one. */
export const reasonCodes = [
  'NO_CUSTOMER',
  'CUSTOMER_SEGMENT_EXCLUDED',
  'CUSTOMER_EXEMPT',
  'MISSING_IDENTITY',
  'SALE_NOT_COMPLETED',
  'SALE_VOIDED',
  'BEFORE_START_DATE',
  'AWAITING_REWARDS_BUTTON',
  'LINE_PRODUCT_EXEMPT',
  'LINE_CATEGORY_EXEMPT',
  'LINE_GIFT_CARD',
  'TENDER_EXCLUDED',
  'BELOW_STEP',
  'PENDING_UNTIL',
  'CREDITED',
  'RETURN_REVERSED',
  'VOID_REVERSED',
  'STALE_VERSION',
  'MERCHANT_PAUSED',
  'CUSTOMER_CHANGED',
  'NOTHING_ELIGIBLE',
] as const;

export const reasonCodeSchema = z.enum(reasonCodes);
export type ReasonCode = z.infer<typeof reasonCodeSchema>;

export const reasonSchema = z.object({
  code: reasonCodeSchema,
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type Reason = z.infer<typeof reasonSchema>;

export const reason = (code: ReasonCode, message: string, data: Record<string, unknown> = {}): Reason => ({ code, message, data });
