import { Queue } from 'bullmq';
import { Router, type Request } from 'express';
import { actorOf, requirePlatformWide, requireRole } from '../access/authenticate.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import type { AppContext } from '../context.js';
import { idParam, parseOr400 } from '../http/validate.js';
import { keyring } from '../secrets/keyring.js';
import { EVENT_TYPES } from './catalogue.js';
import { WEBHOOK_QUEUE } from './deliveryWorker.js';
import {
  changeEndpoint,
  createEndpoint,
  endpointInScope,
  removeEndpoint,
  replayFrom,
  replayOne,
  rotateSecret,
  sendTestEvent,
  switchEndpoint,
  type EndpointDeps,
  type Scope,
} from './endpointActions.js';
import { deliveriesQuerySchema, endpointCreateSchema, endpointPatchSchema, replaySinceSchema } from './schemas.js';
import { listDeliveries, listEndpoints } from './store.js';
import { targetPolicy } from './targetPolicy.js';
import { deliveryView, endpointView } from './views.js';

/**
 * Outbound webhook endpoints, their deliveries, test events and replay. The same routes twice: under
 * /merchants/:id (that merchant's endpoints: staff of the merchant read, its admins change) and at the
 * root (platform-wide endpoints, every merchant's events: platform admins only).
 */
export function outboundEventRoutes(ctx: AppContext): Router {
  const router = Router();
  const deps: EndpointDeps = {
    pool: ctx.pool,
    ring: keyring(),
    policy: targetPolicy({ production: ctx.config.NODE_ENV === 'production', allowCidrs: ctx.config.WEBHOOK_ALLOW_CIDRS }),
    overlapMs: ctx.config.WEBHOOK_SECRET_OVERLAP_MS,
  };
  let queue: Queue | undefined;
  // A replay or a test is sent at once; if Redis is down the worker's sweep sends it later.
  const wake = async (endpointId: number) => {
    queue ??= new Queue(WEBHOOK_QUEUE, { connection: ctx.redis, prefix: ctx.config.QUEUE_PREFIX, defaultJobOptions: { removeOnComplete: true } });
    await queue.add('drain', { endpointId }).catch(() => undefined);
  };

  const platform = async (req: Request): Promise<Scope> => {
    requirePlatformWide(actorOf(req));
    return { merchantId: null, merchantName: null };
  };
  const merchant = async (req: Request): Promise<Scope> => {
    const m = await visibleMerchant(ctx.pool, req);
    return { merchantId: m.id, merchantName: m.name };
  };

  router.get('/webhook-event-types', (_req, res) => {
    res.json({ eventTypes: EVENT_TYPES });
  });

  for (const [prefix, scopeOf, readers] of [
    ['/webhook-endpoints', platform, requireRole('admin')],
    ['/merchants/:id/webhook-endpoints', merchant, (_req: Request, _res: unknown, next: () => void) => next()],
  ] as const) {
    const admin = requireRole('admin');
    const one = `${prefix}/:endpointId`;

    router.get(prefix, readers, async (req, res) => {
      const scope = await scopeOf(req);
      res.json((await listEndpoints(ctx.pool, scope.merchantId)).map(endpointView));
    });
    router.post(prefix, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const input = parseOr400(endpointCreateSchema, req.body);
      res.status(201).json(await createEndpoint(deps, actorOf(req), scope, input));
    });
    router.get(one, readers, async (req, res) => {
      const scope = await scopeOf(req);
      res.json(endpointView(await endpointInScope(deps, scope, idParam(req, 'endpointId'))));
    });
    router.patch(one, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const patch = parseOr400(endpointPatchSchema, req.body);
      res.json(endpointView(await changeEndpoint(deps, actorOf(req), scope, idParam(req, 'endpointId'), patch)));
    });
    router.delete(one, admin, async (req, res) => {
      const scope = await scopeOf(req);
      await removeEndpoint(deps, actorOf(req), scope, idParam(req, 'endpointId'));
      res.status(204).end();
    });
    router.post(`${one}/rotate-secret`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      res.json(await rotateSecret(deps, actorOf(req), scope, idParam(req, 'endpointId')));
    });
    router.post(`${one}/disable`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      res.json(endpointView(await switchEndpoint(deps, actorOf(req), scope, idParam(req, 'endpointId'), false)));
    });
    router.post(`${one}/enable`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const id = idParam(req, 'endpointId');
      res.json(endpointView(await switchEndpoint(deps, actorOf(req), scope, id, true)));
      await wake(id);
    });
    router.post(`${one}/test`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const id = idParam(req, 'endpointId');
      const eventId = await sendTestEvent(deps, actorOf(req), scope, id);
      await wake(id);
      res.status(202).json({ eventId });
    });
    router.get(`${one}/deliveries`, readers, async (req, res) => {
      const scope = await scopeOf(req);
      const id = idParam(req, 'endpointId');
      await endpointInScope(deps, scope, id);
      const query = parseOr400(deliveriesQuerySchema, req.query, 'query');
      res.json((await listDeliveries(ctx.pool, id, query)).map(deliveryView));
    });
    router.post(`${one}/deliveries/:deliveryId/replay`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const id = idParam(req, 'endpointId');
      await replayOne(deps, actorOf(req), scope, id, idParam(req, 'deliveryId'));
      await wake(id);
      res.status(202).json({ replayed: 1 });
    });
    router.post(`${one}/replay`, admin, async (req, res) => {
      const scope = await scopeOf(req);
      const id = idParam(req, 'endpointId');
      const { since } = parseOr400(replaySinceSchema, req.body);
      const replayed = await replayFrom(deps, actorOf(req), scope, id, new Date(since));
      await wake(id);
      res.status(202).json({ replayed });
    });
  }
  return router;
}
