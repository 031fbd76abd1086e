import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { writeAudit } from '../access/audit.js';
import { withTransaction } from '../db/pool.js';
import { actorOf, requirePlatformWide, requireRole } from '../access/authenticate.js';
import { notFound } from '../http/errors.js';
import { idParam, param, parseOr400 } from '../http/validate.js';
import { CLAIM_COLUMNS, CLAIM_FROM, claimHistory, claimStatusFilter } from './claims.js';
import type { ClaimEventView, ClaimView, DistributorRequestView, DistributorView, HoldingView, LocationView, OfferView, PunchCardView } from './views.js';

const eligibleQuery = z.object({ offerId: z.coerce.number().int().positive(), shopId: z.string().min(1).max(200) }).strict();
const requestStatusSchema = z.object({ status: z.enum(['open', 'added', 'declined']), note: z.string().trim().max(2000).optional() }).strict();

const REQUEST_COLUMNS = `r.id::int, r.merchant_id AS "merchantId", r.offer_id::int AS "offerId", o.name AS "offerName", r.distributor_name AS "distributorName",
  r.contact, r.note, r.requested_by AS "requestedBy", r.created_at AS "createdAt", r.status, r.status_note AS "statusNote",
  r.status_changed_by AS "statusChangedBy", r.status_changed_at AS "statusChangedAt"`;

/**
 * What the console's frequent-buyer screens read beyond the setup API: the offers, a merchant's locations,
 * the distributors a location may choose for an offer, Temporary Holding, claims with their history,
 * punch cards with their sales, and the "not listed" requests with their status.
 */
