import express, { type RequestHandler } from 'express';
import { authenticate } from './access/authenticate.js';
import { authThrottleFor } from './access/authThrottle.js';
import { consoleStaticRoutes } from './consoleFiles/staticRoutes.js';
import type { AppContext } from './context.js';
import { customerRoutes } from './customers/customerRoutes.js';
import { distributorPortalRoutes } from './frequentBuyer/distributor/distributorPortalRoutes.js';
import { distributorRoutes } from './frequentBuyer/distributor/distributorRoutes.js';
import { frequentBuyerClaimRoutes } from './frequentBuyer/retailer/claimRoutes.js';
import { frequentBuyerSetupRoutes } from './frequentBuyer/setup/setupRoutes.js';
import { healthRoutes } from './health/healthRoutes.js';
import { outboundEventRoutes } from './events/routes.js';
import { createApp, type Mount } from './http/app.js';
import { rButtonRoutes } from './lightspeed/r/buttonRoute.js';
import { xWebhookRoute } from './lightspeed/x/webhookRoute.js';
import { connectAdminRoutes, connectRoutes } from './merchants/connect/routes.js';
import { merchantRoutes } from './merchants/merchantRoutes.js';
import { insightAlertRoutes } from './insights/alertRoutes.js';
import { insightsRoutes } from './insights/insightsRoutes.js';
import { openApiRoutes } from './openapi/openapiRoutes.js';
import { eventRoutes } from './operations/eventRoutes.js';
import { queueDashboardRoutes } from './operations/queueDashboard.js';
import { rulesRoutes } from './ruleVersions/rulesRoutes.js';
import { saleRoutes } from './sales/saleRoutes.js';
import { searchRoutes } from './sales/searchRoutes.js';
import { sessionMiddleware } from './staff/session.js';
import { sessionActorFor, sessionRoutes } from './staff/sessionRoutes.js';
import { staffRoutes } from './staff/staffRoutes.js';

/**
 * Every URL the service answers, in mount order: "which URLs exist?" is answered here and nowhere else.
 * Each router keeps its own paths; a new router gets a line here and a row in the authorization matrix
 * (test/integration/security/authorizationMatrix.table.ts).
 */
export function routeTable(ctx: AppContext): Mount[] {
  const json = express.json({ limit: '256kb' });
  // Staff: an API token or a console session; distributor tokens are refused here (403).
  const who = { db: ctx.pool, throttle: authThrottleFor(ctx), publicUrl: ctx.config.PUBLIC_URL, sessionActor: sessionActorFor(ctx) };
  const staff = authenticate(who);
  // A distributor token, or a distributor's person signed in to the console (same session as staff).
  const distributor = authenticate(who, 'distributor');
  return [
    // The hot route, served before Express sees the request (`hot`: no router, no security headers, no
    // general request log, no body parser: it verifies its signature over the raw body it reads itself, and
    // logs its own requests).
    { path: '/webhooks/lightspeed/x', hot: xWebhookRoute(ctx) },
    { handlers: [healthRoutes(ctx)] },
    // People in the console sign in with a server-side session; the admin API and the queue board accept it.
    { path: ['/admin', '/console', '/connect', '/distributor'], handlers: [sessionMiddleware(ctx.pool, ctx.config)] },
    {
      path: '/admin/api',
      handlers: [
        json,
        // The API description is public (it holds no secret); signing in and out come before
        // authentication (they are how a person gets authenticated).
        openApiRoutes(),
        sessionRoutes(ctx),
        staff,
        // One room per resource (src/<resource>/), in the same order as the OpenAPI registry (src/routeDocs.ts).
        merchantRoutes(ctx),
        connectAdminRoutes(ctx),
        rulesRoutes(ctx),
        searchRoutes(ctx),
        saleRoutes(ctx),
        customerRoutes(ctx),
        eventRoutes(ctx),
        staffRoutes(ctx),
        frequentBuyerSetupRoutes(ctx),
        frequentBuyerClaimRoutes(ctx),
        // Outbound events: webhook endpoints, deliveries, test events, replay (src/events).
        outboundEventRoutes(ctx),
        insightsRoutes(ctx),
        insightAlertRoutes(ctx),
      ] satisfies RequestHandler[],
    },
    // Distributors' own API: distributor tokens and distributor people only; the portal's reads, then the claims work.
    { path: '/distributor/api', handlers: [json, distributor, distributorPortalRoutes(ctx), distributorRoutes(ctx)] },
    { handlers: [queueDashboardRoutes(ctx), rButtonRoutes(ctx), connectRoutes(ctx), consoleStaticRoutes()] },
  ];
}

/** The service's HTTP app with every route mounted (what main.ts listens with, and what tests drive). */
export const serviceApp = (ctx: AppContext) => createApp(ctx, routeTable(ctx));
