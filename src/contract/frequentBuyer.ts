export const claimStatuses = ['held', 'new', 'batched', 'credited', 'denied', 'resubmitted', 'cancelled'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

/** Why a distributor denies a claim (the retailer corrects and resubmits). */
export const denialReasons = [
  'incorrect_account_number',
  'missing_account_number',
  'not_a_customer',
  'item_not_in_program',
  'insufficient_purchases',
  'other',
] as const;
export type DenialReason = (typeof denialReasons)[number];

/**
 * What the frequent-buyer console routes answer, shared with the console's typed client. Dates are ISO
 * strings on the wire; money is integer minor units.
 */
export interface DistributorView {
  id: number;
  name: string;
  regions: string[];
  requiresAccountNumber: boolean;
  isHolding: boolean;
}

export interface OfferView {
  id: number;
  manufacturer: string;
  brand: string;
  name: string;
  purchasesRequired: number;
  freeItemRule: 'lesser_or_equal_value' | 'least_value';
  startsOn: string;
  endsOn: string | null;
  products: Array<{ upc?: string; ean?: string; sku?: string }>;
  eligibleDistributors: Array<{ id: number; name: string; regions: string[]; requiresAccountNumber: boolean }>;
}

export interface LocationView {
  shopId: string;
  name: string;
  region: string;
}

/** An enrollment a distributor moved to Temporary Holding: why, since when, and the claims waiting. */
export interface HoldingView {
  offerId: number;
  offerName: string;
  shopId: string;
  locationName: string;
  reason: string | null;
  since: string;
  heldClaims: number;
}

export interface ClaimEventView {
  claimId: number;
  at: string;
  actor: string;
  from: ClaimStatus | null;
  to: ClaimStatus;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface ClaimView {
  id: number;
  redemptionId: number;
  merchantId: string;
  offerId: number;
  offerName: string;
  shopId: string;
  locationName: string | null;
  distributorId: number;
  distributorName: string;
  accountNumber: string | null;
  value: number;
  status: ClaimStatus;
  denialReason: string | null;
  denialNote: string | null;
  batchId: number | null;
  saleId: string | null;
  customerId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ClaimWithHistory = ClaimView & { history: ClaimEventView[] };

export interface PunchCardView {
  offerId: number;
  offerName: string;
  purchasesRequired: number;
  bought: number;
  used: number;
  available: number;
  /** The sales that counted (or took back, on a return) units on this card. */
  purchases: Array<{ saleId: string; units: number; unitPrice: number; soldAt: string; shopId: string | null }>;
  redemptions: Array<{
    id: number;
    saleId: string | null;
    status: 'accepted' | 'rejected' | 'voided';
    reasonCode: string | null;
    punchesUsed: number;
    freeItemPrice: number;
    createdAt: string;
    claimStatus: ClaimStatus | null;
  }>;
}

export interface DistributorRequestView {
  id: number;
  merchantId: string;
  offerId: number | null;
  offerName: string | null;
  distributorName: string;
  contact: string;
  note: string | null;
  requestedBy: string;
  createdAt: string;
  status: 'open' | 'added' | 'declined';
  statusNote: string | null;
  statusChangedBy: string | null;
  statusChangedAt: string | null;
}

export interface BatchSummaryView {
  id: number;
  createdBy: string;
  createdAt: string;
  creditReference: string | null;
  creditedAt: string | null;
  claims: number;
  total: number;
}

export interface DistributorEnrollmentView {
  merchantId: string;
  offerId: number;
  offerName: string;
  shopId: string;
  locationName: string;
  region: string;
  accountNumber: string | null;
}

/** One cell of the enrollment grid: a location × an offer, its distributor and account number. */
export interface GridCell {
  shopId: string;
  locationName: string;
  region: string;
  offerId: number;
  offerName: string;
  distributorId: number | null;
  distributorName: string | null;
  accountNumber: string | null;
  inHolding: boolean;
  holdingReason: string | null;
}
