import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { param, parseOr400 } from '../http/validate.js';
import { customerHistory, customerSales, customerSummary } from './customerActivity.js';

const historyQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const salesQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

/** What the console's Customer page reads besides the balance: name and pending points, paged history, sales. */
export function customerConsoleRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  router.get('/merchants/:id/customers/:customerId/summary', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(
      await customerSummary(db, { id: merchant.id, name: merchant.name, series: merchant.series, timezone: merchant.timezone }, param(req, 'customerId')),
    );
  });

  router.get('/merchants/:id/customers/:customerId/history', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(await customerHistory(db, merchant.id, param(req, 'customerId'), parseOr400(historyQuerySchema, req.query, 'query')));
  });

  router.get('/merchants/:id/customers/:customerId/sales', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(await customerSales(db, merchant.id, param(req, 'customerId'), parseOr400(salesQuerySchema, req.query, 'query')));
  });

  return router;
}
