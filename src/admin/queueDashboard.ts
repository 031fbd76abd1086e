import { authThrottleFor } from '../access/authThrottle.js';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import { findToken } from '../access/tokens.js';
import { SESSION_COOKIE, actorOf, authenticate } from '../access/authenticate.js';
import { assertSameOrigin } from '../http/originCheck.js';
import { sessionActorFor } from '../staff/sessionRoutes.js';

export const DASHBOARD_PATH = '/admin/queues';

function board(ctx: AppContext, readOnlyMode: boolean): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: ctx.queues.all().map((q) => new BullMQAdapter(q, { readOnlyMode })), serverAdapter: adapter });
  return adapter.getRouter() as Router;
}

const loginPage = (message = '') => `<!doctype html><meta charset="utf-8"><title>Loyalty worker: sign in</title>
<body style="font-family: system-ui; max-width: 28rem; margin: 4rem auto">
<h1>Queue dashboard</h1>${message ? `<p style="color:#b00">${message}</p>` : ''}
<form method="post" action="/admin/login"><label>API token<br><input name="token" type="password" autocomplete="off" style="width:100%"></label>
<p><button type="submit">Sign in</button></p></form></body>`;

/**
 * bull-board behind the admin tokens: admins get actions, other roles a read-only board. Browsers
 * cannot send a bearer header, so a small login form sets the token as an HttpOnly cookie.
 */
export function queueDashboardRoutes(ctx: AppContext): Router {
  const router = Router();
  const full = board(ctx, false);
  const readOnly = board(ctx, true);
  const throttle = authThrottleFor(ctx);

  router.get('/admin/login', (_req, res) => {
    res.type('html').send(loginPage());
  });
  router.post('/admin/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req: Request, res: Response) => {
    // Login CSRF: a foreign page must not sign a browser in with a token of its choosing.
    assertSameOrigin(req, ctx.config.PUBLIC_URL);
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    const address = `ip:${req.ip ?? 'unknown'}`;
    try {
      await throttle.assertAllowed(address);
    } catch {
      res.status(429).type('html').send(loginPage('Too many failed attempts. Wait a minute and try again.'));
      return;
    }
    const record = token ? await findToken(ctx.pool, token) : null;
    if (!record) {
      await throttle.failed(address);
      res.status(401).type('html').send(loginPage('Unknown or revoked token.'));
      return;
    }
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/admin', maxAge: 12 * 3600 * 1000 });
    res.redirect(303, `${DASHBOARD_PATH}/`);
  });

  router.use(DASHBOARD_PATH, authenticate({ db: ctx.pool, throttle, publicUrl: ctx.config.PUBLIC_URL, sessionActor: sessionActorFor(ctx) }), (req, res, next) => {
    const actor = actorOf(req);
    // A merchant-scoped token would see every merchant's jobs here; the dashboard is platform-wide.
    if (actor.merchantId !== null) return res.status(403).json({ error: { code: 'FORBIDDEN', message: 'the queue dashboard needs a platform-wide token' } });
    return (actor.role === 'admin' ? full : readOnly)(req, res, next);
  });
  return router;
}
