import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { merchantsWithHealth, search } from './search.js';
import { actorOf, assertMerchantVisible } from '../access/authenticate.js';
import { parseOr400 } from '../http/validate.js';

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type a Sale ID, a receipt number, an email, a phone number or a name').max(200),
  merchantId: z.string().min(1).max(64).optional(),
});

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
