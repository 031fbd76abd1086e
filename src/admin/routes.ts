import { authThrottleFor } from '../http/authThrottle.js';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { authenticate } from '../http/auth.js';
import { sessionActorFor } from '../staff/sessionRoutes.js';
import { frequentBuyerClaimRoutes } from '../frequentBuyer/claimRoutes.js';
import { frequentBuyerRoutes } from '../frequentBuyer/routes.js';
import { consoleRoutes } from './consoleRoutes.js';
import { rulesConsoleRoutes } from '../console/rulesRoutes.js';
import { staffRoutes } from '../staff/staffRoutes.js';
import { eventRoutes } from './eventRoutes.js';
import { loyaltyRoutes } from './loyaltyRoutes.js';
import { merchantRoutes } from './merchantRoutes.js';

/** Everything under /admin/api: authenticated, role-checked per route, audited on change. */
export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate({ db: ctx.pool, throttle: authThrottleFor(ctx), publicUrl: ctx.config.PUBLIC_URL, sessionActor: sessionActorFor(ctx) }));
  router.use(merchantRoutes(ctx));
  router.use(loyaltyRoutes(ctx));
  router.use(eventRoutes(ctx));
  router.use(consoleRoutes(ctx));
  router.use(rulesConsoleRoutes(ctx));
  router.use(staffRoutes(ctx));
  router.use(frequentBuyerRoutes(ctx));
  router.use(frequentBuyerClaimRoutes(ctx));
  return router;
}
