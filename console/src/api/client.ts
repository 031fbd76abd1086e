import type { ChecklistItem, Names } from '../../../src/sales/checklist';
import type { ConnectionBody, ConnectionSummaryBody } from '../../../src/merchants/connect/connectionTypes';
import type { CustomerHit, SaleHit } from '../../../src/sales/store/search';
import type { MerchantHealth } from '../../../src/merchants/store/health';
import type { CustomerEntry, CustomerSale } from '../../../src/customers/store/customerActivity';
import type { SaleRelations } from '../../../src/sales/store/saleRelations';
import type { AlertRow } from '../../../src/insights/alerts/transitions';
import type { InsightSalesBody, InsightsBody } from '../../../src/insights/views';
import type { Decision } from '../../../src/rules/decision';
import type { RulesPreview } from '../../../src/ruleVersions/preview';
import type { RulesChange } from '../../../src/ruleVersions/rulesDiff';
import type { RulesDocument } from '../../../src/rules/rules';
import type { StaffUserCreate } from '../../../src/staff/users';
import type { DeliveryView, EndpointView, EndpointWithSecret } from '../../../src/events/views';

/** The console speaks only to the documented /admin/api routes, with the session cookie (same origin). */
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/admin/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown } };
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? 'ERROR', json.error?.message ?? res.statusText, json.error?.details);
  return json as T;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: 'admin' | 'support' | 'viewer' | 'distributor';
  merchantId: string | null;
  /** Set for a distributor's person: they see the distributor portal only. */
  distributorId?: number | null;
  /** An admin reset the password: the person chooses a new one before anything else. */
  mustChangePassword?: boolean;
}

export interface SaleEvent {
  id: number;
  version: number;
  source: 'webhook' | 'poll' | 'backfill';
  status: string;
  receipt: string | null;
  receivedAt: string;
  processedAt: string | null;
  attempts: number;
  lastError: string | null;
  /** When retention dropped the raw payload (decisions and ledger stay); null while it is kept. */
  payloadDroppedAt: string | null;
}

export interface LedgerEntry {
  id: number;
  customerId: string;
  saleId: string | null;
  kind: 'earn' | 'reverse' | 'adjust';
  points: number;
  status: 'pending' | 'posted';
  availableAt: string | null;
  note: string | null;
  createdAt: string;
}

export type StoredDecision = Decision & { id: number; applied: boolean; evaluatedAt: string };

export interface SaleView {
  merchantId: string;
  saleId: string;
  receipt: string | null;
  current: { appliedVersion: number; points: number; customerId: string | null; originalSaleId: string | null } | null;
  events: SaleEvent[];
  decisions: StoredDecision[];
  ledger: LedgerEntry[];
  pending: { points: number; entries: LedgerEntry[] };
  rewardsRequest: { source: 'pos' | 'api'; requestedBy: string | null; requestedAt: string } | null;
  frequentBuyer: SaleFrequentBuyer | null;
  explanation: { decision: StoredDecision | null; checklist: ChecklistItem[]; names: Names; related: SaleRelations };
}

export interface SaleFrequentBuyer {
  appliedVersion: number | null;
  punches: Array<{ lineId: string; offerId: number; offerName: string; customerId: string; units: number }>;
  redemptions: Array<{
    id: number;
    lineId: string;
    offerId: number;
    customerId: string;
    status: string;
    reasonCode: string | null;
    reason: string | null;
    freeItemPrice: number | null;
    recordedAt: string;
    claimId: number | null;
    claimStatus: string | null;
  }>;
}

export interface CustomerView {
  customerId: string;
  email: string | null;
  mobile: string | null;
  available: number;
  pending: number;
  entries: LedgerEntry[];
}

export interface OpenEvent {
  id: number;
  saleId: string;
  version: number;
  source: string;
  status: string;
  receivedAt: string;
  attempts: number;
  lastError: string | null;
  retryAt: string | null;
}

export interface Merchant {
  id: string;
  name: string;
  series: 'x' | 'r';
  paused: boolean;
  needsReauth: boolean;
  needsReauthReason: string | null;
  polling: {
    cursor: string | null;
    lastRunAt: string | null;
    lastSuccessAt: string | null;
    lastError: string | null;
    flagged: boolean;
    /** The last run of failed polls (Lightspeed or its token endpoint down), kept after recovery. */
    lastOutage: { startedAt: string; endedAt: string | null; failures: number; lastError: string | null } | null;
  } | null;
}

const enc = encodeURIComponent;

export type Rules = RulesDocument & { version: number };
export interface RulesVersion {
  version: number;
  createdBy: string;
  createdAt: string;
  document: RulesDocument;
  changes: RulesChange[];
}
export interface Reference {
  segments: Record<string, string>;
  /** Category id → its path of names. */
  categories: Record<string, string>;
  /** Category id → its own name, and its parent (null at the root): the category tree. */
  categoryNames: Record<string, string>;
  categoryParents: Record<string, string | null>;
  products: Record<string, string>;
}
export interface StaffUser extends User {
  disabledAt: string | null;
  createdAt: string;
}

/** Whose webhook endpoints: a merchant's, or (null) the platform-wide ones. */
const hooks = (merchantId: string | null) => (merchantId === null ? '/webhook-endpoints' : `/merchants/${enc(merchantId)}/webhook-endpoints`);

export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: string[];
}

