import { z } from 'zod';
import { isoTime } from './common.js';

/**
 * The frequent-buyer answers (the retailer's screens under /admin/api, the distributor portal under
 * /distributor/api): zod schemas whose inferred types both the server's views (src/frequentBuyer/views.ts)
 * and the console's client compile against. Dates are ISO strings on the wire, calendar days
 * "YYYY-MM-DD"; money is integer minor units.
 */

export const claimStatuses = ['held', 'new', 'batched', 'credited', 'denied', 'resubmitted', 'cancelled'] as const;
export const claimStatusSchema = z.enum(claimStatuses);
export type ClaimStatus = z.infer<typeof claimStatusSchema>;

/** Why a distributor denies a claim (the retailer corrects and resubmits). */
export const denialReasons = [
  'incorrect_account_number',
  'missing_account_number',
  'not_a_customer',
  'item_not_in_program',
  'insufficient_purchases',
  'other',
] as const;
export const denialReasonSchema = z.enum(denialReasons);
export type DenialReason = z.infer<typeof denialReasonSchema>;

const calendarDay = z.string().describe('calendar day, YYYY-MM-DD');
const productCodesSchema = z.object({ upc: z.string().optional(), ean: z.string().optional(), sku: z.string().optional() });

export const distributorViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  regions: z.array(z.string()),
  requiresAccountNumber: z.boolean(),
  isHolding: z.boolean(),
});
export type DistributorView = z.infer<typeof distributorViewSchema>;

export const offerViewSchema = z.object({
  id: z.number().int(),
  manufacturer: z.string(),
  brand: z.string(),
  name: z.string(),
  purchasesRequired: z.number().int(),
  freeItemRule: z.enum(['lesser_or_equal_value', 'least_value']),
  startsOn: calendarDay,
  endsOn: calendarDay.nullable(),
  products: z.array(productCodesSchema),
  eligibleDistributors: z.array(distributorViewSchema.omit({ isHolding: true })),
});
export type OfferView = z.infer<typeof offerViewSchema>;

export const locationViewSchema = z.object({ shopId: z.string(), name: z.string(), region: z.string() });
export type LocationView = z.infer<typeof locationViewSchema>;

/** An enrollment a distributor moved to Temporary Holding: why, since when, and the claims waiting. */
export const holdingViewSchema = z.object({
  offerId: z.number().int(),
  offerName: z.string(),
  shopId: z.string(),
  locationName: z.string(),
  reason: z.string().nullable(),
  since: isoTime,
  heldClaims: z.number().int(),
});
export type HoldingView = z.infer<typeof holdingViewSchema>;

