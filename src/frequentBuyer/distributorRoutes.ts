import { authThrottleFor } from '../access/authThrottle.js';
import { stringify } from 'csv-stringify/sync';
import { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { withTransaction, type Db } from '../db/pool.js';
import { writeAudit } from '../access/audit.js';
import { actorOf, authenticate } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { idParam, param, parseOr400 } from '../http/validate.js';
import { CLAIM_COLUMNS, CLAIM_FROM, claimHistory, claimStatusFilter, OPEN_FOR_DISTRIBUTOR, transitionClaims } from './claims.js';
import { batchSchema, creditSchema, denySchema, holdingSchema } from './schemas.js';

/** The distributor a request acts for: its token's, never one named in the request. */
const distributorOf = (req: Request): number => actorOf(req).distributorId!;

async function ownBatch(db: Db, req: Request) {
  const batchId = idParam(req, 'batchId');
  const batch = (
    await db.query(`SELECT id::int, created_by AS "createdBy", created_at AS "createdAt", credit_reference AS "creditReference", credited_at AS "creditedAt" FROM claim_batches WHERE id = $1 AND distributor_id = $2`, [
      batchId,
      distributorOf(req),
    ])
  ).rows[0];
  // Another distributor's batch answers as if it did not exist.
  if (!batch) throw notFound(`batch ${batchId}`);
  return batch;
}

/**
 * /distributor/api: for tokens of role `distributor`, each scoped to one distributor, which sees only
 * the claims addressed to it. List new and resubmitted claims, deny one (with a reason), batch them,
 * mark a batch credited, export a batch as CSV, and move an enrollment it does not serve to Temporary
 * Holding.
 */
export function distributorRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(authenticate({ db: ctx.pool, throttle: authThrottleFor(ctx), publicUrl: ctx.config.PUBLIC_URL }, 'distributor'));

  router.get('/claims', async (req, res) => {
    const statuses = claimStatusFilter(req.query.status) ?? OPEN_FOR_DISTRIBUTOR;
    const { rows } = await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.distributor_id = $1 AND c.status = ANY($2) ORDER BY c.id`, [distributorOf(req), statuses]);
    res.json(rows);
  });

  router.get('/claims/:claimId', async (req, res) => {
    const claimId = idParam(req, 'claimId');
    const claim = (await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.id = $1 AND c.distributor_id = $2`, [claimId, distributorOf(req)])).rows[0];
    if (!claim) throw notFound(`claim ${claimId}`);
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  router.post('/claims/:claimId/deny', async (req, res) => {
    const claimId = idParam(req, 'claimId');
    const input = parseOr400(denySchema, req.body);
    const actor = actorOf(req);
    const moved = await withTransaction(ctx.pool, async (db) => {
      const claim = (await db.query<{ status: string }>(`SELECT status FROM claims WHERE id = $1 AND distributor_id = $2`, [claimId, distributorOf(req)])).rows[0];
      if (!claim) throw notFound(`claim ${claimId}`);
      const ids = await transitionClaims(db, [claimId], ['new', 'resubmitted', 'batched'], {
        actor: actor.name,
        to: 'denied',
        note: input.note ?? null,
        details: { reason: input.reason },
        set: 'denial_reason = $7, denial_note = $8',
        params: [input.reason, input.note ?? null],
      });
      if (!ids.length) throw new AppError(409, 'CLAIM_NOT_OPEN', `claim ${claimId} is ${claim.status}; only a new, resubmitted or batched claim can be denied`);
      return ids;
    });
    ctx.logger.info({ distributorId: distributorOf(req), claimId: moved[0], reason: input.reason }, 'claim denied');
    const claim = (await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.id = $1`, [claimId])).rows[0];
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  /** A batch of the given claims, or of every new and resubmitted one. */
  router.post('/batches', async (req, res) => {
    const input = parseOr400(batchSchema, req.body ?? {});
    const actor = actorOf(req);
    const distributorId = distributorOf(req);
    const batch = await withTransaction(ctx.pool, async (db) => {
      const candidates = await db.query<{ id: number }>(
        `SELECT id::int FROM claims WHERE distributor_id = $1 AND status = ANY($2) AND ($3::bigint[] IS NULL OR id = ANY($3)) ORDER BY id`,
        [distributorId, OPEN_FOR_DISTRIBUTOR, input.claimIds ?? null],
      );
      if (input.claimIds && candidates.rows.length !== new Set(input.claimIds).size) {
        const found = new Set(candidates.rows.map((r) => r.id));
        throw new AppError(422, 'CLAIMS_NOT_BATCHABLE', `claims ${input.claimIds.filter((id) => !found.has(id)).join(', ')} are not new or resubmitted claims of this distributor`);
      }
      if (!candidates.rows.length) throw new AppError(422, 'NOTHING_TO_BATCH', 'there are no new or resubmitted claims to batch');
      const created = (await db.query<{ id: number }>(`INSERT INTO claim_batches (distributor_id, created_by) VALUES ($1, $2) RETURNING id::int`, [distributorId, actor.name])).rows[0]!;
      const claimIds = await transitionClaims(db, candidates.rows.map((r) => r.id), OPEN_FOR_DISTRIBUTOR, {
        actor: actor.name,
        to: 'batched',
        details: { batchId: created.id },
        set: 'batch_id = $7',
        params: [created.id],
      });
      return { id: created.id, claimIds };
    });
    res.status(201).json(batch);
  });

  router.get('/batches/:batchId', async (req, res) => {
    const batch = await ownBatch(ctx.pool, req);
    const { rows } = await ctx.pool.query(`SELECT ${CLAIM_COLUMNS} FROM ${CLAIM_FROM} WHERE c.batch_id = $1 ORDER BY c.id`, [batch.id]);
    res.json({ ...batch, claims: rows, total: rows.filter((c) => c.status !== 'denied').reduce((sum, c) => sum + c.value, 0) });
  });

  router.post('/batches/:batchId/credit', async (req, res) => {
    const input = parseOr400(creditSchema, req.body);
    const actor = actorOf(req);
    const result = await withTransaction(ctx.pool, async (db) => {
      const batch = await ownBatch(db, req);
      const marked = await db.query(`UPDATE claim_batches SET credited_at = now(), credit_reference = $2 WHERE id = $1 AND credited_at IS NULL`, [batch.id, input.creditReference]);
      if (!marked.rowCount) throw new AppError(409, 'BATCH_ALREADY_CREDITED', `batch ${batch.id} was credited already (${batch.creditReference})`);
      const ids = (await db.query<{ id: number }>(`SELECT id::int FROM claims WHERE batch_id = $1 AND status = 'batched'`, [batch.id])).rows.map((r) => r.id);
      const credited = await transitionClaims(db, ids, ['batched'], { actor: actor.name, to: 'credited', details: { batchId: batch.id, creditReference: input.creditReference } });
      return { id: batch.id, creditReference: input.creditReference, credited };
    });
    res.json(result);
  });

  router.get('/batches/:batchId/export.csv', async (req, res) => {
    const batch = await ownBatch(ctx.pool, req);
    const { rows } = await ctx.pool.query(`SELECT ${CLAIM_COLUMNS}, r.created_at AS "redeemedAt" FROM ${CLAIM_FROM} WHERE c.batch_id = $1 ORDER BY c.id`, [batch.id]);
    const csv = stringify(
      rows.map((c) => [c.id, c.merchantId, c.locationName ?? c.shopId, c.accountNumber ?? '', c.offerName, c.saleId ?? '', new Date(c.redeemedAt).toISOString(), (c.value / 100).toFixed(2), c.status]),
      // Account numbers and names come from retailers: a cell starting with = must not run as a formula.
      { header: true, columns: ['claim_id', 'merchant_id', 'location', 'account_number', 'offer', 'sale_id', 'redeemed_at', 'value', 'status'], escape_formulas: true },
    );
    res.type('text/csv').attachment(`batch-${batch.id}.csv`).send(csv);
  });

  router.get('/enrollments', async (req, res) => {
    const { rows } = await ctx.pool.query(
      `SELECT e.merchant_id AS "merchantId", e.offer_id::int AS "offerId", o.name AS "offerName", e.shop_id AS "shopId", l.name AS "locationName", l.region, e.account_number AS "accountNumber"
         FROM enrollments e JOIN offers o ON o.id = e.offer_id JOIN locations l ON l.merchant_id = e.merchant_id AND l.shop_id = e.shop_id
        WHERE e.distributor_id = $1 ORDER BY e.merchant_id, e.shop_id, e.offer_id`,
      [distributorOf(req)],
    );
    res.json(rows);
  });

  /** "We do not serve this location": the enrollment moves to Temporary Holding and its unbatched claims wait there. */
  router.post('/enrollments/:merchantId/:offerId/:shopId/holding', async (req, res) => {
    const input = parseOr400(holdingSchema, req.body);
    const actor = actorOf(req);
    const key = { merchantId: param(req, 'merchantId'), offerId: idParam(req, 'offerId'), shopId: param(req, 'shopId') };
    const result = await withTransaction(ctx.pool, async (db) => {
      const before = (
        await db.query(`SELECT distributor_id::int AS "distributorId", account_number AS "accountNumber" FROM enrollments WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 AND distributor_id = $4 FOR UPDATE`, [
          key.merchantId,
          key.offerId,
          key.shopId,
          distributorOf(req),
        ])
      ).rows[0];
      if (!before) throw notFound(`enrollment ${key.merchantId}/${key.offerId}/${key.shopId} of this distributor`);
      const holding = (await db.query<{ id: number }>(`SELECT id::int FROM distributors WHERE is_holding`)).rows[0]!;
      await db.query(
        `UPDATE enrollments SET distributor_id = $4, account_number = NULL, holding_reason = $5, updated_at = now() WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3`,
        [key.merchantId, key.offerId, key.shopId, holding.id, input.reason],
      );
      const after = { distributorId: holding.id, accountNumber: null, holdingReason: input.reason };
      await writeAudit(db, { actor, merchantId: key.merchantId, action: 'enrollment.holding', entity: 'enrollment', entityId: `${key.offerId}/${key.shopId}`, before, after });
      const open = await db.query<{ id: number }>(`SELECT id::int FROM claims WHERE merchant_id = $1 AND offer_id = $2 AND shop_id = $3 AND distributor_id = $4 AND status = ANY($5)`, [
        key.merchantId,
        key.offerId,
        key.shopId,
        distributorOf(req),
        OPEN_FOR_DISTRIBUTOR,
      ]);
      const held = await transitionClaims(db, open.rows.map((r) => r.id), OPEN_FOR_DISTRIBUTOR, {
        actor: actor.name,
        to: 'held',
        note: input.reason,
        details: { from: before, to: 'Temporary Holding' },
        set: 'distributor_id = $7, account_number = NULL',
        params: [holding.id],
      });
      return { ...key, ...after, heldClaims: held };
    });
    res.json(result);
  });

  return router;
}
