import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authThrottleFor } from '../access/authThrottle.js';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { actorOf, authenticate } from '../access/authenticate.js';
import { AppError } from '../http/errors.js';
import { sessionActorFor } from '../staff/sessionRoutes.js';
import { auditQueueActions } from './queueAudit.js';

export const DASHBOARD_PATH = '/admin/queues';

const require = createRequire(import.meta.url);
let viewsDir: string | undefined;
/**
 * bull-board's page as the package ships it, less its one third-party request (a Google Fonts stylesheet:
 * the service serves nothing from another origin, and the CSP would refuse it anyway). Rebuilt from the
 * installed package at start, so the hashed script names stay those of the installed version; the board
 * falls back to the system sans-serif.
 */
function boardViews(): string {
  if (viewsDir) return viewsDir;
  const shipped = readFileSync(path.join(path.dirname(require.resolve('@bull-board/ui/package.json')), 'dist', 'index.ejs'), 'utf8');
  const page = shipped.replace(/<link\b[^>]*href="https?:\/\/[^"]*"[^>]*>\s*/g, '');
  const dir = mkdtempSync(path.join(tmpdir(), 'bull-board-views-'));
  writeFileSync(path.join(dir, 'index.ejs'), page);
  viewsDir = dir;
  return dir;
}
/** Where a browser without a session is sent: the console's sign-in, which comes back here. */
export const SIGN_IN_PATH = `/console/?next=${encodeURIComponent(`${DASHBOARD_PATH}/`)}`;

function board(ctx: AppContext, readOnlyMode: boolean): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: ctx.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode })),
    serverAdapter: adapter,
    // A way back: the board opens from the console (Operations), and its header leads back there.
    options: { uiConfig: { boardTitle: 'Loyalty queues', miscLinks: [{ text: '← Loyalty console', url: '/console/' }] } },
  });
  adapter.setViewsPath(boardViews());
  return adapter.getRouter() as Router;
}

/**
 * bull-board behind the console's session (the same people, roles and CSRF check; bearer tokens still work
 * for scripts): platform admins get actions, support and viewers a read-only board. A browser never holds
 * an API token: the old token form is gone and sends people to the console's sign-in. Every write request
 * is in audit_log with the person (src/operations/queueAudit.ts).
 */
export function queueDashboardRoutes(ctx: AppContext): Router {
  const router = Router();
  const full = board(ctx, false);
  const readOnly = board(ctx, true);
  const audit = auditQueueActions(ctx);
  const auth = authenticate({ db: ctx.pool, throttle: authThrottleFor(ctx), publicUrl: ctx.config.PUBLIC_URL, sessionActor: sessionActorFor(ctx) });

  router.get('/admin/login', (_req, res) => {
    res.redirect(303, SIGN_IN_PATH);
  });

  router.use(
    DASHBOARD_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      const done = (error?: unknown) => {
        // A person opening the board's page without a session: to the sign-in page, not a JSON 401.
        if (error instanceof AppError && error.status === 401 && req.method === 'GET' && req.accepts(['json', 'html']) === 'html')
          return res.redirect(303, SIGN_IN_PATH);
        next(error);
      };
      auth(req, res, done).catch(done);
    },
    (req: Request, _res: Response, next: NextFunction) => {
      // A merchant-scoped person would see every merchant's jobs here; the dashboard is platform-wide.
      if (actorOf(req).merchantId !== null) return next(new AppError(403, 'FORBIDDEN', 'the queue dashboard is for platform-wide staff'));
      next();
    },
    (req: Request, res: Response, next: NextFunction) => {
      audit(req, res, next).catch(next);
    },
    (req: Request, res: Response, next: NextFunction) => (actorOf(req).role === 'admin' ? full : readOnly)(req, res, next),
  );
  return router;
}
