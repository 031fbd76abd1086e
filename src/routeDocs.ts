import { z } from 'zod';
import { searchQuerySchema } from './admin/consoleRoutes.js';
import { listQuerySchema, replayFilterSchema } from './admin/eventRoutes.js';
import { adjustmentSchema, backfillSchema } from './admin/loyaltyRoutes.js';
import { previewRequestSchema } from './console/rulesRoutes.js';
import {
  batchSchema,
  creditSchema,
  denySchema,
  distributorRequestSchema,
  distributorSchema,
  enrollmentSchema,
  holdingSchema,
  locationSchema,
  offerSchema,
  redemptionSchema,
  resubmitSchema,
  settingsSchema,
} from './frequentBuyer/schemas.js';
import { requestStatusSchema } from './frequentBuyer/consoleRoutes.js';
import { alertListQuerySchema } from './insights/alertRoutes.js';
import { thresholdsSchema } from './insights/alerts/thresholds.js';
import { insightSalesQuerySchema } from './insights/insightsRoutes.js';
import { periodQuerySchema } from './insights/period.js';
import { merchantCreateSchema, merchantPatchSchema } from './merchants/schema.js';
import { rulesSchema } from './rules/rules.js';
import { loginSchema } from './staff/sessionRoutes.js';
import { staffUserCreateSchema } from './staff/users.js';

/** Who may call a route: a staff token or console session, a distributor token, Lightspeed (signed), anyone. */
export type Caller = 'staff' | 'distributor' | 'lightspeed' | 'public';

export interface RouteDoc {
  summary: string;
  description?: string;
  caller: Caller;
  /** Staff roles allowed, when narrower than any staff person. */
  roles?: string[];
  body?: z.ZodType;
  bodyType?: 'application/json' | 'application/x-www-form-urlencoded';
  query?: z.ZodType;
  /** Success status and what it returns. */
  ok?: { status: number; description: string; type?: string };
}

const claimStatusQuery = z.object({ status: z.string().optional().describe('comma-separated claim statuses') });

/**
 * The rules document as the API takes it (PUT .../rules). Units: `stepAmount` in minor units (100 = $1.00),
 * multipliers with at most two decimals (1.5 = 150 %), tenders by kind, `delayDays` whole days.
 */
export const RULES_DESCRIPTION = `Every field has a default, so \`{}\` is valid; each PUT stores a new version.

- \`earn\`: \`pointsPerStep\` points per \`stepAmount\` **minor units** of eligible net (100 = $1.00), \`rounding\` down or up.
- \`customerSegments.excluded\`: customer group ids (X-Series) or customer type ids (R-Series) that earn nothing;
  \`customerSegments.multipliers\`: per segment, a factor with at most two decimals (\`1.5\` = 150 %).
- \`exemptions\`: \`productIds\` and \`categoryIds\` whose lines earn nothing (a category exempts its subcategories).
- \`tenders.excluded\`: payment kinds that do not earn (default gift cards, store credit, loyalty).
- \`autoRewards\`: \`enabled\` (off: a sale earns once the POS button or the rewards API is used for it) and
  \`startDate\` (YYYY-MM-DD in the merchant's time zone).
- \`delayDays\`: points are pending this many days after the sale, then available.
- \`requireIdentity\`: a customer without email or phone earns nothing.

One example per seed cause (ids as in the fake Lightspeed's pet store):

- customer type excluded: \`{"customerSegments": {"excluded": ["3"]}}\` (R-Series "Wholesale")
- category exempt: \`{"exemptions": {"categoryIds": ["15"]}}\` (Dog / Food / Prescription)
- autorewards off until the button: \`{"autoRewards": {"enabled": false}}\`
- rewarded after N days: \`{"delayDays": 30}\``;

/**
 * The API description of every /admin/api, /distributor/api and webhook route, keyed "METHOD /path" as
 * Express mounts it. A new route gets its entry here (test/integration/openapi/coverage.test.ts fails
 * otherwise), with the zod schemas imported from where the route parses them.
 */
