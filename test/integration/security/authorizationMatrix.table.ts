/**
 * Every route the service mounts, with who owns it (role × scope). The matrix test walks the mounted
 * routers and fails for a route missing here, so a new route cannot ship without saying who may call it.
 *
 * Owners:
 * - public: no token (health, webhooks signed by Lightspeed, the signed POS button, the login form).
 * - merchant-read: any staff role of the platform or of that merchant.
 * - merchant-support: admin or support, of the platform or of that merchant.
 * - merchant-admin: admin, of the platform or of that merchant.
 * - platform-admin: a platform-wide admin only.
 * - staff-any: any staff token, platform or merchant (data that is not any merchant's: the distributor list).
 * - distributor: a distributor token; ids in the path are that distributor's (another's answer 404).
 * - console-admin: a person signed in to the console (session), admin of the platform or of the merchant;
 *   a bearer token is never enough (401): the OAuth state must be bound to a browser session. Its session
 *   personas are tested in test/integration/connect/xConnect.test.ts.
 */
export type Owner = 'public' | 'console-admin' | 'merchant-read' | 'merchant-support' | 'merchant-admin' | 'platform-admin' | 'staff-any' | 'distributor';

export const routeOwners: Record<string, Owner> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'POST /webhooks/lightspeed/x/:merchantId': 'public',
  'GET /admin/login': 'public',
  'GET /pos/lightspeed/r/:merchantId/rewards': 'public',
  // The console's sign-in: a session for an email and password (the session then carries the person's role).
  'POST /admin/api/session': 'public',
  'GET /admin/api/session': 'public',
  'DELETE /admin/api/session': 'public',
  // A person's own password: only with their console session (a bearer token is not a person: 401).
  'POST /admin/api/session/password': 'console-admin',
  // The API description and its rendered reference: public, they hold no secret.
  'GET /admin/api/openapi.json': 'public',
  'GET /admin/api/docs': 'public',
  'GET /admin/api/docs/init.js': 'public',
  // The console's own files (its pages then call the admin API, which checks the person).
  // The root sends a person to the console.
  'GET /': 'public',
  'GET /console': 'public',
  'GET /console/{*rest}': 'public',

  // Merchants (src/merchants): lists are filtered to the person's scope (a merchant-scoped person sees only their merchant).
  'POST /admin/api/merchants': 'platform-admin',
  'GET /admin/api/merchants': 'staff-any',
  'GET /admin/api/merchants/:id': 'merchant-read',
  'PATCH /admin/api/merchants/:id': 'merchant-admin',
  'POST /admin/api/merchants/:id/backfill': 'merchant-admin',
  // Insights (src/insights): any staff of the merchant reads its figures and the sales behind them.
  'GET /admin/api/insights/overview': 'staff-any',
  'GET /admin/api/merchants/:id/insights': 'merchant-read',
  'GET /admin/api/merchants/:id/insights/sales': 'merchant-read',
  'GET /admin/api/merchants/:id/insights/withheld': 'merchant-read',
  'GET /admin/api/merchants/:id/alerts': 'merchant-read',
  'POST /admin/api/merchants/:id/alerts/:alertId/acknowledge': 'merchant-support',
  'POST /admin/api/merchants/:id/alerts/:alertId/resolve': 'merchant-support',
  'GET /admin/api/merchants/:id/alert-settings': 'merchant-read',
  'PUT /admin/api/merchants/:id/alert-settings': 'merchant-admin',
  // Filtered to the person's scope, like the merchant list.
  'GET /admin/api/alerts': 'staff-any',

  // Connecting a store (src/merchants/connect): started from the console, finished by Lightspeed's redirect (checked by its state).
  'GET /connect/lightspeed/x': 'console-admin',
  'GET /connect/lightspeed/r': 'console-admin',
  'GET /connect/lightspeed/x/callback': 'public',
  'GET /connect/lightspeed/r/callback': 'public',
  'GET /admin/api/connections': 'staff-any',
  'GET /admin/api/merchants/:id/connection': 'merchant-read',
  'POST /admin/api/merchants/:id/disconnect': 'merchant-admin',

  // Rules (src/ruleVersions).
  'GET /admin/api/merchants/:id/rules': 'merchant-read',
  'PUT /admin/api/merchants/:id/rules': 'merchant-admin',
  'GET /admin/api/merchants/:id/rules/versions': 'merchant-read',
  'GET /admin/api/merchants/:id/reference': 'merchant-read',
  'POST /admin/api/merchants/:id/rules/preview': 'merchant-read',

  // Sales (src/sales): the search is filtered to the person's scope.
  'GET /admin/api/search': 'staff-any',
  'GET /admin/api/merchants/:id/sales/:saleId': 'merchant-read',
  'POST /admin/api/merchants/:id/sales/:saleId/rewards': 'merchant-support',

  // Customers (src/customers).
  'GET /admin/api/merchants/:id/customers/:customerId': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/summary': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/history': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/sales': 'merchant-read',
  'POST /admin/api/merchants/:id/customers/:customerId/adjustments': 'merchant-admin',

  // Operations (src/operations): the inbox's events and their replay.
  'GET /admin/api/merchants/:id/events': 'merchant-read',
  'POST /admin/api/merchants/:id/events/:eventId/replay': 'merchant-support',
  'POST /admin/api/merchants/:id/events/replay': 'merchant-support',

  // Staff (src/staff).
  'GET /admin/api/staff': 'platform-admin',
  'POST /admin/api/staff': 'platform-admin',
  'POST /admin/api/staff/:staffId/disable': 'platform-admin',
  'POST /admin/api/staff/:staffId/reset-password': 'platform-admin',

  // Frequent buyer, setup (src/frequentBuyer/setup).
  'POST /admin/api/frequent-buyer/distributors': 'platform-admin',
  'GET /admin/api/frequent-buyer/distributors': 'staff-any',
  'POST /admin/api/frequent-buyer/offers': 'platform-admin',
  'GET /admin/api/frequent-buyer/offers': 'staff-any',
  'GET /admin/api/frequent-buyer/distributor-requests': 'platform-admin',
  'PATCH /admin/api/frequent-buyer/distributor-requests/:requestId': 'platform-admin',
  'PUT /admin/api/merchants/:id/locations/:shopId': 'merchant-admin',
  'GET /admin/api/merchants/:id/locations': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/eligible-distributors': 'merchant-read',
  'PUT /admin/api/merchants/:id/frequent-buyer/enrollments/:offerId/:shopId': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/enrollments': 'merchant-read',

  // Frequent buyer, the retailer's side (src/frequentBuyer/retailer).
  'PUT /admin/api/merchants/:id/frequent-buyer/settings': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/cards': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/punch-cards': 'merchant-read',
  'POST /admin/api/merchants/:id/frequent-buyer/redemptions': 'merchant-support',
  'GET /admin/api/merchants/:id/frequent-buyer/claims': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/claims-with-history': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/claims/:claimId': 'merchant-read',
  'POST /admin/api/merchants/:id/frequent-buyer/claims/:claimId/resubmit': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/holding': 'merchant-read',
  'POST /admin/api/merchants/:id/frequent-buyer/distributor-requests': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/distributor-requests': 'merchant-read',

  // Frequent buyer, the distributor API (src/frequentBuyer/distributor).
  'GET /distributor/api/me': 'distributor',
  'GET /distributor/api/claims': 'distributor',
  'GET /distributor/api/claims/:claimId': 'distributor',
  'POST /distributor/api/claims/:claimId/deny': 'distributor',
  'GET /distributor/api/batches': 'distributor',
  'POST /distributor/api/batches': 'distributor',
  'GET /distributor/api/batches/:batchId': 'distributor',
  'POST /distributor/api/batches/:batchId/credit': 'distributor',
  'GET /distributor/api/batches/:batchId/export.csv': 'distributor',
  'GET /distributor/api/enrollments': 'distributor',
  'POST /distributor/api/enrollments/:merchantId/:offerId/:shopId/holding': 'distributor',
  // Outbound events (src/events/routes.ts): a merchant's webhook endpoints (read by its staff, changed by its
  // admins) and the platform-wide ones. DELETE rows last: the matrix deletes the seeded endpoints.
  'GET /admin/api/webhook-event-types': 'staff-any',
  'GET /admin/api/merchants/:id/webhook-endpoints': 'merchant-read',
  'POST /admin/api/merchants/:id/webhook-endpoints': 'merchant-admin',
  'GET /admin/api/merchants/:id/webhook-endpoints/:endpointId': 'merchant-read',
  'PATCH /admin/api/merchants/:id/webhook-endpoints/:endpointId': 'merchant-admin',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/rotate-secret': 'merchant-admin',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/disable': 'merchant-admin',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/enable': 'merchant-admin',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/test': 'merchant-admin',
  'GET /admin/api/merchants/:id/webhook-endpoints/:endpointId/deliveries': 'merchant-read',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/deliveries/:deliveryId/replay': 'merchant-admin',
  'POST /admin/api/merchants/:id/webhook-endpoints/:endpointId/replay': 'merchant-admin',
  'GET /admin/api/webhook-endpoints': 'platform-admin',
  'POST /admin/api/webhook-endpoints': 'platform-admin',
  'GET /admin/api/webhook-endpoints/:endpointId': 'platform-admin',
  'PATCH /admin/api/webhook-endpoints/:endpointId': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/rotate-secret': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/disable': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/enable': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/test': 'platform-admin',
  'GET /admin/api/webhook-endpoints/:endpointId/deliveries': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/deliveries/:deliveryId/replay': 'platform-admin',
  'POST /admin/api/webhook-endpoints/:endpointId/replay': 'platform-admin',
  'DELETE /admin/api/merchants/:id/webhook-endpoints/:endpointId': 'merchant-admin',
  'DELETE /admin/api/webhook-endpoints/:endpointId': 'platform-admin',
};

