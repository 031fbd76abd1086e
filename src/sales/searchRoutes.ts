import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { search } from './store/search.js';
import { actorOf, assertMerchantVisible } from '../access/authenticate.js';
import { parseOr400 } from '../http/validate.js';

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type a Sale ID, a receipt number, an email, a phone number or a name').max(200),
  merchantId: z.string().min(1).max(64).optional(),
});

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
