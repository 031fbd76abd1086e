import { z } from 'zod';
import type { RouteDoc } from '../routeDoc.js';
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
  requestStatusSchema,
  resubmitSchema,
  settingsSchema,
} from './schemas.js';

const claimStatusQuery = z.object({ status: z.string().optional().describe('comma-separated claim statuses') });

/** Frequent buyer: setup (platform), the retailer's cards, redemptions and claims, the distributor API: this module's entries of the OpenAPI registry (src/routeDocs.ts gathers them). */
export const frequentBuyerDocs: Record<string, RouteDoc> = {
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
