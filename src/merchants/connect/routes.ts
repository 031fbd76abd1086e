import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireRole } from '../../access/authenticate.js';
import { AppError, forbidden, notFound, unauthorized } from '../../http/errors.js';
import { parseOr400 } from '../../http/validate.js';
import { isTimeZone, apiBaseAllowed } from '../store/schema.js';
import { keyring } from '../../secrets/keyring.js';
import { sessionActorFor } from '../../staff/sessionRoutes.js';
import { xAuthorizeUrl } from '../../lightspeed/x/oauth.js';
import { rAuthorizeUrl } from '../../lightspeed/r/oauth.js';
import { visibleMerchant } from '../../access/visibleMerchant.js';
import { codeChallengeS256, newCodeVerifier } from './pkce.js';
import { newState, STATE_SHAPE, STATE_TTL_MS } from './state.js';
import { insertPendingConnect } from './store.js';
import { finishRConnect, finishXConnect, type CallbackInput } from './finishConnect.js';
import { connectionView, connectionsFor } from './connectionView.js';
import { disconnectMerchant } from './disconnect.js';
import { actorOf } from '../../access/authenticate.js';

/** The console's connect form sends its empty fields as `name=`: an empty field is one not given. */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const startQuerySchema = z
  .object({
    /** The merchant to connect or reconnect; a platform admin may leave it out (then the store names it). */
    merchantId: optional(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lowercase slug (a-z, 0-9, -)')),
    name: optional(z.string().trim().min(1).max(200)),
    timezone: optional(z.string().refine(isTimeZone, 'not an IANA time zone')),
  })
  .strict();

const callbackQuerySchema = z.object({
  state: z.string().regex(STATE_SHAPE, 'not a state this service issued'),
  code: z.string().min(1).max(2048).optional(),
  domain_prefix: z.string().max(200).optional(),
  scope: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});

/** Where Lightspeed sends the person back: must equal the redirect URI registered for the app. */
export const redirectUri = (publicUrl: string, series: 'x' | 'r') => `${publicUrl.replace(/\/+$/, '')}/connect/lightspeed/${series}/callback`;

function connectSettings(ctx: AppContext) {
  const { PUBLIC_URL, LIGHTSPEED_CLIENT_ID, LIGHTSPEED_CLIENT_SECRET } = ctx.config;
  if (!PUBLIC_URL || !LIGHTSPEED_CLIENT_ID || !LIGHTSPEED_CLIENT_SECRET) {
    throw new AppError(503, 'CONNECT_NOT_CONFIGURED', 'connecting stores needs PUBLIC_URL, LIGHTSPEED_CLIENT_ID and LIGHTSPEED_CLIENT_SECRET');
  }
  for (const [name, base] of [
    ['X_CONNECT_API_BASE', ctx.config.X_CONNECT_API_BASE],
    ['R_CONNECT_API_BASE', ctx.config.R_CONNECT_API_BASE],
  ] as const) {
    if (base && !apiBaseAllowed(base, ctx.config)) throw new AppError(503, 'CONNECT_NOT_CONFIGURED', `${name} is not in LIGHTSPEED_API_BASE_ALLOWLIST`);
  }
  return { publicUrl: PUBLIC_URL, clientId: LIGHTSPEED_CLIENT_ID, clientSecret: LIGHTSPEED_CLIENT_SECRET };
}

/**
 * Connecting a store: `GET /connect/lightspeed/{x|r}` (a person signed in to the console, admin of the
 * platform or of the merchant) sends the browser to Lightspeed's authorize page with a fresh state bound
 * to the session; Lightspeed sends it back to `.../callback`, which finishes the connection and lands on
 * the merchant's Operations page. A bearer token cannot start this: the state must belong to a browser
 * session, and so must the callback.
 */
export function connectRoutes(ctx: AppContext): Router {
  const router = Router();
  const sessionActor = sessionActorFor(ctx);

  const start = (series: 'x' | 'r') => async (req: Request, res: import('express').Response) => {
    const actor = await sessionActor(req);
    if (!actor || !req.session?.userId) throw unauthorized('sign in to the console to connect a store');
    if (actor.role !== 'admin') throw forbidden(`role '${actor.role}' may not connect a store; needs admin`);
    const query = parseOr400(startQuerySchema, req.query, 'query');
    // A merchant's admin connects (or reconnects) their own merchant only; another merchant does not exist for them.
    if (actor.merchantId !== null && query.merchantId !== undefined && query.merchantId !== actor.merchantId) throw notFound(`merchant '${query.merchantId}'`);
    const merchantId = actor.merchantId ?? query.merchantId ?? null;
    const settings = connectSettings(ctx);
    const state = newState();
    const codeVerifier = series === 'r' ? newCodeVerifier() : null;
    await insertPendingConnect(ctx.pool, keyring(), state, {
      series,
      sessionId: req.sessionID,
      staffUserId: req.session.userId,
      merchantId,
      merchantName: query.name ?? null,
      timezone: query.timezone ?? null,
      codeVerifier,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    res.locals.log = { merchantId, series };
    const uri = redirectUri(settings.publicUrl, series);
    res.redirect(
      302,
      series === 'x'
        ? xAuthorizeUrl(ctx.config, settings.clientId, uri, state)
        : rAuthorizeUrl(ctx.config, { clientId: settings.clientId, redirectUri: uri, state, codeChallenge: codeChallengeS256(codeVerifier!) }),
    );
  };

  const callback = (series: 'x' | 'r') => async (req: Request, res: import('express').Response) => {
    const query = parseOr400(callbackQuerySchema, req.query, 'query');
    const settings = connectSettings(ctx);
    const input: CallbackInput = { ...query, sessionId: req.sessionID, sessionUserId: req.session?.userId, actor: await sessionActor(req) };
    const done = series === 'x' ? await finishXConnect(ctx, settings, input) : await finishRConnect(ctx, settings, input);
    res.locals.log = { merchantId: done.merchantId, series };
    res.redirect(302, `/console/merchants/${encodeURIComponent(done.merchantId)}/operations?connected=${series}`);
  };

  router.get('/connect/lightspeed/x', start('x'));
  router.get('/connect/lightspeed/r', start('r'));
  router.get('/connect/lightspeed/x/callback', callback('x'));
  router.get('/connect/lightspeed/r/callback', callback('r'));
  return router;
}

/** Under /admin/api (authenticated there): a merchant's connection, the list's, and Disconnect. */
export function connectAdminRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/connections', async (req, res) => {
    res.json(await connectionsFor(ctx, actorOf(req).merchantId));
  });

  router.get('/merchants/:id/connection', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await connectionView(ctx, merchant));
  });

  router.post('/merchants/:id/disconnect', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await disconnectMerchant(ctx, actorOf(req), merchant));
  });

  return router;
}
