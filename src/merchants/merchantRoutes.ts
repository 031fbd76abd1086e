import { Router } from 'express';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../http/errors.js';
import { actorOf, assertMerchantVisible, requirePlatformWide, requireRole } from '../access/authenticate.js';
import { param, parseOr400 } from '../http/validate.js';
import { changeMerchant, createMerchant } from './merchantChanges.js';
import { getMerchant } from './store/repo.js';
import { apiBaseAllowed, merchantCreateSchema, merchantPatchSchema, PLATFORM_ONLY_FIELDS, publicMerchant } from './store/schema.js';
import { sweepInbox } from '../inbox/sweepInbox.js';
import { syncPollScheduler } from '../polling/schedulers.js';
import { enqueueBackfill } from '../queue/enqueue.js';
import { getPollState } from '../polling/store/pollState.js';
import { writeAudit } from '../access/audit.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { merchantsWithHealth } from './store/health.js';
import { backfillSchema } from '../contract/operations.js';

export { backfillSchema };

function assertApiBaseAllowed(ctx: AppContext, url: string | null | undefined): void {
  if (url && !apiBaseAllowed(url, ctx.config)) throw new AppError(422, 'API_BASE_NOT_ALLOWED', 'apiBaseUrl is not in LIGHTSPEED_API_BASE_ALLOWLIST');
}

/** Merchants: the list with their intake health, create, read, change, and a backfill of a time window. */
export function merchantRoutes(ctx: AppContext): Router {
  const router = Router();

  /** Filtered to the person's scope: a merchant-scoped person sees only their merchant. */
  router.get('/merchants', async (req, res) => {
    res.json(await merchantsWithHealth(ctx.pool, actorOf(req).merchantId));
  });

  router.post('/merchants', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const input = parseOr400(merchantCreateSchema, req.body);
    assertApiBaseAllowed(ctx, input.apiBaseUrl);
    const created = await createMerchant(ctx.pool, actor, input);
    if (!created) throw new AppError(409, 'CONFLICT', `merchant '${input.id}' already exists`);
    // Its poll scheduler now, not at a sweep (the sweep only checks counts and recent changes).
    await syncPollScheduler(ctx, created).catch((err: unknown) =>
      req.log.warn({ err, merchantId: created.id }, 'could not create the poll scheduler; the sweep will'),
    );
    res.status(201).json(publicMerchant(created));
  });

  router.get('/merchants/:id', async (req, res) => {
    const id = param(req, 'id');
    assertMerchantVisible(actorOf(req), id);
    const merchant = await getMerchant(ctx.pool, id);
    if (!merchant) throw notFound(`merchant '${id}'`);
    res.json({ ...publicMerchant(merchant), polling: await getPollState(ctx.pool, id) });
  });

  router.patch('/merchants/:id', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    const id = param(req, 'id');
    assertMerchantVisible(actor, id);
    const patch = parseOr400(merchantPatchSchema, req.body);
    // Which store this is and where its tokens go are the platform's to say (a merchant admin could
    // otherwise send the service's authenticated calls, and a refresh, to a host of their choosing).
    const platformOnly = PLATFORM_ONLY_FIELDS.filter((field) => patch[field] !== undefined);
    if (actor.merchantId !== null && platformOnly.length)
      throw new AppError(403, 'PLATFORM_ONLY_FIELD', `only platform admins may change ${platformOnly.join(', ')}`);
    assertApiBaseAllowed(ctx, patch.apiBaseUrl);
    const updated = await changeMerchant(ctx.pool, actor, id, patch);
    if (!updated) throw notFound(`merchant '${id}'`);
    // Resumed: what waited while paused is queued now rather than at the next sweep.
    if (patch.paused === false || patch.credentials !== undefined || patch.apiBaseUrl !== undefined) await sweepInbox(ctx, 0);
    await syncPollScheduler(ctx, updated).catch((err: unknown) =>
      req.log.warn({ err, merchantId: updated.id }, 'could not update the poll scheduler; the sweep will'),
    );
    res.json(publicMerchant(updated));
  });

  router.post('/merchants/:id/backfill', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const { from, to } = parseOr400(backfillSchema, req.body);
    await enqueueBackfill(ctx.queues, { merchantId: merchant.id, from, to });
    await writeAudit(ctx.pool, { actor, merchantId: merchant.id, action: 'backfill.request', entity: 'merchant', entityId: merchant.id, after: { from, to } });
    res.status(202).json({ merchantId: merchant.id, from, to, status: 'queued' });
  });

  return router;
}
