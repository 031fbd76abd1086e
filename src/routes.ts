import express, { type RequestHandler } from 'express';
import { authenticate } from './access/authenticate.js';
import { authThrottleFor } from './access/authThrottle.js';
import { consoleRoutes } from './admin/consoleRoutes.js';
import { eventRoutes } from './admin/eventRoutes.js';
import { loyaltyRoutes } from './admin/loyaltyRoutes.js';
import { merchantRoutes } from './admin/merchantRoutes.js';
import { queueDashboardRoutes } from './admin/queueDashboard.js';
import { customerConsoleRoutes } from './console/customerRoutes.js';
import { rulesConsoleRoutes } from './console/rulesRoutes.js';
import { consoleStaticRoutes } from './console/staticRoutes.js';
import { connectAdminRoutes, connectRoutes } from './connect/routes.js';
import type { AppContext } from './context.js';
import { frequentBuyerClaimRoutes } from './frequentBuyer/claimRoutes.js';
import { frequentBuyerConsoleRoutes } from './frequentBuyer/consoleRoutes.js';
import { distributorRoutes } from './frequentBuyer/distributorRoutes.js';
import { frequentBuyerSetupRoutes } from './frequentBuyer/setupRoutes.js';
import { createApp, type Mount } from './http/app.js';
import { rButtonRoutes } from './lightspeed/r/buttonRoute.js';
import { xWebhookRoutes } from './lightspeed/x/webhookRoute.js';
import { healthRoutes } from './health/healthRoutes.js';
import { insightAlertRoutes } from './insights/alertRoutes.js';
import { insightsRoutes } from './insights/insightsRoutes.js';
import { openApiRoutes } from './openapi/openapiRoutes.js';
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
  const staff = authenticate({ db: ctx.pool, throttle: authThrottleFor(ctx), publicUrl: ctx.config.PUBLIC_URL, sessionActor: sessionActorFor(ctx) });
  return [
    { handlers: [healthRoutes(ctx)] },
    // Before any body parser: the webhook verifies its signature over the raw body it reads itself.
    { handlers: [xWebhookRoutes(ctx)] },
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
        merchantRoutes(ctx),
        loyaltyRoutes(ctx),
        eventRoutes(ctx),
        consoleRoutes(ctx),
        rulesConsoleRoutes(ctx),
        customerConsoleRoutes(ctx),
        staffRoutes(ctx),
        frequentBuyerSetupRoutes(ctx),
        frequentBuyerClaimRoutes(ctx),
        connectAdminRoutes(ctx),
        frequentBuyerConsoleRoutes(ctx),
        insightsRoutes(ctx),
        insightAlertRoutes(ctx),
      ] satisfies RequestHandler[],
    },
    // Distributors' own API: it authenticates distributor tokens and distributor people itself.
    { path: '/distributor/api', handlers: [json, distributorRoutes(ctx)] },
    { handlers: [queueDashboardRoutes(ctx), rButtonRoutes(ctx), connectRoutes(ctx), consoleStaticRoutes()] },
  ];
}

/** The former name of the route table, kept while parallel branches land (their tests call `createApp(ctx, httpExtras(ctx))`). */
export const httpExtras = routeTable;

/** The service's HTTP app with every route mounted (what main.ts listens with, and what tests drive). */
export const serviceApp = (ctx: AppContext) => createApp(ctx, routeTable(ctx));
