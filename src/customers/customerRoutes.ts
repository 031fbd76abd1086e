import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { notFound } from '../http/errors.js';
import { param, parseOr400 } from '../http/validate.js';
import { adjustmentSchema } from '../contract/customer.js';
import { adjustPoints } from './adjustPoints.js';
import { customerHistory, customerSales, customerSummary, customerView } from './store/customerActivity.js';

export { adjustmentSchema };

const historyQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const salesQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

/** A merchant's customer: balance and entries, name and pending points, paged history, sales, and manual adjustments. */
export function customerRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  router.get('/merchants/:id/customers/:customerId', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const view = await customerView(db, merchant.id, param(req, 'customerId'));
    if (!view) throw notFound(`customer '${param(req, 'customerId')}' of merchant '${merchant.id}'`);
    res.json(view);
  });

  router.post('/merchants/:id/customers/:customerId/adjustments', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const customerId = param(req, 'customerId');
    const written = await adjustPoints(db, actorOf(req), merchant.id, customerId, parseOr400(adjustmentSchema, req.body));
    res.status(written ? 201 : 200).json(await customerView(db, merchant.id, customerId));
  });

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
