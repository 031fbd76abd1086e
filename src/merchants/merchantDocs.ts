import type { RouteDoc } from '../routeDoc.js';
import { merchantsAnswerSchema } from '../contract/search.js';
import { backfillSchema } from './merchantRoutes.js';
import { merchantCreateSchema, merchantPatchSchema } from './store/schema.js';

/** Merchants, their Lightspeed connection and backfills: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const merchantDocs: Record<string, RouteDoc> = {
  'POST /admin/api/merchants': {
    summary: 'Create a merchant',
    caller: 'staff',
    roles: ['platform admin'],
    body: merchantCreateSchema,
    ok: { status: 201, description: 'the merchant, secrets shown as set or not' },
  },
  'GET /admin/api/merchants': { summary: 'Merchants with their health', response: merchantsAnswerSchema, caller: 'staff' },
  'GET /admin/api/merchants/:id': { summary: 'A merchant and its polling state', caller: 'staff' },
  'PATCH /admin/api/merchants/:id': {
    summary: 'Change a merchant (apiBaseUrl, domainPrefix, accountId: platform admins only)',
    caller: 'staff',
    roles: ['admin'],
    body: merchantPatchSchema,
    description: '403 PLATFORM_ONLY_FIELD; 422 API_BASE_NOT_ALLOWED; 422 URL_TOKEN_REQUIRED when signedNeedsUrlToken would be on without a urlToken.',
  },
  'POST /admin/api/merchants/:id/backfill': {
    summary: 'Re-read a window of sales from Lightspeed',
    caller: 'staff',
    roles: ['admin'],
    body: backfillSchema,
    ok: { status: 202, description: 'queued' },
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
};