export const personas = ['none', 'wrong', 'viewerA', 'supportA', 'adminA', 'adminB', 'platformAdmin', 'distributor1', 'distributor2'] as const;
export type Persona = (typeof personas)[number];

/** What a persona gets: refused (401, 403), walled off (404 as if it did not exist), or through (anything else below 500). */
export type Answer = 401 | 403 | 404 | 'through';

const staffPersonas: Persona[] = ['viewerA', 'supportA', 'adminA', 'adminB', 'platformAdmin'];

/** The expected answer table, derived from the owner of the route. */
export function expectedAnswer(owner: Exclude<Owner, 'public'>, persona: Persona, path?: string): Answer {
  if (persona === 'none' || persona === 'wrong') return 401;
  if (owner === 'console-admin') return 401;
  if (owner === 'distributor') {
    if (staffPersonas.includes(persona)) return 403;
    // The seeded claim, batch and enrollment are distributor 1's: to distributor 2 they do not exist.
    if (persona === 'distributor2' && path !== undefined && /:claimId|:batchId|:offerId/.test(path)) return 404;
    return 'through';
  }
  // Staff routes refuse distributor tokens outright.
  if (persona === 'distributor1' || persona === 'distributor2') return 403;
  switch (owner) {
    case 'staff-any':
      return 'through';
    case 'platform-admin':
      return persona === 'platformAdmin' ? 'through' : 403;
    case 'merchant-read':
      return persona === 'adminB' ? 404 : 'through';
    case 'merchant-support':
      return persona === 'viewerA' ? 403 : persona === 'adminB' ? 404 : 'through';
    case 'merchant-admin':
      return persona === 'viewerA' || persona === 'supportA' ? 403 : persona === 'adminB' ? 404 : 'through';
  }
}
