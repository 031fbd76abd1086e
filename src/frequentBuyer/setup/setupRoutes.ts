import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { visibleMerchant } from '../../access/visibleMerchant.js';
import { actorOf, requirePlatformWide, requireRole } from '../../access/authenticate.js';
import { notFound } from '../../http/errors.js';
import { idParam, param, parseOr400 } from '../../http/validate.js';
import { answerDistributorRequest, createDistributor, createOffer, setEnrollment, setLocation } from './setup.js';
import { getLocation } from '../store/locations.js';
import { listEligibleDistributors, listLocations, listOffersWithDistributors, offerExists } from '../store/consoleViews.js';
import { listDistributorRequests } from '../store/distributorRequests.js';
import { listDistributors } from '../store/distributors.js';
import { listMerchantEnrollments } from '../store/enrollments.js';
import { z } from 'zod';
import { distributorSchema, enrollmentSchema, locationSchema, offerSchema, requestStatusSchema } from '../schemas.js';

const eligibleQuery = z.object({ offerId: z.coerce.number().int().positive(), shopId: z.string().min(1).max(200) }).strict();

/**
 * Frequent-buyer setup: distributors and offers (platform admins, who also answer "not listed"
 * requests), locations and enrollments per merchant (admins of that merchant or of the platform), and
 * what the setup screens read (offers, locations, the distributors a location may choose). Every change
 * is audited, old → new.
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

  /** Offers are the manufacturers', not a merchant's: any staff member reads them. */
  router.get('/frequent-buyer/offers', async (_req, res) => {
    res.json(await listOffersWithDistributors(ctx.pool));
  });

  /** Platform admins answer a request: the distributor was added, or will not be (audited). */
  router.patch('/frequent-buyer/distributor-requests/:requestId', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const requestId = idParam(req, 'requestId');
    const input = parseOr400(requestStatusSchema, req.body);
    res.json(await answerDistributorRequest(ctx.pool, actor, requestId, input));
  });

  router.get('/merchants/:id/locations', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await listLocations(ctx.pool, merchant.id));
  });

  /**
   * The distributors a location may choose for an offer: eligible for the offer and serving the
   * location's region. The PUT of the enrollment decides; this only saves the retailer a refusal.
   */
  router.get('/merchants/:id/frequent-buyer/eligible-distributors', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const query = parseOr400(eligibleQuery, req.query, 'query');
    const location = await getLocation(ctx.pool, { merchantId: merchant.id, shopId: query.shopId });
    if (!location) throw notFound(`location '${query.shopId}' of merchant '${merchant.id}'`);
    if (!(await offerExists(ctx.pool, query.offerId))) throw notFound(`offer ${query.offerId}`);
    res.json({ region: location.region, distributors: await listEligibleDistributors(ctx.pool, query.offerId, location.region) });
  });

  return router;
}