export const routeDocs: Record<string, RouteDoc> = {
  'POST /webhooks/lightspeed/x/:merchantId': {
    summary: 'X-Series sale.update webhook',
    description:
      'Form field `payload`: the `register_sale` JSON. Signed `X-Signature: signature=<hmac>,algorithm=HMAC-SHA256` with the app client secret (or only `?token=` for an unsigned merchant). A merchant with `signedNeedsUrlToken` (every store connected through the connect flow) also needs its `?token=` on signed deliveries: the signature is shared by every store of the app, the token binds the delivery to the merchant. 200 stored or duplicate; 401 INVALID_SIGNATURE or INVALID_URL_TOKEN; 400 malformed; 403 WRONG_MERCHANT (the delivery names another store); 413; 415; 503 PostgreSQL down.',
    caller: 'lightspeed',
    query: z.object({ token: z.string().optional().describe("the merchant's URL token, as registered with Lightspeed by the connect flow") }),
    body: z.object({
      payload: z.string().describe('the register_sale object, JSON-encoded'),
      domain_prefix: z.string().optional(),
      type: z.string().optional(),
    }),
    bodyType: 'application/x-www-form-urlencoded',
  },
  'POST /admin/api/session': { summary: 'Sign in to the console (server-side session cookie)', caller: 'public', body: loginSchema },
  'GET /admin/api/session': { summary: 'The signed-in person', caller: 'staff' },
  'DELETE /admin/api/session': { summary: 'Sign out', caller: 'staff' },
  'GET /admin/api/openapi.json': { summary: 'This description (OpenAPI 3.1)', caller: 'public' },
  'GET /admin/api/docs': {
    summary: 'The rendered API reference (swagger-ui, served locally)',
    caller: 'public',
    ok: { status: 200, description: 'HTML page', type: 'text/html' },
  },
  'GET /admin/api/docs/init.js': {
    summary: "The reference page's start-up script",
    caller: 'public',
    ok: { status: 200, description: 'JavaScript', type: 'text/javascript' },
  },
  'POST /admin/api/merchants': {
    summary: 'Create a merchant',
    caller: 'staff',
    roles: ['platform admin'],
    body: merchantCreateSchema,
    ok: { status: 201, description: 'the merchant, secrets shown as set or not' },
  },
  'GET /admin/api/merchants': { summary: 'Merchants with their health', caller: 'staff' },
  'GET /admin/api/merchants/:id': { summary: 'A merchant and its polling state', caller: 'staff' },
  'PATCH /admin/api/merchants/:id': {
    summary: 'Change a merchant (apiBaseUrl, domainPrefix, accountId: platform admins only)',
    caller: 'staff',
    roles: ['admin'],
    body: merchantPatchSchema,
    description: '403 PLATFORM_ONLY_FIELD; 422 API_BASE_NOT_ALLOWED; 422 URL_TOKEN_REQUIRED when signedNeedsUrlToken would be on without a urlToken.',
  },
  'GET /admin/api/merchants/:id/rules': { summary: 'The current rules', caller: 'staff', description: RULES_DESCRIPTION },
  'PUT /admin/api/merchants/:id/rules': {
    summary: 'Store a new rules version',
    caller: 'staff',
    roles: ['admin'],
    body: rulesSchema,
    description: RULES_DESCRIPTION,
    ok: { status: 201, description: 'the stored rules with their version' },
  },
  'GET /admin/api/merchants/:id/rules/versions': { summary: 'Rules version history with who and a named diff', caller: 'staff' },
  'POST /admin/api/merchants/:id/rules/preview': {
    summary: 'What a draft of the rules would have done over the last days of stored sales',
    caller: 'staff',
    body: previewRequestSchema,
  },
  'GET /admin/api/merchants/:id/reference': { summary: 'Names of customer segments, categories and products (for the rules form)', caller: 'staff' },
  'GET /admin/api/merchants/:id/sales/:saleId': {
    summary: 'Why a sale earned points or not: versions, decisions with reasons, ledger entries, the checklist',
    caller: 'staff',
  },
  'POST /admin/api/merchants/:id/sales/:saleId/rewards': {
    summary: 'Request rewards for a sale (the POS button by API)',
    caller: 'staff',
    roles: ['admin', 'support'],
    ok: { status: 201, description: 'requested (200: already requested)' },
  },
  'GET /admin/api/merchants/:id/customers/:customerId': { summary: "A customer's available and pending points, with the history", caller: 'staff' },
  'GET /admin/api/merchants/:id/insights': {
    summary: "A merchant's Insights figures over a window, per local day or week",
    description:
      'From the rollups (never a scan of the sales), in the merchant time zone: `earning` (completed sales, credited, pending, earning rate = (credited + pending) ÷ completed), `whyNot` (completed sales that earned nothing, by cause), `attach` (sales with a customer ÷ completed sales per outlet, register and cashier, worst first), `points` (earned, pending when written, released, reversed, adjusted per bucket; the outstanding balance and its pending part at each bucket end), `intake` (completed sales first seen by webhook, poll or backfill; the sale → decision delay, median and p95 as upper bounds of a log₂ histogram). Each bucket carries `from`–`to`, the window of the sales list behind it. 400 PERIOD_INVALID.',
    caller: 'staff',
    query: periodQuerySchema,
  },
  'GET /admin/api/merchants/:id/insights/sales': {
    summary: 'The sales behind an Insights figure (filtered by window, cause, outlet, register, cashier, first source, customer), newest first',
    description: 'Each sale links to its decision (GET .../sales/:saleId). `more` is true when another page follows (offset, limit).',
    caller: 'staff',
    query: insightSalesQuerySchema,
  },
  'GET /admin/api/alerts': { summary: 'Unresolved insights alerts per merchant (open, acknowledged), within the caller’s scope', caller: 'staff' },
  'GET /admin/api/merchants/:id/alerts': {
    summary: "A merchant's insights alerts, unresolved first",
    description:
      'Kinds: EARNING_RATE_DROP, CAUSE_SHARE_JUMP (subject: the cause; evidence names the rules version saved in the last 8 days, if any), ATTACH_RATE_LOW (subject: register:<id> or cashier:<id>), WEBHOOKS_STOPPED, POLLING_STALLED, REAUTH_NEEDED, FAILED_EVENTS. Each carries its evidence.',
    caller: 'staff',
    query: alertListQuerySchema,
  },
  'POST /admin/api/merchants/:id/alerts/:alertId/acknowledge': {
    summary: 'Acknowledge an open alert (audited, with who)',
    description: '404 when the alert is not open.',
    caller: 'staff',
    roles: ['admin', 'support'],
  },
  'POST /admin/api/merchants/:id/alerts/:alertId/resolve': {
    summary: 'Resolve an open or acknowledged alert by hand (audited); the detector does not reopen it for a day',
    caller: 'staff',
    roles: ['admin', 'support'],
  },
  'GET /admin/api/merchants/:id/alert-settings': { summary: "The merchant's alert thresholds (defaults filled in)", caller: 'staff' },
  'PUT /admin/api/merchants/:id/alert-settings': {
    summary: "Set the merchant's alert thresholds (audited); every field has a default",
    caller: 'staff',
    roles: ['admin'],
    body: thresholdsSchema,
  },
  'GET /admin/api/merchants/:id/customers/:customerId/summary': { summary: "A customer's name and pending points with their release dates", caller: 'staff' },
  'GET /admin/api/merchants/:id/customers/:customerId/history': { summary: "One page of a customer's ledger, newest first (before, limit)", caller: 'staff' },
  'GET /admin/api/merchants/:id/customers/:customerId/sales': { summary: "One page of a customer's sales, newest first (offset, limit)", caller: 'staff' },
  'POST /admin/api/merchants/:id/customers/:customerId/adjustments': {
    summary: 'Adjust a balance by hand',
    caller: 'staff',
    roles: ['admin'],
    body: adjustmentSchema,
    ok: { status: 201, description: 'the customer (200 for a repeated idempotency key)' },
  },
  'POST /admin/api/merchants/:id/backfill': {
    summary: 'Re-read a window of sales from Lightspeed',
    caller: 'staff',
    roles: ['admin'],
    body: backfillSchema,
    ok: { status: 202, description: 'queued' },
  },
  'GET /admin/api/merchants/:id/events': { summary: 'Inbox events (failed ones with their error)', caller: 'staff', query: listQuerySchema },
  'POST /admin/api/merchants/:id/events/:eventId/replay': { summary: 'Replay one event', caller: 'staff', roles: ['admin', 'support'] },
  'POST /admin/api/merchants/:id/events/replay': {
    summary: 'Replay every event matching a filter',
    caller: 'staff',
    roles: ['admin', 'support'],
    body: replayFilterSchema,
  },
  'GET /admin/api/connections': {
    summary: "Each visible merchant's Lightspeed connection (connected, needs_reauth, disconnected, not_connected)",
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/connection': { summary: "A merchant's Lightspeed connection and, for R-Series, the POS Rewards button URL", caller: 'staff' },
  'POST /admin/api/merchants/:id/disconnect': {
    summary: 'Disconnect the store: remove our webhook, stop polling, forget the tokens (ledger and cursor kept)',
    caller: 'staff',
    roles: ['admin'],
  },
  'GET /admin/api/search': { summary: 'Find sales and customers by Sale ID, receipt number, email or phone', caller: 'staff', query: searchQuerySchema },
  'GET /admin/api/staff': { summary: 'Console people', caller: 'staff', roles: ['admin'] },
  'POST /admin/api/staff': {
    summary: 'Add a console person',
    caller: 'staff',
    roles: ['admin'],
    body: staffUserCreateSchema,
    ok: { status: 201, description: 'the person' },
  },
  'POST /admin/api/staff/:staffId/disable': { summary: 'Disable a console person', caller: 'staff', roles: ['admin'] },
  'POST /admin/api/frequent-buyer/distributors': {
    summary: 'Create a distributor',
    caller: 'staff',
    roles: ['platform admin'],
    body: distributorSchema,
    ok: { status: 201, description: 'the distributor' },
  },
  'GET /admin/api/frequent-buyer/distributors': { summary: 'Distributors', caller: 'staff' },
  'POST /admin/api/frequent-buyer/offers': {
    summary: 'Create a frequent-buyer offer',
    caller: 'staff',
    roles: ['platform admin'],
    body: offerSchema,
    ok: { status: 201, description: 'the offer' },
  },
  'GET /admin/api/frequent-buyer/distributor-requests': { summary: '"My distributor is not listed" requests', caller: 'staff', roles: ['platform admin'] },
  'PUT /admin/api/merchants/:id/locations/:shopId': { summary: 'Name a location and its region', caller: 'staff', roles: ['admin'], body: locationSchema },
  'PUT /admin/api/merchants/:id/frequent-buyer/enrollments/:offerId/:shopId': {
    summary: 'Enroll a location in an offer with its distributor and account number',
    caller: 'staff',
    roles: ['admin'],
    body: enrollmentSchema,
  },
  'GET /admin/api/merchants/:id/frequent-buyer/enrollments': {
    summary: 'Every location × offer',
    caller: 'staff',
    query: z.object({ shopId: z.string().optional() }),
  },
  'PUT /admin/api/merchants/:id/frequent-buyer/settings': { summary: 'The redemption discount', caller: 'staff', roles: ['admin'], body: settingsSchema },
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/cards': { summary: "A customer's punch cards", caller: 'staff' },
  'POST /admin/api/merchants/:id/frequent-buyer/redemptions': {
    summary: 'Record a redemption by API',
    caller: 'staff',
    roles: ['admin', 'support'],
    body: redemptionSchema,
    ok: { status: 201, description: 'the redemption (200 for a repeated key)' },
  },
  'GET /admin/api/merchants/:id/frequent-buyer/claims': { summary: "The merchant's credit claims", caller: 'staff', query: claimStatusQuery },
  'GET /admin/api/merchants/:id/frequent-buyer/claims/:claimId': { summary: 'A claim with its history', caller: 'staff' },
  'POST /admin/api/merchants/:id/frequent-buyer/claims/:claimId/resubmit': {
    summary: 'Resubmit a denied claim',
    caller: 'staff',
    roles: ['admin'],
    body: resubmitSchema,
  },
  'POST /admin/api/merchants/:id/frequent-buyer/distributor-requests': {
    summary: 'Ask for a distributor that is not listed',
    caller: 'staff',
    roles: ['admin'],
    body: distributorRequestSchema,
    ok: { status: 201, description: 'the request' },
  },
  'GET /admin/api/frequent-buyer/offers': {
    summary: 'The offers a merchant can join, with dates, qualifying products, free-item rule and eligible distributors',
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/locations': { summary: "The merchant's locations (main account first) with their enrollments", caller: 'staff' },
  'GET /admin/api/merchants/:id/frequent-buyer/eligible-distributors': {
    summary: "Distributors eligible for an offer that serve a location's region, and whether each requires an account number",
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/frequent-buyer/holding': { summary: 'Locations in Temporary Holding: why, since when, claims waiting', caller: 'staff' },
  'GET /admin/api/merchants/:id/frequent-buyer/claims-with-history': { summary: "The merchant's claims with their status history", caller: 'staff' },
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/punch-cards': {
    summary: "A customer's punch cards: purchases counted, the sales that counted them, redemptions",
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/frequent-buyer/distributor-requests': {
    summary: 'The merchant\'s "my distributor is not listed" requests with their status',
    caller: 'staff',
  },
  'PATCH /admin/api/frequent-buyer/distributor-requests/:requestId': {
    summary: 'Set a "not listed" request\'s status (platform admins)',
    caller: 'staff',
    roles: ['platform admin'],
    body: requestStatusSchema,
  },
  'GET /distributor/api/me': { summary: 'The distributor person or token signed in, and their distributor', caller: 'distributor' },
  'GET /distributor/api/batches': { summary: "The distributor's batches", caller: 'distributor' },
  'GET /distributor/api/claims': { summary: "The distributor's claims (new and resubmitted by default)", caller: 'distributor', query: claimStatusQuery },
  'GET /distributor/api/claims/:claimId': { summary: 'A claim', caller: 'distributor' },
  'POST /distributor/api/claims/:claimId/deny': { summary: 'Deny a claim', caller: 'distributor', body: denySchema },
  'POST /distributor/api/batches': {
    summary: 'Batch open claims (all when claimIds is omitted)',
    caller: 'distributor',
    body: batchSchema,
    ok: { status: 201, description: 'the batch' },
  },
  'GET /distributor/api/batches/:batchId': { summary: 'A batch with its claims and total', caller: 'distributor' },
  'POST /distributor/api/batches/:batchId/credit': { summary: 'Mark a batch credited', caller: 'distributor', body: creditSchema },
  'GET /distributor/api/batches/:batchId/export.csv': {
    summary: 'A batch as CSV',
    caller: 'distributor',
    ok: { status: 200, description: 'CSV', type: 'text/csv' },
  },
  'GET /distributor/api/enrollments': { summary: 'Enrollments served by the distributor', caller: 'distributor' },
  'POST /distributor/api/enrollments/:merchantId/:offerId/:shopId/holding': {
    summary: 'Move an enrollment it does not serve to Temporary Holding',
    caller: 'distributor',
    body: holdingSchema,
  },
};

/** Which mounted routes the description covers: the admin and distributor APIs and the webhooks. */
export const documentedPrefixes = ['/admin/api/', '/distributor/api/', '/webhooks/'];
