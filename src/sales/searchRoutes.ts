import { Router } from 'express';
import type { AppContext } from '../context.js';
import { search } from './store/search.js';
import { searchQuerySchema } from '../contract/search.js';
import { actorOf, assertMerchantVisible } from '../access/authenticate.js';
import { parseOr400 } from '../http/validate.js';

export { searchQuerySchema };

/** The console's Find page: sales and customers by Sale ID, receipt, email, phone or name; any staff person, within their scope. */
export function searchRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const actor = actorOf(req);
    const query = parseOr400(searchQuerySchema, req.query, 'query');
    if (query.merchantId) assertMerchantVisible(actor, query.merchantId);
    res.json(await search(ctx.pool, query.q, actor.merchantId ?? query.merchantId ?? null));
  });

  return router;
}
