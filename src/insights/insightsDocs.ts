import { withheldAnswerSchema } from './withheldAnswer.js';
import type { RouteDoc } from '../routeDoc.js';
import { alertListQuerySchema } from './alertRoutes.js';
import { thresholdsSchema } from './alerts/thresholds.js';
import { insightSalesQuerySchema } from './insightsRoutes.js';
import { periodQuerySchema } from './period.js';

/** Insights and alerts: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const insightsDocs: Record<string, RouteDoc> = {
  'GET /admin/api/insights/overview': {
    summary: 'Period figures per merchant (completed sales, earning rate, attach rate, first why-not cause, unresolved alerts), worst first',
    description:
      'From the day × cause rollup: each merchant over its own last `period` local days, or the same `from`–`to` for all (`by` is ignored). Sorted by earning rate, lowest first; merchants without a completed sale last. A merchant-scoped caller sees its own merchant only. 400 PERIOD_INVALID.',
    caller: 'staff',
    query: periodQuerySchema,
  },
  'GET /admin/api/merchants/:id/insights': {
    summary: "A merchant's Insights figures over a window, per local day or week",
    description:
      'From the rollups (never a scan of the sales), in the merchant time zone: `earning` (completed sales, credited, pending, earning rate = (credited + pending) ÷ completed), `whyNot` (completed sales that earned nothing, by cause), `attach` (sales with a customer ÷ completed sales per outlet, register and cashier, worst first; `name` as Lightspeed gave it, null when it has not), `points` (earned, pending when written, released, reversed, adjusted per bucket; the outstanding balance and its pending part at each bucket end), `intake` (completed sales first seen by webhook, poll or backfill; the sale → decision delay, median and p95 as upper bounds of a log₂ histogram). Each bucket carries `from`–`to`, the window of the sales list behind it. 400 PERIOD_INVALID.',
    caller: 'staff',
    query: periodQuerySchema,
  },
  'GET /admin/api/merchants/:id/insights/sales': {
    summary: 'The sales behind an Insights figure (filtered by window, cause, outlet, register, cashier, first source, customer), newest first',
    description:
      'With `exemptKind` and `exemptId`: only the sales that exemption withheld points from (`exemptionName` names it). Each sale links to its decision (GET .../sales/:saleId), with its outlet, register and cashier ids and names (`outletName`, `registerName`, `cashierName`: null when Lightspeed gave none); `names` holds the names of the ids listed and filtered by. `more` is true when another page follows (offset, limit).',
    caller: 'staff',
    query: insightSalesQuerySchema,
  },
  'GET /admin/api/merchants/:id/insights/withheld': {
    summary: 'Points withheld by exemptions: the products and categories whose exemption kept the most points from customers, over a window',
    description:
      'From the exemption rollup, in the merchant time zone. A sale’s exempt lines carry what they would have earned (the points the sale would earn with its product and category exemptions lifted, minus what it earned, split over those lines; gift cards stay exempt; 0 when a gate such as no customer kept the sale from earning anyway). `exemptions`: every exemption that withheld points, most first, with its Lightspeed name (null when the reference cache has none) and the sales it withheld from; `series`: the first six per bucket. The sales behind a row: GET .../insights/sales?exemptKind=&exemptId=. Sales decided before this figure existed count nothing. 400 PERIOD_INVALID.',
    caller: 'staff',
    query: periodQuerySchema,
    response: withheldAnswerSchema,
  },
  'GET /admin/api/alerts': { summary: 'Unresolved insights alerts per merchant (open, acknowledged), within the caller’s scope', caller: 'staff' },
  'GET /admin/api/merchants/:id/alerts': {
    summary: "A merchant's insights alerts, unresolved first",
    description:
      "Kinds: EARNING_RATE_DROP, CAUSE_SHARE_JUMP (subject: the cause; evidence names the rules version saved in the last 8 days, if any), ATTACH_RATE_LOW (subject: register:<id> or cashier:<id>; evidence `name`: Lightspeed's name for it, null when unknown), WEBHOOKS_STOPPED, POLLING_STALLED, REAUTH_NEEDED, FAILED_EVENTS, ENDPOINT_DISABLED (subject: endpoint:<id>, an outbound events endpoint of the merchant turned off for failing; evidence: its host and description, never its URL; resolved when it is turned on again or deleted). Each carries its evidence.",
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
};