export const claimEventViewSchema = z.object({
  claimId: z.number().int(),
  at: isoTime,
  actor: z.string(),
  from: claimStatusSchema.nullable(),
  to: claimStatusSchema,
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type ClaimEventView = z.infer<typeof claimEventViewSchema>;

export const claimViewSchema = z.object({
  id: z.number().int(),
  redemptionId: z.number().int(),
  merchantId: z.string(),
  /** The retailer's name (what a distributor reads; the id is the platform's). */
  merchantName: z.string(),
  /** The retailer's time zone: the claim's sale is dated in it. */
  merchantTimezone: z.string(),
  offerId: z.number().int(),
  offerName: z.string(),
  shopId: z.string(),
  locationName: z.string().nullable(),
  distributorId: z.number().int(),
  distributorName: z.string(),
  accountNumber: z.string().nullable(),
  value: z.number().int(),
  status: claimStatusSchema,
  denialReason: z.string().nullable(),
  denialNote: z.string().nullable(),
  batchId: z.number().int().nullable(),
  saleId: z.string().nullable(),
  /** The sale's receipt number, when the sale was received with one (what a person reads). */
  receipt: z.string().nullable(),
  customerId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type ClaimView = z.infer<typeof claimViewSchema>;

export const claimWithHistorySchema = claimViewSchema.extend({ history: z.array(claimEventViewSchema) });
export type ClaimWithHistory = z.infer<typeof claimWithHistorySchema>;

export const punchCardViewSchema = z.object({
  offerId: z.number().int(),
  offerName: z.string(),
  purchasesRequired: z.number().int(),
  bought: z.number().int(),
  used: z.number().int(),
  available: z.number().int(),
  /** The sales that counted (or took back, on a return) units on this card, with their receipt and location. */
  purchases: z.array(
    z.object({
      saleId: z.string(),
      receipt: z.string().nullable(),
      units: z.number().int(),
      unitPrice: z.number().int(),
      soldAt: isoTime,
      shopId: z.string().nullable(),
      locationName: z.string().nullable(),
    }),
  ),
  redemptions: z.array(
    z.object({
      id: z.number().int(),
      saleId: z.string().nullable(),
      receipt: z.string().nullable(),
      status: z.enum(['accepted', 'rejected', 'voided']),
      reasonCode: z.string().nullable(),
      punchesUsed: z.number().int(),
      freeItemPrice: z.number().int(),
      createdAt: isoTime,
      claimStatus: claimStatusSchema.nullable(),
    }),
  ),
});
export type PunchCardView = z.infer<typeof punchCardViewSchema>;
export const punchCardsAnswerSchema = z.object({ cards: z.array(punchCardViewSchema) });
export type PunchCardsAnswer = z.infer<typeof punchCardsAnswerSchema>;

export const distributorRequestViewSchema = z.object({
  id: z.number().int(),
  merchantId: z.string(),
  /** The retailer's name (the platform's page lists requests of every merchant). */
  merchantName: z.string(),
  /** The retailer's time zone: each request's time is read in it (the page mixes merchants). */
  merchantTimezone: z.string(),
  offerId: z.number().int().nullable(),
  offerName: z.string().nullable(),
  distributorName: z.string(),
  contact: z.string(),
  note: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: isoTime,
  status: z.enum(['open', 'added', 'declined']),
  statusNote: z.string().nullable(),
  statusChangedBy: z.string().nullable(),
  statusChangedAt: isoTime.nullable(),
});
export type DistributorRequestView = z.infer<typeof distributorRequestViewSchema>;

export const batchSummaryViewSchema = z.object({
  id: z.number().int(),
  createdBy: z.string(),
  createdAt: isoTime,
  creditReference: z.string().nullable(),
  creditedAt: isoTime.nullable(),
  claims: z.number().int(),
  total: z.number().int(),
});
export type BatchSummaryView = z.infer<typeof batchSummaryViewSchema>;

export const distributorEnrollmentViewSchema = z.object({
  merchantId: z.string(),
  /** The retailer's name (what a distributor reads). */
  merchantName: z.string(),
  offerId: z.number().int(),
  offerName: z.string(),
  shopId: z.string(),
  locationName: z.string(),
  region: z.string(),
  accountNumber: z.string().nullable(),
});
export type DistributorEnrollmentView = z.infer<typeof distributorEnrollmentViewSchema>;

/** One cell of the enrollment grid: a location × an offer, its distributor and account number. */
export const gridCellSchema = z.object({
  shopId: z.string(),
  locationName: z.string(),
  region: z.string(),
  offerId: z.number().int(),
  offerName: z.string(),
  distributorId: z.number().int().nullable(),
  distributorName: z.string().nullable(),
  accountNumber: z.string().nullable(),
  inHolding: z.boolean(),
  holdingReason: z.string().nullable(),
});
export type GridCell = z.infer<typeof gridCellSchema>;

/** The distributor portal's "who am I". */
export const distributorMeSchema = z.object({
  actor: z.string(),
  distributor: z.object({ id: z.number().int(), name: z.string(), regions: z.array(z.string()) }),
});
export type DistributorMe = z.infer<typeof distributorMeSchema>;
