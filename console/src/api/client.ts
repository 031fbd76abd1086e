import type { Connection, ConnectionSummary } from '../../../src/contract/connection';
import type { CustomerHistory, CustomerSales, CustomerSummary, CustomerView, AdjustmentRequest } from '../../../src/contract/customer';
import type { BackfillRequest, MerchantAnswer, OpenEvent, ReplayAnswer } from '../../../src/contract/operations';
import type { ReferenceAnswer, RulesAnswer, RulesDocument, RulesPreview, RulesVersionsAnswer } from '../../../src/contract/rules';
import type { RewardsRequestAnswer, SaleAnswer } from '../../../src/contract/sale';
import type { MerchantHealth, SearchAnswer } from '../../../src/contract/search';
import type { SessionUser, StaffUserCreate, StaffUserView } from '../../../src/contract/staff';
import type { AlertRow, InsightSalesBody, InsightsBody, InsightsOverviewBody, WithheldAnswer } from '../../../src/contract/insights';
import type { DeliveryView, EndpointView, EndpointWithSecret } from '../../../src/contract/outboundEvents';
import { denialReasons, type DenialReason, type GridCell } from '../../../src/contract/frequentBuyer';
import type {
  BatchSummaryView,
  ClaimView,
  ClaimWithHistory,
  DistributorEnrollmentView,
  DistributorMe,
  DistributorRequestView,
  DistributorView,
  HoldingView,
  LocationView,
  OfferView,
  PunchCardsAnswer,
  PunchCardView,
} from '../../../src/contract/frequentBuyer';

/**
 * The console's one API client: every call goes through `request` (same origin, the session cookie),
 * and every refusal becomes an ApiError with the server's stable code, which the console translates
 * (components/ServerError, i18n `errors.<CODE>`). The answers' types come from the server's contract
 * (src/contract/), so a change there that a page does not follow fails `npm run typecheck`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type ApiBase = '/admin/api' | '/distributor/api';

export async function request<T>(base: ApiBase, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // The service could not be reached at all (network down, server restarting).
    throw new ApiError(0, 'NETWORK', String(error));
  }
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } };
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? `HTTP_${res.status}`, json.error?.message ?? res.statusText, json.error?.details);
  return json as T;
}

const call = <T>(method: string, path: string, body?: unknown) => request<T>('/admin/api', method, path, body);
/** The distributor portal's routes (a distributor's session). */
const portalCall = <T>(method: string, path: string, body?: unknown) => request<T>('/distributor/api', method, path, body);
const enc = encodeURIComponent;
const m = (merchantId: string) => `/merchants/${enc(merchantId)}`;
/** Whose webhook endpoints: a merchant's, or (null) the platform-wide ones. */
const hooks = (merchantId: string | null) => (merchantId === null ? '/webhook-endpoints' : `${m(merchantId)}/webhook-endpoints`);

export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: string[];
}