export function frequentBuyerConsoleRoutes(ctx: AppContext): Router {
  const router = Router();

  /** Offers are the manufacturers', not a merchant's: any staff member reads them. */
  router.get('/frequent-buyer/offers', async (_req, res) => {
    const { rows } = await ctx.pool.query<OfferView>(
      `SELECT o.id::int, o.manufacturer, o.brand, o.name, o.purchases_required AS "purchasesRequired", o.free_item_rule AS "freeItemRule",
              to_char(o.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(o.ends_on, 'YYYY-MM-DD') AS "endsOn", o.products,
              coalesce((SELECT json_agg(json_build_object('id', d.id, 'name', d.name, 'regions', d.regions, 'requiresAccountNumber', d.requires_account_number) ORDER BY d.name)
                          FROM distributors d WHERE d.id = ANY(o.eligible_distributor_ids) AND NOT d.is_holding), '[]') AS "eligibleDistributors"
         FROM offers o ORDER BY o.starts_on DESC, o.id`,
    );
    res.json(rows);
  });

  router.get('/merchants/:id/locations', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const { rows } = await ctx.pool.query<LocationView>(`SELECT shop_id AS "shopId", name, region FROM locations WHERE merchant_id = $1 ORDER BY name, shop_id`, [merchant.id]);
    res.json(rows);
  });

  /**
   * The distributors a location may choose for an offer: eligible for the offer and serving the
   * location's region. The PUT of the enrollment decides; this only saves the retailer a refusal.
   */
  router.get('/merchants/:id/frequent-buyer/eligible-distributors', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const query = parseOr400(eligibleQuery, req.query, 'query');
    const location = (await ctx.pool.query<{ region: string }>(`SELECT region FROM locations WHERE merchant_id = $1 AND shop_id = $2`, [merchant.id, query.shopId])).rows[0];
    if (!location) throw notFound(`location '${query.shopId}' of merchant '${merchant.id}'`);
    const offer = (await ctx.pool.query(`SELECT 1 FROM offers WHERE id = $1`, [query.offerId])).rows[0];
    if (!offer) throw notFound(`offer ${query.offerId}`);
    const { rows } = await ctx.pool.query<DistributorView>(
      `SELECT d.id::int, d.name, d.regions, d.requires_account_number AS "requiresAccountNumber", d.is_holding AS "isHolding"
         FROM distributors d JOIN offers o ON d.id = ANY(o.eligible_distributor_ids)
        WHERE o.id = $1 AND NOT d.is_holding AND $2 = ANY(d.regions) ORDER BY d.name`,
      [query.offerId, location.region],
    );
    res.json({ region: location.region, distributors: rows });
  });

  router.get('/merchants/:id/frequent-buyer/holding', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const { rows } = await ctx.pool.query<HoldingView>(
      `SELECT e.offer_id::int AS "offerId", o.name AS "offerName", e.shop_id AS "shopId", l.name AS "locationName", e.holding_reason AS reason, e.updated_at AS since,
              (SELECT count(*)::int FROM claims c WHERE c.merchant_id = e.merchant_id AND c.offer_id = e.offer_id AND c.shop_id = e.shop_id AND c.status = 'held') AS "heldClaims"
         FROM enrollments e JOIN distributors d ON d.id = e.distributor_id AND d.is_holding
         JOIN offers o ON o.id = e.offer_id JOIN locations l ON l.merchant_id = e.merchant_id AND l.shop_id = e.shop_id
        WHERE e.merchant_id = $1 ORDER BY e.updated_at DESC`,
      [merchant.id],
    );
    res.json(rows);
  });

  /** Every claim of the merchant with its whole history, in two queries. */
  router.get('/merchants/:id/frequent-buyer/claims-with-history', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const statuses = claimStatusFilter(req.query.status);
    const claims = (await ctx.pool.query<ClaimView>(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND ($2::text[] IS NULL OR c.status = ANY($2)) ORDER BY c.id DESC LIMIT 500`, [merchant.id, statuses])).rows;
    const history = (await claimHistory(ctx.pool, claims.map((c) => c.id))) as ClaimEventView[];
    const byClaim = new Map<number, ClaimEventView[]>();
    for (const event of history) byClaim.set(event.claimId, [...(byClaim.get(event.claimId) ?? []), event]);
    res.json(claims.map((c) => ({ ...c, history: byClaim.get(c.id) ?? [] })));
  });

  router.get('/merchants/:id/frequent-buyer/customers/:customerId/punch-cards', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const customerId = param(req, 'customerId');
    const { rows } = await ctx.pool.query<PunchCardView>(
      `WITH p AS (SELECT offer_id, json_agg(json_build_object('saleId', sale_id, 'units', units, 'unitPrice', unit_price, 'soldAt', sold_at, 'shopId', shop_id) ORDER BY sold_at, sale_id) AS purchases,
                         sum(units) AS bought
                    FROM punches WHERE merchant_id = $1 AND customer_id = $2 AND units <> 0 GROUP BY offer_id),
            r AS (SELECT r.offer_id, json_agg(json_build_object('id', r.id, 'saleId', r.sale_id, 'status', r.status, 'reasonCode', r.reason_code, 'punchesUsed', r.punches_used,
                                                               'freeItemPrice', r.free_item_price, 'createdAt', r.created_at, 'claimStatus', c.status) ORDER BY r.id) AS redemptions,
                         sum(r.punches_used) FILTER (WHERE r.status = 'accepted') AS used
                    FROM redemptions r LEFT JOIN claims c ON c.redemption_id = r.id WHERE r.merchant_id = $1 AND r.customer_id = $2 GROUP BY r.offer_id)
       SELECT o.id::int AS "offerId", o.name AS "offerName", o.purchases_required AS "purchasesRequired",
              coalesce(p.bought, 0)::int AS bought, coalesce(r.used, 0)::int AS used, (coalesce(p.bought, 0) - coalesce(r.used, 0))::int AS available,
              coalesce(p.purchases, '[]') AS purchases, coalesce(r.redemptions, '[]') AS redemptions
         FROM offers o LEFT JOIN p ON p.offer_id = o.id LEFT JOIN r ON r.offer_id = o.id
        WHERE p.offer_id IS NOT NULL OR r.offer_id IS NOT NULL ORDER BY o.id`,
      [merchant.id, customerId],
    );
    res.json({ merchantId: merchant.id, customerId, cards: rows });
  });

  /** The retailer's own "not listed" requests, with where each stands. */
  router.get('/merchants/:id/frequent-buyer/distributor-requests', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const { rows } = await ctx.pool.query<DistributorRequestView>(`SELECT ${REQUEST_COLUMNS} FROM distributor_requests r LEFT JOIN offers o ON o.id = r.offer_id WHERE r.merchant_id = $1 ORDER BY r.id DESC`, [merchant.id]);
    res.json(rows);
  });

  /** Platform admins answer a request: the distributor was added, or will not be. */
  router.patch('/frequent-buyer/distributor-requests/:requestId', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const requestId = idParam(req, 'requestId');
    const input = parseOr400(requestStatusSchema, req.body);
    const updated = await withTransaction(ctx.pool, async (db) => {
      const before = (await db.query(`SELECT status, status_note AS "statusNote" FROM distributor_requests WHERE id = $1 FOR UPDATE`, [requestId])).rows[0];
      if (!before) throw notFound(`distributor request ${requestId}`);
      await db.query(`UPDATE distributor_requests SET status = $2, status_note = $3, status_changed_by = $4, status_changed_at = now() WHERE id = $1`, [requestId, input.status, input.note ?? null, actor.name]);
      await writeAudit(db, { actor, action: 'distributor_request.status', entity: 'distributor_request', entityId: String(requestId), before, after: { status: input.status, statusNote: input.note ?? null } });
      return (await db.query<DistributorRequestView>(`SELECT ${REQUEST_COLUMNS} FROM distributor_requests r LEFT JOIN offers o ON o.id = r.offer_id WHERE r.id = $1`, [requestId])).rows[0]!;
    });
    res.json(updated);
  });

  return router;
}
