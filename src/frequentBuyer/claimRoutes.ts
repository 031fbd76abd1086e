import { Router } from 'express';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { withTransaction } from '../db/pool.js';
import { writeAudit } from '../access/audit.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { idParam, param, parseOr400 } from '../http/validate.js';
import { toMinor } from '../lightspeed/money.js';
import { CLAIM_COLUMNS, CLAIM_FROM, claimHistory, claimStatusFilter, transitionClaims } from './claims.js';
import { enrollmentProblem } from './enrollment.js';
import { redeem } from './redeem.js';
import { distributorRequestSchema, redemptionSchema, resubmitSchema, settingsSchema } from './schemas.js';


/**
 * The retailer's side of frequent-buyer programs: the redemption discount, punch cards, redemptions
 * recorded by hand, credit claims (list, history, correct and resubmit a denied one), and requests for
 * a distributor that is not listed.
 */
export function frequentBuyerClaimRoutes(ctx: AppContext): Router {
  const router = Router();
  const base = '/merchants/:id/frequent-buyer';

  router.put(`${base}/settings`, requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(settingsSchema, req.body);
    await withTransaction(ctx.pool, async (db) => {
      const before = (await db.query(`SELECT redemption_discount AS "redemptionDiscount" FROM frequent_buyer_settings WHERE merchant_id = $1`, [merchant.id])).rows[0] ?? null;
      await db.query(
        `INSERT INTO frequent_buyer_settings (merchant_id, redemption_discount) VALUES ($1, $2) ON CONFLICT (merchant_id) DO UPDATE SET redemption_discount = excluded.redemption_discount`,
        [merchant.id, input.redemptionDiscount],
      );
      await writeAudit(db, { actor: actorOf(req), merchantId: merchant.id, action: 'frequent_buyer.settings', entity: 'merchant', entityId: merchant.id, before, after: input });
    });
    res.json(input);
  });

  router.get(`${base}/customers/:customerId/cards`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const { rows } = await ctx.pool.query(
      `SELECT o.id::int AS "offerId", o.name AS "offerName", o.purchases_required AS "purchasesRequired",
              coalesce(p.bought, 0)::int AS bought, coalesce(r.used, 0)::int AS used,
              (coalesce(p.bought, 0) - coalesce(r.used, 0))::int AS available,
              coalesce(p.bought, 0) - coalesce(r.used, 0) >= o.purchases_required AS complete
         FROM offers o
         LEFT JOIN (SELECT offer_id, sum(units) AS bought FROM punches WHERE merchant_id = $1 AND customer_id = $2 GROUP BY offer_id) p ON p.offer_id = o.id
         LEFT JOIN (SELECT offer_id, sum(punches_used) AS used FROM redemptions WHERE merchant_id = $1 AND customer_id = $2 AND status = 'accepted' GROUP BY offer_id) r ON r.offer_id = o.id
        WHERE p.offer_id IS NOT NULL OR r.offer_id IS NOT NULL
        ORDER BY o.id`,
      [merchant.id, param(req, 'customerId')],
    );
    res.json({ merchantId: merchant.id, customerId: param(req, 'customerId'), cards: rows });
  });

  router.post(`${base}/redemptions`, requireRole('admin', 'support'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(redemptionSchema, req.body);
    const actor = actorOf(req);
    const result = await withTransaction(ctx.pool, async (db) => {
      const offer = (await db.query(`SELECT id::int, name, purchases_required AS "purchasesRequired", free_item_rule AS "freeItemRule" FROM offers WHERE id = $1`, [input.offerId])).rows[0];
      if (!offer) throw notFound(`offer ${input.offerId}`);
      const known = (await db.query(`SELECT 1 FROM redemptions WHERE merchant_id = $1 AND source_key = $2`, [merchant.id, `api:${input.idempotencyKey}`])).rowCount;
      const record = await redeem(db, {
        merchantId: merchant.id,
        sourceKey: `api:${input.idempotencyKey}`,
        saleId: input.saleId ?? null,
        lineId: null,
        customerId: input.customerId,
        offer,
        shopId: input.shopId,
        freeItemPrice: toMinor(input.freeItemPrice),
        actor: actor.name,
      });
      // A person's redemption creates a distributor credit claim: who did it is on record (once per key).
      if (!known) await writeAudit(db, { actor, merchantId: merchant.id, action: 'redemption.create', entity: 'redemption', entityId: String((record as { id?: unknown }).id ?? input.idempotencyKey), after: { ...input } });
      return { record, repeated: !!known };
    });
    res.status(result.repeated ? 200 : 201).json(result.record);
  });

  router.get(`${base}/claims`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const statuses = claimStatusFilter(req.query.status);
    const { rows } = await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND ($2::text[] IS NULL OR c.status = ANY($2)) ORDER BY c.id`, [merchant.id, statuses]);
    res.json(rows);
  });

  router.get(`${base}/claims/:claimId`, async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const claimId = idParam(req, 'claimId');
    const claim = (await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.merchant_id = $1 AND c.id = $2`, [merchant.id, claimId])).rows[0];
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
    const actor = actorOf(req);
    const claim = await withTransaction(ctx.pool, async (db) => {
      const current = (
        await db.query<{ status: string; offerId: number; shopId: string; distributorId: number; accountNumber: string | null; denialReason: string | null }>(
          `SELECT status, offer_id::int AS "offerId", shop_id AS "shopId", distributor_id::int AS "distributorId", account_number AS "accountNumber", denial_reason AS "denialReason"
             FROM claims WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
          [merchant.id, claimId],
        )
      ).rows[0];
      if (!current) throw notFound(`claim ${claimId}`);
      if (current.status !== 'denied') throw new AppError(409, 'CLAIM_NOT_DENIED', `claim ${claimId} is ${current.status}; only a denied claim is resubmitted`);
      const enrollment = (await db.query<{ distributorId: number; accountNumber: string | null }>(
        `SELECT distributor_id::int AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3`,
        [merchant.id, current.offerId, current.shopId],
      )).rows[0];
      const distributorId = input.distributorId ?? enrollment?.distributorId ?? current.distributorId;
      const accountNumber = input.accountNumber ?? (input.distributorId === undefined ? enrollment?.accountNumber : undefined) ?? undefined;
      const distributor = (await db.query(`SELECT id::int, name, regions, requires_account_number AS "requiresAccountNumber", is_holding AS "isHolding" FROM distributors WHERE id = $1`, [distributorId])).rows[0] ?? null;
      const offer = (await db.query(`SELECT name, eligible_distributor_ids::int[] AS "eligibleDistributorIds" FROM offers WHERE id = $1`, [current.offerId])).rows[0];
      const location = (await db.query(`SELECT region FROM locations WHERE merchant_id = $1 AND shop_id = $2`, [merchant.id, current.shopId])).rows[0];
      const problem = distributor?.isHolding
        ? `the enrollment of location ${current.shopId} is in Temporary Holding: choose a distributor`
        : enrollmentProblem({ distributor, offer, location: { shopId: current.shopId, region: location?.region ?? '' }, accountNumber });
      if (problem) throw new AppError(422, 'CLAIM_NOT_CORRECTED', problem);
      const accountDenied = current.denialReason === 'incorrect_account_number' || current.denialReason === 'missing_account_number';
      if (accountDenied && distributorId === current.distributorId && (accountNumber ?? null) === current.accountNumber) {
        throw new AppError(422, 'CLAIM_NOT_CORRECTED', `claim ${claimId} was denied for its account number (${current.denialReason}); give a corrected one, or correct the enrollment first`);
      }
      const before = { distributorId: current.distributorId, accountNumber: current.accountNumber };
      const after = { distributorId, accountNumber: accountNumber ?? null };
      await transitionClaims(db, [claimId], ['denied'], {
        actor: actor.name,
        to: 'resubmitted',
        note: input.note ?? null,
        details: { before, after },
        set: 'distributor_id = $7, account_number = $8, denial_reason = NULL, denial_note = NULL, batch_id = NULL',
        params: [distributorId, accountNumber ?? null],
      });
      await writeAudit(db, { actor, merchantId: merchant.id, action: 'claim.resubmit', entity: 'claim', entityId: String(claimId), before, after });
      return (await db.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.id = $1`, [claimId])).rows[0];
    });
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  router.post(`${base}/distributor-requests`, requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const input = parseOr400(distributorRequestSchema, req.body);
    const actor = actorOf(req);
    const rows = await withTransaction(ctx.pool, async (db) => {
      const inserted = await db.query(
      `INSERT INTO distributor_requests (merchant_id, offer_id, distributor_name, contact, note, requested_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id::int, merchant_id AS "merchantId", offer_id::int AS "offerId", distributor_name AS "distributorName", contact, note, requested_by AS "requestedBy", created_at AS "createdAt"`,
      [merchant.id, input.offerId ?? null, input.distributorName, input.contact, input.note ?? null, actor.name],
      );
      await writeAudit(db, { actor, merchantId: merchant.id, action: 'distributor_request.create', entity: 'distributor_request', entityId: String(inserted.rows[0].id), after: inserted.rows[0] });
      return inserted.rows;
    });
    ctx.logger.info({ merchantId: merchant.id, requestId: rows[0].id }, 'distributor requested');
    res.status(201).json(rows[0]);
  });

  return router;
}