export const api = {
  session: () => call<{ user: User }>('GET', '/session'),
  signIn: (email: string, password: string) => call<{ user: User }>('POST', '/session', { email, password }),
  signOut: () => call<void>('DELETE', '/session'),
  changePassword: (currentPassword: string, newPassword: string) => call<void>('POST', '/session/password', { currentPassword, newPassword }),
  merchants: () => call<MerchantHealth[]>('GET', '/merchants'),
  merchant: (id: string) => call<Merchant>('GET', `/merchants/${enc(id)}`),
  search: (q: string) => call<{ sales: SaleHit[]; customers: CustomerHit[] }>('GET', `/search?q=${enc(q)}`),
  sale: (merchantId: string, saleId: string) => call<SaleView>('GET', `/merchants/${enc(merchantId)}/sales/${enc(saleId)}`),
  requestRewards: (merchantId: string, saleId: string) => call<unknown>('POST', `/merchants/${enc(merchantId)}/sales/${enc(saleId)}/rewards`, {}),
  customer: (merchantId: string, customerId: string) => call<CustomerView>('GET', `/merchants/${enc(merchantId)}/customers/${enc(customerId)}`),
  events: (merchantId: string, status?: string) => call<OpenEvent[]>('GET', `/merchants/${enc(merchantId)}/events${status ? `?status=${enc(status)}` : ''}`),
  replay: (merchantId: string, eventId: number) => call<{ replayed: number }>('POST', `/merchants/${enc(merchantId)}/events/${eventId}/replay`, {}),
  rules: (merchantId: string) => call<Rules>('GET', `/merchants/${enc(merchantId)}/rules`),
  saveRules: (merchantId: string, rules: RulesDocument) => call<Rules>('PUT', `/merchants/${enc(merchantId)}/rules`, rules),
  ruleVersions: (merchantId: string) => call<{ versions: RulesVersion[] }>('GET', `/merchants/${enc(merchantId)}/rules/versions`),
  reference: (merchantId: string) => call<Reference>('GET', `/merchants/${enc(merchantId)}/reference`),
  previewRules: (merchantId: string, rules: RulesDocument) => call<RulesPreview>('POST', `/merchants/${enc(merchantId)}/rules/preview`, { rules }),
  staff: () => call<StaffUser[]>('GET', '/staff'),
  createStaff: (input: StaffUserCreate) => call<StaffUser>('POST', '/staff', input),
  disableStaff: (id: number) => call<StaffUser>('POST', `/staff/${id}/disable`, {}),
  resetStaffPassword: (id: number, password: string) => call<StaffUser>('POST', `/staff/${id}/reset-password`, { password }),
  customerSummary: (merchantId: string, customerId: string) =>
    call<{ customerId: string; name: string | null; pending: CustomerEntry[] }>('GET', `/merchants/${enc(merchantId)}/customers/${enc(customerId)}/summary`),
  customerHistory: (merchantId: string, customerId: string, before?: number) =>
    call<{ entries: CustomerEntry[]; next: number | null }>(
      'GET',
      `/merchants/${enc(merchantId)}/customers/${enc(customerId)}/history?limit=25${before ? `&before=${before}` : ''}`,
    ),
  customerSales: (merchantId: string, customerId: string, offset = 0) =>
    call<{ sales: CustomerSale[]; next: number | null }>('GET', `/merchants/${enc(merchantId)}/customers/${enc(customerId)}/sales?limit=25&offset=${offset}`),
  adjust: (merchantId: string, customerId: string, input: { points: number; reason: string; idempotencyKey: string }) =>
    call<CustomerView>('POST', `/merchants/${enc(merchantId)}/customers/${enc(customerId)}/adjustments`, input),
  backfill: (merchantId: string, window: { from: string; to: string }) => call<{ status: string }>('POST', `/merchants/${enc(merchantId)}/backfill`, window),
  replayAll: (merchantId: string, filter: { status?: string; errorContains?: string }) =>
    call<{ replayed: number }>('POST', `/merchants/${enc(merchantId)}/events/replay`, filter),
  connection: (merchantId: string) => call<Connection>('GET', `/merchants/${enc(merchantId)}/connection`),
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
  connections: () => call<ConnectionSummary[]>('GET', '/connections'),
  /** The Insights figures: `period` (7/30/90/365) or `from`–`to`, `by` day or week. */
  insights: (merchantId: string, query: Record<string, string>) =>
    call<InsightsBody>('GET', `/merchants/${enc(merchantId)}/insights?${new URLSearchParams(query).toString()}`),
  /** The sales behind a figure (window, cause, outlet, register, cashier, source, customer). */
  insightSales: (merchantId: string, query: Record<string, string>) =>
    call<InsightSalesBody>('GET', `/merchants/${enc(merchantId)}/insights/sales?${new URLSearchParams(query).toString()}`),
  alerts: (merchantId: string) => call<AlertRow[]>('GET', `/merchants/${enc(merchantId)}/alerts`),
  alertCounts: () => call<Array<{ merchantId: string; open: number; acknowledged: number }>>('GET', '/alerts'),
  changeAlert: (merchantId: string, alertId: number, action: 'acknowledge' | 'resolve') =>
    call<AlertRow>('POST', `/merchants/${enc(merchantId)}/alerts/${alertId}/${action}`, {}),
  disconnect: (merchantId: string) => call<Connection & { webhookRemoved: boolean | null }>('POST', `/merchants/${enc(merchantId)}/disconnect`, {}),
};

/** A merchant's Lightspeed connection (src/connect/connectionTypes.ts). */
export type Connection = ConnectionBody;
export type { DeliveryView, EndpointView, EndpointWithSecret };
export type ConnectionSummary = ConnectionSummaryBody;

export type { AlertRow, InsightSalesBody, InsightsBody };
export type { ChecklistItem, CustomerEntry, CustomerSale, CustomerHit, MerchantHealth, Names, RulesChange, RulesDocument, RulesPreview, SaleHit };
