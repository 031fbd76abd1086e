import { denialReasons, type DenialReason, type GridCell } from '../../../src/contract/frequentBuyer';
import type {
  BatchSummaryView,
  ClaimView,
  ClaimWithHistory,
  DistributorEnrollmentView,
  DistributorRequestView,
  DistributorView,
  HoldingView,
  LocationView,
  OfferView,
  PunchCardView,
} from '../../../src/contract/frequentBuyer';
import { ApiError, request } from './client';

/**
 * The frequent-buyer screens' calls: the retailer's and platform's routes under /admin/api, the
 * distributor portal's under /distributor/api, through the one client (./client.ts, one error path).
 */
const admin = <T>(method: string, path: string, body?: unknown) => request<T>('/admin/api', method, path, body);
const portal = <T>(method: string, path: string, body?: unknown) => request<T>('/distributor/api', method, path, body);
const enc = encodeURIComponent;
const m = (merchantId: string) => `/merchants/${enc(merchantId)}`;

export const DENIAL_REASONS: readonly DenialReason[] = denialReasons;

export interface OfferInput {
  manufacturer: string;
  brand: string;
  name: string;
  purchasesRequired: number;
  products: Array<{ upc?: string; ean?: string; sku?: string }>;
  freeItemRule: OfferView['freeItemRule'];
  startsOn: string;
  endsOn?: string;
  eligibleDistributorIds: number[];
}

export const fb = {
  offers: () => admin<OfferView[]>('GET', '/frequent-buyer/offers'),
  distributors: () => admin<DistributorView[]>('GET', '/frequent-buyer/distributors'),
  createDistributor: (input: { name: string; regions: string[]; requiresAccountNumber: boolean }) =>
    admin<DistributorView>('POST', '/frequent-buyer/distributors', input),
  createOffer: (input: OfferInput) => admin<OfferInput & { id: number }>('POST', '/frequent-buyer/offers', input),
  allRequests: () => admin<DistributorRequestView[]>('GET', '/frequent-buyer/distributor-requests'),
  setRequestStatus: (id: number, status: DistributorRequestView['status'], note?: string) =>
    admin<DistributorRequestView>('PATCH', `/frequent-buyer/distributor-requests/${id}`, { status, ...(note ? { note } : {}) }),
  locations: (merchantId: string) => admin<LocationView[]>('GET', `${m(merchantId)}/locations`),
  grid: (merchantId: string, shopId?: string) =>
    admin<GridCell[]>('GET', `${m(merchantId)}/frequent-buyer/enrollments${shopId ? `?shopId=${enc(shopId)}` : ''}`),
  eligible: (merchantId: string, offerId: number, shopId: string) =>
    admin<{ region: string; distributors: DistributorView[] }>(
      'GET',
      `${m(merchantId)}/frequent-buyer/eligible-distributors?offerId=${offerId}&shopId=${enc(shopId)}`,
    ),
  enroll: (merchantId: string, offerId: number, shopId: string, input: { distributorId: number; accountNumber?: string }) =>
    admin<{ releasedClaims: number[] }>('PUT', `${m(merchantId)}/frequent-buyer/enrollments/${offerId}/${enc(shopId)}`, input),
  holding: (merchantId: string) => admin<HoldingView[]>('GET', `${m(merchantId)}/frequent-buyer/holding`),
  claims: (merchantId: string) => admin<ClaimWithHistory[]>('GET', `${m(merchantId)}/frequent-buyer/claims-with-history`),
  resubmit: (merchantId: string, claimId: number, input: { distributorId?: number; accountNumber?: string; note?: string }) =>
    admin<ClaimWithHistory>('POST', `${m(merchantId)}/frequent-buyer/claims/${claimId}/resubmit`, input),
  punchCards: (merchantId: string, customerId: string) =>
    admin<{ cards: PunchCardView[] }>('GET', `${m(merchantId)}/frequent-buyer/customers/${enc(customerId)}/punch-cards`),
  requests: (merchantId: string) => admin<DistributorRequestView[]>('GET', `${m(merchantId)}/frequent-buyer/distributor-requests`),
  requestDistributor: (merchantId: string, input: { offerId?: number; distributorName: string; contact: string; note?: string }) =>
    admin<DistributorRequestView>('POST', `${m(merchantId)}/frequent-buyer/distributor-requests`, input),
};

export const distributorApi = {
  me: () => portal<{ actor: string; distributor: { id: number; name: string; regions: string[] } }>('GET', '/me'),
  claims: (status?: string) => portal<ClaimView[]>('GET', `/claims${status ? `?status=${enc(status)}` : ''}`),
  claim: (id: number | string) => portal<ClaimWithHistory>('GET', `/claims/${enc(String(id))}`),
  deny: (id: number, reason: DenialReason, note?: string) => portal<ClaimWithHistory>('POST', `/claims/${id}/deny`, { reason, ...(note ? { note } : {}) }),
  batch: (claimIds?: number[]) => portal<{ id: number; claimIds: number[] }>('POST', '/batches', claimIds ? { claimIds } : {}),
  batches: () => portal<BatchSummaryView[]>('GET', '/batches'),
  credit: (batchId: number, creditReference: string) => portal<{ credited: number[] }>('POST', `/batches/${batchId}/credit`, { creditReference }),
  exportUrl: (batchId: number) => `/distributor/api/batches/${batchId}/export.csv`,
  enrollments: () => portal<DistributorEnrollmentView[]>('GET', '/enrollments'),
  hold: (e: { merchantId: string; offerId: number; shopId: string }, reason: string) =>
    portal<{ heldClaims: number[] }>('POST', `/enrollments/${enc(e.merchantId)}/${e.offerId}/${enc(e.shopId)}/holding`, { reason }),
};

/** A 400's field issues, by the field's path ("regions.0" → "regions"), as the server worded them. */
export function fieldIssues(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.details as Array<{ path?: string; message?: string }>) {
    const key = (issue.path ?? '').split('.')[0] ?? '';
    if (!out[key] && issue.message) out[key] = issue.message;
  }
  return out;
}

export type { DenialReason, GridCell };
export type {
  BatchSummaryView,
  ClaimView,
  ClaimWithHistory,
  DistributorEnrollmentView,
  DistributorRequestView,
  DistributorView,
  HoldingView,
  LocationView,
  OfferView,
  PunchCardView,
};
