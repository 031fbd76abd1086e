import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { visibleMerchant } from '../../access/visibleMerchant.js';
import { actorOf, requirePlatformWide, requireRole } from '../../access/authenticate.js';
import { idParam, param, parseOr400 } from '../../http/validate.js';
import { createDistributor, createOffer, setEnrollment, setLocation } from './setup.js';
import { listDistributorRequests } from '../store/distributorRequests.js';
import { listDistributors } from '../store/distributors.js';
import { listMerchantEnrollments } from '../store/enrollments.js';
import { distributorSchema, enrollmentSchema, locationSchema, offerSchema } from '../schemas.js';

/**
 * Frequent-buyer setup: distributors and offers (platform admins), locations and enrollments per
 * merchant (admins of that merchant or of the platform). Every change is audited, old → new.
 */
export function frequentBuyerSetupRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/frequent-buyer/distributors', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const input = parseOr400(distributorSchema, req.body);
    res.status(201).json(await createDistributor(ctx.pool, actor, input));
  });

  router.get('/frequent-buyer/distributors', async (_req, res) => {
    res.json(await listDistributors(ctx.pool));
  });

  router.post('/frequent-buyer/offers', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const offer = parseOr400(offerSchema, req.body);
    res.status(201).json(await createOffer(ctx.pool, actor, offer));
  });

  router.get('/frequent-buyer/distributor-requests', requireRole('admin'), async (req, res) => {
    requirePlatformWide(actorOf(req));
    res.json(await listDistributorRequests(ctx.pool));
  });

  router.put('/merchants/:id/locations/:shopId', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const shopId = param(req, 'shopId');
    const input = parseOr400(locationSchema, req.body);
    await setLocation(ctx.pool, actorOf(req), { merchantId: merchant.id, shopId }, input);
    res.json({ merchantId: merchant.id, shopId, ...input });
  });

  router.put('/merchants/:id/frequent-buyer/enrollments/:offerId/:shopId', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const shopId = param(req, 'shopId');
    const offerId = idParam(req, 'offerId');
    const input = parseOr400(enrollmentSchema, req.body);
    const result = await setEnrollment(ctx.pool, actorOf(req), { merchantId: merchant.id, offerId, shopId }, input);
    res.json({ merchantId: merchant.id, offerId, shopId, ...result });
  });

  /** Every location × offer, with the distributor and account number, filterable by location. */
  router.get('/merchants/:id/frequent-buyer/enrollments', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const shopId = typeof req.query.shopId === 'string' ? req.query.shopId : null;
    res.json(await listMerchantEnrollments(ctx.pool, merchant.id, shopId));
  });

  return router;
}
