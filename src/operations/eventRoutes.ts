import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { idParam, parseOr400 } from '../http/validate.js';
import { getSaleEvent, listOpenEvents, type EventFilter } from '../inbox/repo.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { replayEvents } from './replayEvents.js';

const statusSchema = z.enum(['failed', 'received', 'waiting']);

export const listQuerySchema = z.object({
  status: statusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Which events a bulk replay takes: failed ones by default, narrowed by error text and received time. */
export const replayFilterSchema = z
  .object({
    status: statusSchema.default('failed'),
    errorContains: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/**
 * The inbox events of a merchant that are not done, and the replay support and admins use once a cause
 * is fixed (new credentials, a product corrected in Lightspeed). A replay queues the event again; the
 * ledger's idempotency keys make a replay of anything already credited credit nothing more.
 */
export function eventRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/merchants/:id/events', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const query = parseOr400(listQuerySchema, req.query, 'query');
    res.json(await listOpenEvents(ctx.pool, merchant.id, { status: query.status }, query.limit));
  });

  router.post('/merchants/:id/events/:eventId/replay', requireRole('admin', 'support'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const eventId = idParam(req, 'eventId');
    const event = await getSaleEvent(ctx.pool, eventId);
    if (!event || event.merchant_id !== merchant.id) throw notFound(`event ${eventId}`);
    if (event.processed_at) throw new AppError(409, 'ALREADY_PROCESSED', `event ${eventId} is already done; nothing to replay`);
    res.json({ replayed: await replayEvents(ctx, actorOf(req), merchant.id, { eventIds: [eventId] }) });
  });

  router.post('/merchants/:id/events/replay', requireRole('admin', 'support'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(replayFilterSchema, req.body ?? {});
    const filter: EventFilter = {
      status: input.status,
      errorContains: input.errorContains,
      receivedFrom: input.from ? new Date(input.from) : undefined,
      receivedTo: input.to ? new Date(input.to) : undefined,
    };
    res.json({ replayed: await replayEvents(ctx, actorOf(req), merchant.id, filter) });
  });

  return router;
}