export const api = {
  session: () => call<{ user: User }>('GET', '/session'),
  signIn: (email: string, password: string) => call<{ user: User }>('POST', '/session', { email, password }),
  signOut: () => call<void>('DELETE', '/session'),
  merchants: () => call<MerchantHealth[]>('GET', '/merchants'),
  merchant: (id: string) => call<Merchant>('GET', m(id)),
  search: (q: string) => call<SearchAnswer>('GET', `/search?q=${enc(q)}`),
  sale: (merchantId: string, saleId: string) => call<SaleView>('GET', `${m(merchantId)}/sales/${enc(saleId)}`),
  requestRewards: (merchantId: string, saleId: string) => call<RewardsRequestAnswer>('POST', `${m(merchantId)}/sales/${enc(saleId)}/rewards`, {}),
  customer: (merchantId: string, customerId: string) => call<CustomerView>('GET', `${m(merchantId)}/customers/${enc(customerId)}`),
  events: (merchantId: string, status?: string) => call<OpenEvent[]>('GET', `${m(merchantId)}/events${status ? `?status=${enc(status)}` : ''}`),
  replay: (merchantId: string, eventId: number) => call<ReplayAnswer>('POST', `${m(merchantId)}/events/${eventId}/replay`, {}),
  rules: (merchantId: string) => call<Rules>('GET', `${m(merchantId)}/rules`),
  saveRules: (merchantId: string, rules: RulesDocument) => call<Rules>('PUT', `${m(merchantId)}/rules`, rules),
  ruleVersions: (merchantId: string) => call<RulesVersionsAnswer>('GET', `${m(merchantId)}/rules/versions`),
  reference: (merchantId: string) => call<Reference>('GET', `${m(merchantId)}/reference`),
  previewRules: (merchantId: string, rules: RulesDocument) => call<RulesPreview>('POST', `${m(merchantId)}/rules/preview`, { rules }),
  staff: () => call<StaffUser[]>('GET', '/staff'),
  createStaff: (input: StaffUserCreate) => call<StaffUser>('POST', '/staff', input),
  disableStaff: (id: number) => call<StaffUser>('POST', `/staff/${id}/disable`, {}),
  changePassword: (currentPassword: string, newPassword: string) => call<void>('POST', '/session/password', { currentPassword, newPassword }),
  resetStaffPassword: (id: number, password: string) => call<StaffUser>('POST', `/staff/${id}/reset-password`, { password }),
  // Outbound events (src/events/routes.ts).
  eventTypes: () => call<{ eventTypes: string[] }>('GET', '/webhook-event-types'),
  webhookEndpoints: (merchantId: string | null) => call<EndpointView[]>('GET', hooks(merchantId)),
  createWebhookEndpoint: (merchantId: string | null, input: EndpointInput) => call<EndpointWithSecret>('POST', hooks(merchantId), input),
  deleteWebhookEndpoint: (merchantId: string | null, id: number) => call<void>('DELETE', `${hooks(merchantId)}/${id}`),
  rotateWebhookSecret: (merchantId: string | null, id: number) => call<EndpointWithSecret>('POST', `${hooks(merchantId)}/${id}/rotate-secret`, {}),
  setWebhookEndpointEnabled: (merchantId: string | null, id: number, enabled: boolean) =>
    call<EndpointView>('POST', `${hooks(merchantId)}/${id}/${enabled ? 'enable' : 'disable'}`, {}),
  sendWebhookTest: (merchantId: string | null, id: number) => call<{ eventId: string }>('POST', `${hooks(merchantId)}/${id}/test`, {}),
  webhookDeliveries: (merchantId: string | null, id: number) => call<DeliveryView[]>('GET', `${hooks(merchantId)}/${id}/deliveries?limit=25`),
  replayWebhookDelivery: (merchantId: string | null, id: number, deliveryId: number) =>
    call<{ replayed: number }>('POST', `${hooks(merchantId)}/${id}/deliveries/${deliveryId}/replay`, {}),
  replayWebhookSince: (merchantId: string | null, id: number, since: string) =>
    call<{ replayed: number }>('POST', `${hooks(merchantId)}/${id}/replay`, { since }),
  /** The Insights figures: `period` (7/30/90/365) or `from`–`to`, `by` day or week. */
  insights: (merchantId: string, query: Record<string, string>) =>
    call<InsightsBody>('GET', `${m(merchantId)}/insights?${new URLSearchParams(query).toString()}`),
  /** Period figures per merchant, worst first (platform staff: every merchant; a merchant's people: their own). */
  insightsOverview: (query: Record<string, string>) => call<InsightsOverviewBody>('GET', `/insights/overview?${new URLSearchParams(query).toString()}`),
  /** The sales behind a figure (window, cause, outlet, register, cashier, source, customer). */
  /** Figure 5: the points product and category exemptions withheld, over the same window as `insights`. */
  insightsWithheld: (merchantId: string, query: Record<string, string>) =>
    call<WithheldAnswer>('GET', `${m(merchantId)}/insights/withheld?${new URLSearchParams(query).toString()}`),
  insightSales: (merchantId: string, query: Record<string, string>) =>
    call<InsightSalesBody>('GET', `${m(merchantId)}/insights/sales?${new URLSearchParams(query).toString()}`),
  alerts: (merchantId: string) => call<AlertRow[]>('GET', `${m(merchantId)}/alerts`),
  alertCounts: () => call<Array<{ merchantId: string; open: number; acknowledged: number }>>('GET', '/alerts'),
  changeAlert: (merchantId: string, alertId: number, action: 'acknowledge' | 'resolve') =>
    call<AlertRow>('POST', `${m(merchantId)}/alerts/${alertId}/${action}`, {}),
  customerSummary: (merchantId: string, customerId: string) => call<CustomerSummary>('GET', `${m(merchantId)}/customers/${enc(customerId)}/summary`),
  customerHistory: (merchantId: string, customerId: string, before?: number) =>
    call<CustomerHistory>('GET', `${m(merchantId)}/customers/${enc(customerId)}/history?limit=25${before ? `&before=${before}` : ''}`),
  customerSales: (merchantId: string, customerId: string, offset = 0) =>
    call<CustomerSales>('GET', `${m(merchantId)}/customers/${enc(customerId)}/sales?limit=25&offset=${offset}`),
  adjust: (merchantId: string, customerId: string, input: AdjustmentRequest) =>
    call<CustomerView>('POST', `${m(merchantId)}/customers/${enc(customerId)}/adjustments`, input),
  backfill: (merchantId: string, window: BackfillRequest) => call<{ status: string }>('POST', `${m(merchantId)}/backfill`, window),
  replayAll: (merchantId: string, filter: { status?: string; errorContains?: string }) => call<ReplayAnswer>('POST', `${m(merchantId)}/events/replay`, filter),
  connection: (merchantId: string) => call<Connection>('GET', `${m(merchantId)}/connection`),
  connections: () => call<ConnectionSummary[]>('GET', '/connections'),
  disconnect: (merchantId: string) => call<Connection & { webhookRemoved: boolean | null }>('POST', `${m(merchantId)}/disconnect`, {}),
};

