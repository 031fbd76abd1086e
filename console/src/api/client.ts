import type { Connection, ConnectionSummary } from '../../../src/contract/connection';
import type { CustomerHistory, CustomerSales, CustomerSummary, CustomerView, AdjustmentRequest } from '../../../src/contract/customer';
import type { BackfillRequest, MerchantAnswer, OpenEvent, ReplayAnswer } from '../../../src/contract/operations';
import type { ReferenceAnswer, RulesAnswer, RulesDocument, RulesPreview, RulesVersionsAnswer } from '../../../src/contract/rules';
import type { RewardsRequestAnswer, SaleAnswer } from '../../../src/contract/sale';
import type { MerchantHealth, SearchAnswer } from '../../../src/contract/search';
import type { SessionUser, StaffUserCreate, StaffUserView } from '../../../src/contract/staff';
import type { AlertRow, InsightSalesBody, InsightsBody, InsightsOverviewBody } from '../../../src/contract/insights';
import type { DeliveryView, EndpointView, EndpointWithSecret } from '../../../src/contract/outboundEvents';

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
export type { AlertRow, InsightSalesBody, InsightsBody, InsightsOverviewBody };
