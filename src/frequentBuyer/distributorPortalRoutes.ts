import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { actorOf } from '../access/authenticate.js';
import { notFound } from '../http/errors.js';
import type { BatchSummaryView } from './views.js';

const distributorOf = (req: Request): number => actorOf(req).distributorId!;

/**
 * What the distributor portal reads beyond the claim API: who it is, and its batches. Mounted inside
 * /distributor/api, after its authentication: only the caller's own distributor is ever read.
 */
export function distributorPortalRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/me', async (req, res) => {
    const distributor = (await ctx.pool.query(`SELECT id::int, name, regions, requires_account_number AS "requiresAccountNumber" FROM distributors WHERE id = $1`, [distributorOf(req)])).rows[0];
    if (!distributor) throw notFound('distributor');
    res.json({ actor: actorOf(req).name, distributor });
  });

  router.get('/batches', async (req, res) => {
    const { rows } = await ctx.pool.query<BatchSummaryView>(
      `SELECT b.id::int, b.created_by AS "createdBy", b.created_at AS "createdAt", b.credit_reference AS "creditReference", b.credited_at AS "creditedAt",
              count(c.id)::int AS claims, coalesce(sum(c.value) FILTER (WHERE c.status <> 'denied'), 0)::int AS total
         FROM claim_batches b LEFT JOIN claims c ON c.batch_id = b.id
        WHERE b.distributor_id = $1 GROUP BY b.id ORDER BY b.id DESC LIMIT 200`,
      [distributorOf(req)],
    );
    res.json(rows);
  });

  return router;
}
