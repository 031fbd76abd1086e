import type { RouteDoc } from '../routeDoc.js';
import { searchQuerySchema } from './searchRoutes.js';

/** Finding a sale, and the support view of one sale: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const saleDocs: Record<string, RouteDoc> = {
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
  'GET /admin/api/search': { summary: 'Find sales and customers by Sale ID, receipt number, email or phone', caller: 'staff', query: searchQuerySchema },
};
