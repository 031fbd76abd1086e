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
  // The API description and its rendered reference: public, they hold no secret.
  'GET /admin/api/openapi.json': 'public',
  'GET /admin/api/docs': 'public',
  'GET /admin/api/docs/init.js': 'public',
  // The console's own files (its pages then call the admin API, which checks the person).
  // The root sends a person to the console.
  'GET /': 'public',
  'GET /console': 'public',
  'GET /console/{*rest}': 'public',

  'POST /admin/api/merchants': 'platform-admin',
  // Lists filtered to the person's scope: a merchant-scoped person sees only their merchant.
  'GET /admin/api/merchants': 'staff-any',
  'GET /admin/api/search': 'staff-any',
  'GET /admin/api/merchants/:id': 'merchant-read',
  'PATCH /admin/api/merchants/:id': 'merchant-admin',
  'GET /admin/api/merchants/:id/rules': 'merchant-read',
  'PUT /admin/api/merchants/:id/rules': 'merchant-admin',
  'GET /admin/api/merchants/:id/sales/:saleId': 'merchant-read',
  'POST /admin/api/merchants/:id/sales/:saleId/rewards': 'merchant-support',
  'GET /admin/api/merchants/:id/customers/:customerId': 'merchant-read',
  'POST /admin/api/merchants/:id/customers/:customerId/adjustments': 'merchant-admin',
  'POST /admin/api/merchants/:id/backfill': 'merchant-admin',
  'GET /admin/api/merchants/:id/events': 'merchant-read',
  'POST /admin/api/merchants/:id/events/:eventId/replay': 'merchant-support',
  'POST /admin/api/merchants/:id/events/replay': 'merchant-support',
  'GET /admin/api/merchants/:id/rules/versions': 'merchant-read',
  'GET /admin/api/merchants/:id/reference': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/summary': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/history': 'merchant-read',
  'GET /admin/api/merchants/:id/customers/:customerId/sales': 'merchant-read',
  'POST /admin/api/merchants/:id/rules/preview': 'merchant-read',
  'GET /admin/api/staff': 'platform-admin',
  'POST /admin/api/staff': 'platform-admin',
  'POST /admin/api/staff/:staffId/disable': 'platform-admin',

  'POST /admin/api/frequent-buyer/distributors': 'platform-admin',
  'GET /admin/api/frequent-buyer/distributors': 'staff-any',
  'POST /admin/api/frequent-buyer/offers': 'platform-admin',
  'GET /admin/api/frequent-buyer/distributor-requests': 'platform-admin',
  'PUT /admin/api/merchants/:id/locations/:shopId': 'merchant-admin',
  'PUT /admin/api/merchants/:id/frequent-buyer/enrollments/:offerId/:shopId': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/enrollments': 'merchant-read',
  'PUT /admin/api/merchants/:id/frequent-buyer/settings': 'merchant-admin',
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/cards': 'merchant-read',
  'POST /admin/api/merchants/:id/frequent-buyer/redemptions': 'merchant-support',
  'GET /admin/api/merchants/:id/frequent-buyer/claims': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/claims/:claimId': 'merchant-read',
  'POST /admin/api/merchants/:id/frequent-buyer/claims/:claimId/resubmit': 'merchant-admin',
  'POST /admin/api/merchants/:id/frequent-buyer/distributor-requests': 'merchant-admin',
  // The console's frequent-buyer screens (src/frequentBuyer/consoleRoutes.ts).
  'GET /admin/api/frequent-buyer/offers': 'staff-any',
  'GET /admin/api/merchants/:id/locations': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/eligible-distributors': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/holding': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/claims-with-history': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/customers/:customerId/punch-cards': 'merchant-read',
  'GET /admin/api/merchants/:id/frequent-buyer/distributor-requests': 'merchant-read',
  'PATCH /admin/api/frequent-buyer/distributor-requests/:requestId': 'platform-admin',

  // Connecting a store (src/connect): started from the console, finished by Lightspeed's redirect (checked by its state).
  'GET /connect/lightspeed/x': 'console-admin',
  'GET /connect/lightspeed/r': 'console-admin',
  'GET /connect/lightspeed/x/callback': 'public',
  'GET /connect/lightspeed/r/callback': 'public',
  'GET /admin/api/connections': 'staff-any',
  'GET /admin/api/merchants/:id/connection': 'merchant-read',
  'POST /admin/api/merchants/:id/disconnect': 'merchant-admin',

  'GET /distributor/api/claims': 'distributor',
  'GET /distributor/api/claims/:claimId': 'distributor',
  'POST /distributor/api/claims/:claimId/deny': 'distributor',
  'POST /distributor/api/batches': 'distributor',
  'GET /distributor/api/batches/:batchId': 'distributor',
  'POST /distributor/api/batches/:batchId/credit': 'distributor',
  'GET /distributor/api/batches/:batchId/export.csv': 'distributor',
  'GET /distributor/api/enrollments': 'distributor',
  'POST /distributor/api/enrollments/:merchantId/:offerId/:shopId/holding': 'distributor',
  // The distributor portal's reads (src/frequentBuyer/distributorPortalRoutes.ts).
  'GET /distributor/api/me': 'distributor',
  'GET /distributor/api/batches': 'distributor',
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
