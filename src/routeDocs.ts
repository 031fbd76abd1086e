import { z } from 'zod';
import type { RouteDoc } from './routeDoc.js';
import { customerDocs } from './customers/customerDocs.js';
import { frequentBuyerDocs } from './frequentBuyer/frequentBuyerDocs.js';
import { merchantDocs } from './merchants/merchantDocs.js';
import { operationsDocs } from './operations/operationsDocs.js';
import { rulesDocs } from './ruleVersions/rulesDocs.js';
import { saleDocs } from './sales/saleDocs.js';
import { staffDocs } from './staff/staffDocs.js';
import { eventRouteDocs } from './events/routeDocs.js';
import { insightsDocs } from './insights/insightsDocs.js';

export type { Caller, RouteDoc } from './routeDoc.js';

/**
 * The API description of every /admin/api, /distributor/api and webhook route, keyed "METHOD /path" as
 * Express mounts it, gathered from each module's own docs file (src/<module>/*Docs.ts) in the route
 * table's order. A new route gets its entry in its module's file (test/integration/openapi/coverage.test.ts
 * fails otherwise), with the zod schemas imported from where the route parses them.
 */
export const routeDocs: Record<string, RouteDoc> = {
  'POST /webhooks/lightspeed/x/:merchantId': {
    summary: 'X-Series sale.update webhook',
    description:
      'Form field `payload`: the `register_sale` JSON. Signed `X-Signature: signature=<hmac>,algorithm=HMAC-SHA256` with the app client secret (or only `?token=` for an unsigned merchant). A merchant with `signedNeedsUrlToken` (every store connected through the connect flow) also needs its `?token=` on signed deliveries: the signature is shared by every store of the app, the token binds the delivery to the merchant. 200 stored or duplicate; 401 INVALID_SIGNATURE or INVALID_URL_TOKEN; 400 malformed; 403 WRONG_MERCHANT (the delivery names another store, or the sale is at an outlet or register not among those Lightspeed lists for the merchant); 503 OUTLETS_UNAVAILABLE (the outlet list cannot be read now); 413; 415; 503 PostgreSQL down.',
    caller: 'lightspeed',
    query: z.object({ token: z.string().optional().describe("the merchant's URL token, as registered with Lightspeed by the connect flow") }),
    body: z.object({
      payload: z.string().describe('the register_sale object, JSON-encoded'),
      domain_prefix: z.string().optional(),
      type: z.string().optional(),
    }),
    bodyType: 'application/x-www-form-urlencoded',
  },
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
  ...merchantDocs,
  ...rulesDocs,
  ...saleDocs,
  ...customerDocs,
  ...operationsDocs,
  ...staffDocs,
  ...frequentBuyerDocs,
  ...insightsDocs,
  ...eventRouteDocs,
};

/** Which mounted routes the description covers: the admin and distributor APIs and the webhooks. */
export const documentedPrefixes = ['/admin/api/', '/distributor/api/', '/webhooks/'];