// Frequent buyer: the retailer's and the platform's screens under /admin/api, the distributor portal under /distributor/api.
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
  offers: () => call<OfferView[]>('GET', '/frequent-buyer/offers'),
  distributors: () => call<DistributorView[]>('GET', '/frequent-buyer/distributors'),
  createDistributor: (input: { name: string; regions: string[]; requiresAccountNumber: boolean }) =>
    call<DistributorView>('POST', '/frequent-buyer/distributors', input),
  createOffer: (input: OfferInput) => call<OfferInput & { id: number }>('POST', '/frequent-buyer/offers', input),
  allRequests: () => call<DistributorRequestView[]>('GET', '/frequent-buyer/distributor-requests'),
  setRequestStatus: (id: number, status: DistributorRequestView['status'], note?: string) =>
    call<DistributorRequestView>('PATCH', `/frequent-buyer/distributor-requests/${id}`, { status, ...(note ? { note } : {}) }),
  locations: (merchantId: string) => call<LocationView[]>('GET', `${m(merchantId)}/locations`),
  grid: (merchantId: string, shopId?: string) =>
    call<GridCell[]>('GET', `${m(merchantId)}/frequent-buyer/enrollments${shopId ? `?shopId=${enc(shopId)}` : ''}`),
  eligible: (merchantId: string, offerId: number, shopId: string) =>
    call<{ region: string; distributors: DistributorView[] }>(
      'GET',
      `${m(merchantId)}/frequent-buyer/eligible-distributors?offerId=${offerId}&shopId=${enc(shopId)}`,
    ),
  enroll: (merchantId: string, offerId: number, shopId: string, input: { distributorId: number; accountNumber?: string }) =>
    call<{ releasedClaims: number[] }>('PUT', `${m(merchantId)}/frequent-buyer/enrollments/${offerId}/${enc(shopId)}`, input),
  holding: (merchantId: string) => call<HoldingView[]>('GET', `${m(merchantId)}/frequent-buyer/holding`),
  claims: (merchantId: string) => call<ClaimWithHistory[]>('GET', `${m(merchantId)}/frequent-buyer/claims-with-history`),
  resubmit: (merchantId: string, claimId: number, input: { distributorId?: number; accountNumber?: string; note?: string }) =>
    call<ClaimWithHistory>('POST', `${m(merchantId)}/frequent-buyer/claims/${claimId}/resubmit`, input),
  punchCards: (merchantId: string, customerId: string) =>
    call<PunchCardsAnswer>('GET', `${m(merchantId)}/frequent-buyer/customers/${enc(customerId)}/punch-cards`),
  requests: (merchantId: string) => call<DistributorRequestView[]>('GET', `${m(merchantId)}/frequent-buyer/distributor-requests`),
  requestDistributor: (merchantId: string, input: { offerId?: number; distributorName: string; contact: string; note?: string }) =>
    call<DistributorRequestView>('POST', `${m(merchantId)}/frequent-buyer/distributor-requests`, input),
};

