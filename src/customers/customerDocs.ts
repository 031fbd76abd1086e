import type { RouteDoc } from '../routeDoc.js';
import { customerHistorySchema, customerSalesSchema, customerSummarySchema, customerViewSchema } from '../contract/customer.js';
import { adjustmentSchema } from './customerRoutes.js';

/** A merchant's customers: balance, history, sales and adjustments: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const customerDocs: Record<string, RouteDoc> = {
  'GET /admin/api/merchants/:id/customers/:customerId': {
    summary: "A customer's available and pending points, with the history",
    response: customerViewSchema,
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/customers/:customerId/summary': {
    summary: "A customer's name and pending points with their release dates",
    response: customerSummarySchema,
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/customers/:customerId/history': {
    summary: "One page of a customer's ledger, newest first (before, limit)",
    response: customerHistorySchema,
    caller: 'staff',
  },
  'GET /admin/api/merchants/:id/customers/:customerId/sales': {
    summary: "One page of a customer's sales, newest first (offset, limit)",
    response: customerSalesSchema,
    caller: 'staff',
  },
  'POST /admin/api/merchants/:id/customers/:customerId/adjustments': {
    summary: 'Adjust a balance by hand',
    response: customerViewSchema,
    caller: 'staff',
    roles: ['admin'],
    body: adjustmentSchema,
    ok: { status: 201, description: 'the customer (200 for a repeated idempotency key)' },
  },
};
