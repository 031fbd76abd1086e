import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../access/authenticate.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import type { AppContext } from '../context.js';
import { notFound } from '../http/errors.js';
import { idParam, parseOr400 } from '../http/validate.js';
import { changeAlertByPerson, saveThresholds } from './alerts/alertActions.js';
import { thresholdsSchema } from './alerts/thresholds.js';
import { alertSettings } from './store/alertSettings.js';
import { activeAlertCounts, listAlerts } from './store/alerts.js';

export const alertListQuerySchema = z.object({ status: z.enum(['active', 'all']).default('active').describe('active: open and acknowledged') });

/** Alerts the insights detector opened: list, acknowledge, resolve; and the merchant's thresholds. */
export function insightAlertRoutes(ctx: AppContext): Router {
  const router = Router();
  const db = ctx.pool;

  router.get('/alerts', async (req, res) => {
    res.json(await activeAlertCounts(db, actorOf(req).merchantId));
  });

  router.get('/merchants/:id/alerts', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(await listAlerts(db, merchant.id, parseOr400(alertListQuerySchema, req.query, 'query').status));
  });

  for (const [action, to] of [
    ['acknowledge', 'acknowledged'],
    ['resolve', 'resolved'],
  ] as const) {
    router.post(`/merchants/:id/alerts/:alertId/${action}`, requireRole('admin', 'support'), async (req, res) => {
      const merchant = await visibleMerchant(db, req);
      const alertId = idParam(req, 'alertId');
      const alert = await changeAlertByPerson(db, merchant.id, alertId, to, actorOf(req));
      if (!alert) throw notFound(`${action === 'acknowledge' ? 'open' : 'unresolved'} alert ${alertId}`);
      res.json(alert);
    });
  }

  router.get('/merchants/:id/alert-settings', async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    res.json(await alertSettings(db, merchant.id));
  });

  router.put('/merchants/:id/alert-settings', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(db, req);
    const settings = parseOr400(thresholdsSchema, req.body ?? {});
    const saved = await saveThresholds(db, merchant.id, settings, actorOf(req));
    res.json(saved);
  });

  return router;
}
