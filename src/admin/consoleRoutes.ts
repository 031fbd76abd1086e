import { Router } from 'express';
import type { AppContext } from '../context.js';
import { searchQuerySchema } from '../contract/search.js';
import { merchantsWithHealth, search } from '../console/search.js';
import { actorOf, assertMerchantVisible } from '../access/authenticate.js';
import { parseOr400 } from '../http/validate.js';

export { searchQuerySchema };

/** What the console's Find page and merchant list read: any staff person, within their scope. */
export function consoleRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const actor = actorOf(req);
    const query = parseOr400(searchQuerySchema, req.query, 'query');
    if (query.merchantId) assertMerchantVisible(actor, query.merchantId);
    res.json(await search(ctx.pool, query.q, actor.merchantId ?? query.merchantId ?? null));
  });

  router.get('/merchants', async (req, res) => {
    res.json(await merchantsWithHealth(ctx.pool, actorOf(req).merchantId));
  });

  return router;
}
