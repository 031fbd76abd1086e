import { Router } from 'express';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { withTransaction } from '../db/pool.js';
import { writeAudit } from '../access/audit.js';
import { actorOf, requirePlatformWide, requireRole } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { idParam, param, parseOr400 } from '../http/validate.js';
import { transitionClaims } from './claims.js';
import { enrollmentProblem } from './enrollment.js';
import { distributorSchema, enrollmentSchema, locationSchema, offerSchema } from './schemas.js';

interface DistributorRow {
  id: number;
  name: string;
  regions: string[];
  requiresAccountNumber: boolean;
  isHolding: boolean;
}

const DISTRIBUTOR_COLUMNS = `id, name, regions, requires_account_number AS "requiresAccountNumber", is_holding AS "isHolding"`;

/**
 * Frequent-buyer setup: distributors and offers (platform admins), locations and enrollments per
 * merchant (admins of that merchant or of the platform). Every change is audited, old → new.
 */
export function frequentBuyerRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/frequent-buyer/distributors', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const input = parseOr400(distributorSchema, req.body);
    const created = await withTransaction(ctx.pool, async (db) => {
      const { rows } = await db.query<DistributorRow>(
        `INSERT INTO distributors (name, regions, requires_account_number) VALUES ($1, $2, $3) RETURNING ${DISTRIBUTOR_COLUMNS}`,
        [input.name, input.regions, input.requiresAccountNumber],
      );
      await writeAudit(db, { actor, action: 'distributor.create', entity: 'distributor', entityId: String(rows[0]!.id), after: rows[0] });
      return rows[0]!;
    });
    res.status(201).json(created);
  });

  router.get('/frequent-buyer/distributors', async (_req, res) => {
    res.json((await ctx.pool.query(`SELECT ${DISTRIBUTOR_COLUMNS} FROM distributors ORDER BY id`)).rows);
  });

  router.post('/frequent-buyer/offers', requireRole('admin'), async (req, res) => {
    const actor = actorOf(req);
    requirePlatformWide(actor);
    const o = parseOr400(offerSchema, req.body);
    const created = await withTransaction(ctx.pool, async (db) => {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO offers (manufacturer, brand, name, purchases_required, free_item_rule, starts_on, ends_on, products, eligible_distributor_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [o.manufacturer, o.brand, o.name, o.purchasesRequired, o.freeItemRule, o.startsOn, o.endsOn ?? null, JSON.stringify(o.products), o.eligibleDistributorIds],
      );
      await writeAudit(db, { actor, action: 'offer.create', entity: 'offer', entityId: String(rows[0]!.id), after: o });
      return { id: rows[0]!.id, ...o };
    });
    res.status(201).json(created);
  });


  router.get('/frequent-buyer/distributor-requests', requireRole('admin'), async (req, res) => {
    requirePlatformWide(actorOf(req));
    const { rows } = await ctx.pool.query(
      `SELECT r.id::int, r.merchant_id AS "merchantId", r.offer_id::int AS "offerId", o.name AS "offerName", r.distributor_name AS "distributorName",
              r.contact, r.note, r.requested_by AS "requestedBy", r.created_at AS "createdAt"
         FROM distributor_requests r LEFT JOIN offers o ON o.id = r.offer_id ORDER BY r.id DESC`,
    );
    res.json(rows);
  });

  router.put('/merchants/:id/locations/:shopId', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const shopId = param(req, 'shopId');
    const input = parseOr400(locationSchema, req.body);
    await withTransaction(ctx.pool, async (db) => {
      const before = (await db.query(`SELECT name, region FROM locations WHERE merchant_id = $1 AND shop_id = $2`, [merchant.id, shopId])).rows[0];
      await db.query(
        `INSERT INTO locations (merchant_id, shop_id, name, region) VALUES ($1, $2, $3, $4)
         ON CONFLICT (merchant_id, shop_id) DO UPDATE SET name = excluded.name, region = excluded.region`,
        [merchant.id, shopId, input.name, input.region],
      );
      await writeAudit(db, { actor, merchantId: merchant.id, action: 'location.upsert', entity: 'location', entityId: shopId, before, after: input });
    });
    res.json({ merchantId: merchant.id, shopId, ...input });
  });

  router.put('/merchants/:id/frequent-buyer/enrollments/:offerId/:shopId', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const shopId = param(req, 'shopId');
    const offerId = idParam(req, 'offerId');
    const input = parseOr400(enrollmentSchema, req.body);
    const result = await withTransaction(ctx.pool, async (db) => {
      const offer = (await db.query<{ name: string; eligibleDistributorIds: number[] }>(`SELECT name, eligible_distributor_ids::int[] AS "eligibleDistributorIds" FROM offers WHERE id = $1`, [offerId])).rows[0];
      if (!offer) throw notFound(`offer ${offerId}`);
      const location = (await db.query<{ region: string }>(`SELECT region FROM locations WHERE merchant_id = $1 AND shop_id = $2`, [merchant.id, shopId])).rows[0];
      if (!location) throw notFound(`location '${shopId}' of merchant '${merchant.id}'`);
      const distributor = (await db.query<DistributorRow>(`SELECT ${DISTRIBUTOR_COLUMNS} FROM distributors WHERE id = $1`, [input.distributorId])).rows[0] ?? null;
      const problem = enrollmentProblem({ distributor, offer, location: { shopId, region: location.region }, accountNumber: input.accountNumber });
      if (problem) throw new AppError(422, 'ENROLLMENT_INVALID', problem);
      const before = (await db.query(`SELECT distributor_id AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 FOR UPDATE`, [merchant.id, offerId, shopId])).rows[0];
      await db.query(
        `INSERT INTO enrollments (merchant_id, offer_id, shop_id, distributor_id, account_number) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (merchant_id, offer_id, shop_id) DO UPDATE SET distributor_id = excluded.distributor_id, account_number = excluded.account_number, holding_reason = NULL, updated_at = now()`,
        [merchant.id, offerId, shopId, input.distributorId, input.accountNumber ?? null],
      );
      const after = { distributorId: input.distributorId, accountNumber: input.accountNumber ?? null };
      await writeAudit(db, { actor, merchantId: merchant.id, action: 'enrollment.set', entity: 'enrollment', entityId: `${offerId}/${shopId}`, before: before ?? null, after });
      // Claims that waited in Temporary Holding go to the distributor just chosen.
      const held = await db.query<{ id: number }>(`SELECT id::int FROM claims WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 AND status = 'held'`, [merchant.id, offerId, shopId]);
      const released = await transitionClaims(db, held.rows.map((r) => r.id), ['held'], {
        actor: actor.name,
        to: 'new',
        note: 'distributor chosen for the enrollment',
        details: after,
        set: 'distributor_id = $7, account_number = $8',
        params: [after.distributorId, after.accountNumber],
      });
      return { ...after, releasedClaims: released };
    });
    res.json({ merchantId: merchant.id, offerId, shopId, ...result });
  });

  /** Every location × offer, with the distributor and account number, filterable by location. */
  router.get('/merchants/:id/frequent-buyer/enrollments', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const shopId = typeof req.query.shopId === 'string' ? req.query.shopId : null;
    const { rows } = await ctx.pool.query(
      `SELECT l.shop_id AS "shopId", l.name AS "locationName", l.region, o.id AS "offerId", o.name AS "offerName",
              d.id AS "distributorId", d.name AS "distributorName", e.account_number AS "accountNumber",
              coalesce(d.is_holding, false) AS "inHolding", e.holding_reason AS "holdingReason"
         FROM locations l CROSS JOIN offers o
         LEFT JOIN enrollments e ON e.merchant_id = l.merchant_id AND e.shop_id = l.shop_id AND e.offer_id = o.id
         LEFT JOIN distributors d ON d.id = e.distributor_id
        WHERE l.merchant_id = $1 AND ($2::text IS NULL OR l.shop_id = $2)
        ORDER BY l.shop_id, o.id`,
      [merchant.id, shopId],
    );
    res.json(rows);
  });

  return router;
}
