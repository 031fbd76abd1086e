import { Router, type Request } from 'express';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../access/authenticate.js';
import { notFound } from '../../http/errors.js';
import { getDistributor } from '../store/distributors.js';
import { listDistributorBatches } from '../store/consoleViews.js';

const distributorOf = (req: Request): number => actorOf(req).distributorId!;

/** How many batches the portal lists (newest first). */
const BATCHES_PAGE = 200;

/**
 * What the distributor portal reads beyond the claim API: who it is, and its batches. Mounted inside
 * /distributor/api, after its authentication: only the caller's own distributor is ever read.
 */
export function distributorPortalRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/me', async (req, res) => {
    const distributor = await getDistributor(ctx.pool, distributorOf(req));
    if (!distributor) throw notFound('distributor');
    res.json({
      actor: actorOf(req).name,
      distributor: { id: distributor.id, name: distributor.name, regions: distributor.regions, requiresAccountNumber: distributor.requiresAccountNumber },
    });
  });

  router.get('/batches', async (req, res) => {
    res.json(await listDistributorBatches(ctx.pool, distributorOf(req), BATCHES_PAGE));
  });

  return router;
}
