import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { visibleMerchant } from '../../access/visibleMerchant.js';
import { writeAudit } from '../../access/audit.js';
import { withTransaction } from '../../db/pool.js';
import { actorOf, requirePlatformWide, requireRole } from '../../access/authenticate.js';
import { notFound } from '../../http/errors.js';
import { idParam, param, parseOr400 } from '../../http/validate.js';
import { claimHistory, claimStatusFilter } from '../claims.js';
import { getLocation } from '../store/locations.js';
import {
  getDistributorRequest,
  listEligibleDistributors,
  listHolding,
  listLocations,
  listMerchantDistributorRequests,
  listOffersWithDistributors,
  listPunchCardDetails,
  listRecentMerchantClaims,
  lockDistributorRequestStatus,
  offerExists,
  setDistributorRequestStatus,
} from '../store/consoleViews.js';
import type { ClaimEventView } from '../views.js';

const eligibleQuery = z.object({ offerId: z.coerce.number().int().positive(), shopId: z.string().min(1).max(200) }).strict();
export const requestStatusSchema = z.object({ status: z.enum(['open', 'added', 'declined']), note: z.string().trim().max(2000).optional() }).strict();

/** How many claims the claims page lists at once (newest first). */
const CLAIMS_PAGE = 500;

/**
 * What the console's frequent-buyer screens read beyond the setup API: the offers, a merchant's locations,
 * the distributors a location may choose for an offer, Temporary Holding, claims with their history,
 * punch cards with their sales, and the "not listed" requests with their status.
 */
export function frequentBuyerConsoleRoutes(ctx: AppContext): Router {
  const router = Router();

  /** Offers are the manufacturers', not a merchant's: any staff member reads them. */
  router.get('/frequent-buyer/offers', async (_req, res) => {
    res.json(await listOffersWithDistributors(ctx.pool));
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

  router.get('/merchants/:id/frequent-buyer/holding', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await listHolding(ctx.pool, merchant.id));
  });

  /** The merchant's claims with their whole history, in two queries. */
  router.get('/merchants/:id/frequent-buyer/claims-with-history', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const claims = await listRecentMerchantClaims(ctx.pool, merchant.id, claimStatusFilter(req.query.status), CLAIMS_PAGE);
    const history = (await claimHistory(
      ctx.pool,
      claims.map((c) => c.id),
    )) as ClaimEventView[];
    const byClaim = new Map<number, ClaimEventView[]>();
    for (const event of history) byClaim.set(event.claimId, [...(byClaim.get(event.claimId) ?? []), event]);
    res.json(claims.map((c) => ({ ...c, history: byClaim.get(c.id) ?? [] })));
  });

  router.get('/merchants/:id/frequent-buyer/customers/:customerId/punch-cards', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const customerId = param(req, 'customerId');
    res.json({ merchantId: merchant.id, customerId, cards: await listPunchCardDetails(ctx.pool, merchant.id, customerId) });
  });

  /** The retailer's own "not listed" requests, with where each stands. */
  router.get('/merchants/:id/frequent-buyer/distributor-requests', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await listMerchantDistributorRequests(ctx.pool, merchant.id));
  });

  /** Platform admins answer a request: the distributor was added, or will not be (audited). */
  router.patch('/frequent-buyer/distributor-requests/:requestId', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const requestId = idParam(req, 'requestId');
    const input = parseOr400(requestStatusSchema, req.body);
    const updated = await withTransaction(ctx.pool, async (db) => {
      const before = await lockDistributorRequestStatus(db, requestId);
      if (!before) throw notFound(`distributor request ${requestId}`);
      await setDistributorRequestStatus(db, requestId, { status: input.status, note: input.note ?? null, by: actor.name });
      await writeAudit(db, {
        actor,
        action: 'distributor_request.status',
        entity: 'distributor_request',
        entityId: String(requestId),
        before,
        after: { status: input.status, statusNote: input.note ?? null },
      });
      return (await getDistributorRequest(db, requestId))!;
    });
    res.json(updated);
  });

  return router;
}