export const distributorApi = {
  me: () => portalCall<DistributorMe>('GET', '/me'),
  claims: (status?: string) => portalCall<ClaimView[]>('GET', `/claims${status ? `?status=${enc(status)}` : ''}`),
  claim: (id: number | string) => portalCall<ClaimWithHistory>('GET', `/claims/${enc(String(id))}`),
  deny: (id: number, reason: DenialReason, note?: string) => portalCall<ClaimWithHistory>('POST', `/claims/${id}/deny`, { reason, ...(note ? { note } : {}) }),
  batch: (claimIds?: number[]) => portalCall<{ id: number; claimIds: number[] }>('POST', '/batches', claimIds ? { claimIds } : {}),
  batches: () => portalCall<BatchSummaryView[]>('GET', '/batches'),
  credit: (batchId: number, creditReference: string) => portalCall<{ credited: number[] }>('POST', `/batches/${batchId}/credit`, { creditReference }),
  exportUrl: (batchId: number) => `/distributor/api/batches/${batchId}/export.csv`,
  enrollments: () => portalCall<DistributorEnrollmentView[]>('GET', '/enrollments'),
  hold: (e: { merchantId: string; offerId: number; shopId: string }, reason: string) =>
    portalCall<{ heldClaims: number[] }>('POST', `/enrollments/${enc(e.merchantId)}/${e.offerId}/${enc(e.shopId)}/holding`, { reason }),
};

// The names the pages use for the contract's shapes.
export type User = SessionUser;
export type StaffUser = StaffUserView;
export type Merchant = MerchantAnswer;
export type SaleView = SaleAnswer;
export type Rules = RulesAnswer;
export type Reference = ReferenceAnswer;
export type { CustomerEntry, CustomerSale, CustomerView } from '../../../src/contract/customer';
export type { OpenEvent } from '../../../src/contract/operations';
export type { PreviewChange, RulesChange, RulesDocument, RulesPreview, RulesVersion } from '../../../src/contract/rules';
export type { ChecklistItem, LedgerEntry, Names, SaleEvent, SaleFrequentBuyer, SaleLineView, StoredDecision } from '../../../src/contract/sale';
export type { CustomerHit, MerchantHealth, SaleHit } from '../../../src/contract/search';
export type { MerchantFace, Series } from '../../../src/contract/common';
export type { Connection, ConnectionSummary };
export type { DeliveryView, EndpointView, EndpointWithSecret };
export type { AlertRow, InsightSalesBody, InsightsBody, InsightsOverviewBody, WithheldAnswer };
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
