import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { visibleMerchant } from '../../access/visibleMerchant.js';
import { actorOf, requireRole } from '../../access/authenticate.js';
import { notFound } from '../../http/errors.js';
import { idParam, param, parseOr400 } from '../../http/validate.js';
import { claimStatusFilter } from '../claims.js';
import { listHolding, listMerchantDistributorRequests, listPunchCardDetails, listRecentMerchantClaims } from '../store/consoleViews.js';
import type { ClaimEventView } from '../views.js';
import { recordRedemption, requestDistributor, resubmitClaim, saveSettings } from './retailerClaims.js';
import { claimHistory, getMerchantClaim, listMerchantClaims } from '../store/claims.js';
import { listPunchCards } from '../store/punchCards.js';
import { distributorRequestSchema, redemptionSchema, resubmitSchema, settingsSchema } from '../schemas.js';

/** How many claims the claims page lists at once (newest first). */
const CLAIMS_PAGE = 500;

/**
 * The retailer's side of frequent-buyer programs: the redemption discount, punch cards, redemptions
 * recorded by hand, credit claims (list, history, correct and resubmit a denied one), and requests for
 * a distributor that is not listed; and what the retailer's screens read (Temporary Holding, claims
 * with their history, punch cards with their sales, their requests with where each stands).
 */
export function frequentBuyerClaimRoutes(ctx: AppContext): Router {
  const router = Router();
  const base = '/merchants/:id/frequent-buyer';

  router.put(`${base}/settings`, requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(settingsSchema, req.body);
    await saveSettings(ctx.pool, actorOf(req), merchant.id, input);
    res.json(input);
  });

  router.get(`${base}/customers/:customerId/cards`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const customerId = param(req, 'customerId');
    res.json({ merchantId: merchant.id, customerId, cards: await listPunchCards(ctx.pool, merchant.id, customerId) });
  });

  router.post(`${base}/redemptions`, requireRole('admin', 'support'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(redemptionSchema, req.body);
    const result = await recordRedemption(ctx.pool, actorOf(req), merchant.id, input);
    res.status(result.repeated ? 200 : 201).json(result.record);
  });

  router.get(`${base}/claims`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await listMerchantClaims(ctx.pool, merchant.id, claimStatusFilter(req.query.status)));
  });

  router.get(`${base}/claims/:claimId`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const claimId = idParam(req, 'claimId');
    const claim = await getMerchantClaim(ctx.pool, merchant.id, claimId);
    if (!claim) throw notFound(`claim ${claimId}`);
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  /**
   * A denied claim, corrected and sent again. The distributor and account number default to the
   * enrollment's current ones (fix the enrollment, then resubmit), or are given here; either way they
   * pass the enrollment checks. A denial for the account number needs a different one.
   */
  router.post(`${base}/claims/:claimId/resubmit`, requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const claimId = idParam(req, 'claimId');
    const input = parseOr400(resubmitSchema, req.body);
    const claim = await resubmitClaim(ctx.pool, actorOf(req), merchant.id, claimId, input);
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  router.post(`${base}/distributor-requests`, requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(distributorRequestSchema, req.body);
    const created = await requestDistributor(ctx.pool, actorOf(req), merchant.id, input);
    ctx.logger.info({ merchantId: merchant.id, requestId: created.id }, 'distributor requested');
    res.status(201).json(created);
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

  return router;
}
