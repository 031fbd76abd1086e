import type { AppContext } from './context.js';
import type { AppExtras } from './http/app.js';
import { queueDashboardRoutes } from './admin/queueDashboard.js';
import { consoleStaticRoutes } from './console/staticRoutes.js';
import { rButtonRoutes } from './lightspeed/r/buttonRoute.js';
import { xWebhookRoutes } from './lightspeed/x/webhookRoute.js';

/** The routes beyond health and the admin API, wired for the running service. */
export function httpExtras(ctx: AppContext): AppExtras {
  return { rawRoutes: [xWebhookRoutes(ctx)], routes: [queueDashboardRoutes(ctx), rButtonRoutes(ctx), consoleStaticRoutes()] };
}
