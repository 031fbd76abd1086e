import type { RouteDoc } from '../routeDoc.js';
import { rewardsRequestAnswerSchema, saleAnswerSchema } from '../contract/sale.js';
import { searchAnswerSchema } from '../contract/search.js';
import { searchQuerySchema } from './searchRoutes.js';

/** Finding a sale, and the support view of one sale: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const saleDocs: Record<string, RouteDoc> = {
  'GET /admin/api/merchants/:id/sales/:saleId': {
    summary: 'Why a sale earned points or not: versions, decisions with reasons, ledger entries, the checklist',
    response: saleAnswerSchema,
    caller: 'staff',
  },
  'POST /admin/api/merchants/:id/sales/:saleId/rewards': {
    summary: 'Request rewards for a sale (the POS button by API)',
    response: rewardsRequestAnswerSchema,
    caller: 'staff',
    roles: ['admin', 'support'],
    ok: { status: 201, description: 'requested (200: already requested)' },
  },
  'GET /admin/api/search': {
    summary: 'Find sales and customers by Sale ID, receipt number, email or phone',
    response: searchAnswerSchema,
    caller: 'staff',
    query: searchQuerySchema,
  },
};
