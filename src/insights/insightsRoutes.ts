import { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../access/authenticate.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import type { AppContext } from '../context.js';
import { parseOr400 } from '../http/validate.js';
import { causes } from './cause.js';
import { periodOf, periodQuerySchema } from './period.js';
import { activeAlertCounts } from './store/alerts.js';
import { attachRows, causeRows, insightSales, intakeRows, overviewRows, pointsRows, withheldRows } from './store/figures.js';
import { exemptionNames, placeNames } from './store/names.js';
import { exemptionKindSchema, type WithheldAnswer } from './withheldAnswer.js';
import {
  attachView,
  bucketsOf,
  earningView,
  intakeView,
  overviewView,
  pointsView,
  saleListView,
  withheldView,
  type InsightSalesBody,
  type InsightsBody,
  type InsightsOverviewBody,
} from './views.js';

const causeList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(causes)).min(1));

export const insightSalesQuerySchema = periodQuerySchema.extend({
  cause: causeList.optional().describe('comma-separated causes (CREDITED, NO_CUSTOMER, ...)'),
  outletId: z.string().max(200).optional(),
  registerId: z.string().max(200).optional(),
  cashierId: z.string().max(200).optional(),
  source: z.enum(['webhook', 'poll', 'backfill', 'unknown']).optional().describe('how the service first learned of the sale'),
  withCustomer: z.enum(['true', 'false']).optional(),
  exemptKind: exemptionKindSchema.optional().describe('with exemptId: only the sales this product or category exemption withheld points from'),
  exemptId: z.string().max(200).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The Insights page's figures and the sales behind each of them; every figure reads the rollups only. */
export function insightsRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  // Platform staff see every merchant; a merchant's people see their own (the same scope as the merchant list).
  router.get('/insights/overview', async (req, res) => {
    const q = parseOr400(periodQuerySchema, req.query, 'query');
    const scope = actorOf(req).merchantId;
    // A from–to window is checked as the page's is (the time zone does not matter for an explicit window).
    const window = q.from || q.to ? periodOf(q, 'UTC', new Date()) : null;
    const days = Number(q.period ?? '30');
    const [rows, alerts] = await Promise.all([
      overviewRows(db, window ? { from: window.from, to: window.to } : { days }, new Date(), scope),
      activeAlertCounts(db, scope),
    ]);
    const body: InsightsOverviewBody = {
      period: window ? { days: null, from: window.from, to: window.to } : { days, from: null, to: null },
      merchants: overviewView(rows, alerts),
    };
    res.json(body);
  });

  router.get('/merchants/:id/insights', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const period = periodOf(parseOr400(periodQuerySchema, req.query, 'query'), merchant.timezone, new Date());
    const buckets = bucketsOf(period);
    const [byCause, attach, points, intake] = await Promise.all([
      causeRows(db, merchant.id, period),
      attachRows(db, merchant.id, period),
      pointsRows(db, merchant.id, period),
      intakeRows(db, merchant.id, period),
    ]);
    const idsOf = (dimension: string) => attach.filter((r) => r.dimension === dimension).map((r) => r.id);
    const names = await placeNames(db, merchant.id, { outlet: idsOf('outlet'), register: idsOf('register'), cashier: idsOf('cashier') });
    const body: InsightsBody = {
      merchantId: merchant.id,
      timezone: merchant.timezone,
      period,
      ...earningView(buckets, byCause),
      attach: attachView(attach, names),
      points: pointsView(buckets, points.rows, points.opening),
      intake: intakeView(buckets, intake),
    };
    res.json(body);
  });

  router.get('/merchants/:id/insights/sales', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const q = parseOr400(insightSalesQuerySchema, req.query, 'query');
    const period = periodOf(q, merchant.timezone, new Date());
    const rows = await insightSales(db, merchant.id, {
      from: period.from,
      to: period.to,
      causes: q.cause,
      outletId: q.outletId,
      registerId: q.registerId,
      cashierId: q.cashierId,
      source: q.source,
      withCustomer: q.withCustomer === undefined ? undefined : q.withCustomer === 'true',
      exemption: q.exemptKind && q.exemptId ? { kind: q.exemptKind, id: q.exemptId } : undefined,
      offset: q.offset,
      limit: q.limit,
    });
    const names = await placeNames(db, merchant.id, {
      outlet: [...rows.map((r) => r.outlet_id), ...(q.outletId ? [q.outletId] : [])],
      register: [...rows.map((r) => r.register_id), ...(q.registerId ? [q.registerId] : [])],
      cashier: [...rows.map((r) => r.cashier_id), ...(q.cashierId ? [q.cashierId] : [])],
    });
    const exemptName =
      q.exemptKind && q.exemptId
        ? ((await exemptionNames(db, merchant.id, { product: [], category: [], [q.exemptKind]: [q.exemptId] }))[q.exemptKind][q.exemptId] ?? null)
        : null;
    const body: InsightSalesBody = { merchantId: merchant.id, period, ...saleListView(rows, q.limit, names), exemptionName: exemptName };
    res.json(body);
  });

  // Figure 5: what the product and category exemptions kept from customers, from the exemption rollup.
  router.get('/merchants/:id/insights/withheld', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const period = periodOf(parseOr400(periodQuerySchema, req.query, 'query'), merchant.timezone, new Date());
    const rows = await withheldRows(db, merchant.id, period);
    const idsOf = (kind: 'product' | 'category') => [...new Set(rows.filter((r) => r.kind === kind).map((r) => r.exempt_id))];
    const names = await exemptionNames(db, merchant.id, { product: idsOf('product'), category: idsOf('category') });
    const body: WithheldAnswer = { merchantId: merchant.id, timezone: merchant.timezone, period, ...withheldView(bucketsOf(period), rows, names) };
    res.json(body);
  });

  return router;
}
