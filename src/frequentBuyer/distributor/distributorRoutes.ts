import { stringify } from 'csv-stringify/sync';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context.js';
import { actorOf } from '../../access/authenticate.js';
import { formatMinor } from '../../rules/formatMinor.js';
import { notFound } from '../../http/errors.js';
import { idParam, param, parseOr400 } from '../../http/validate.js';
import { claimStatusFilter, OPEN_FOR_DISTRIBUTOR } from '../claims.js';
import { batchClaims, creditBatch, denyClaim, holdEnrollment, ownBatch } from './distributorClaims.js';
import { claimHistory, getClaim, getDistributorClaim, listBatchClaims, listBatchClaimsForExport, listDistributorClaims } from '../store/claims.js';
import { listDistributorEnrollments } from '../store/enrollments.js';
import { batchSchema, creditSchema, denySchema, holdingSchema } from '../schemas.js';

/** The distributor a request acts for: its token's, never one named in the request. */
const distributorOf = (req: Request): number => actorOf(req).distributorId!;

/**
 * /distributor/api (authenticated in the route table): for tokens of role `distributor`, each scoped to one distributor, which sees only
 * the claims addressed to it. List new and resubmitted claims, deny one (with a reason), batch them,
 * mark a batch credited, export a batch as CSV, and move an enrollment it does not serve to Temporary
 * Holding.
 */
export function distributorRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/claims', async (req, res) => {
    const statuses = claimStatusFilter(req.query.status) ?? OPEN_FOR_DISTRIBUTOR;
    res.json(await listDistributorClaims(ctx.pool, distributorOf(req), statuses));
  });

  router.get('/claims/:claimId', async (req, res) => {
    const claimId = idParam(req, 'claimId');
    const claim = await getDistributorClaim(ctx.pool, distributorOf(req), claimId);
    if (!claim) throw notFound(`claim ${claimId}`);
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  router.post('/claims/:claimId/deny', async (req, res) => {
    const claimId = idParam(req, 'claimId');
    const input = parseOr400(denySchema, req.body);
    const moved = await denyClaim(ctx.pool, actorOf(req), distributorOf(req), claimId, input);
    ctx.logger.info({ distributorId: distributorOf(req), claimId: moved[0], reason: input.reason }, 'claim denied');
    const claim = await getClaim(ctx.pool, claimId);
    res.json({ ...claim, history: await claimHistory(ctx.pool, [claimId]) });
  });

  /** A batch of the given claims, or of every new and resubmitted one. */
  router.post('/batches', async (req, res) => {
    const input = parseOr400(batchSchema, req.body ?? {});
    res.status(201).json(await batchClaims(ctx.pool, actorOf(req), distributorOf(req), input.claimIds));
  });

  router.get('/batches/:batchId', async (req, res) => {
    const batch = await ownBatch(ctx.pool, distributorOf(req), idParam(req, 'batchId'));
    const rows = await listBatchClaims(ctx.pool, batch.id);
    res.json({ ...batch, claims: rows, total: rows.filter((c) => c.status !== 'denied').reduce((sum, c) => sum + c.value, 0) });
  });

  router.post('/batches/:batchId/credit', async (req, res) => {
    const input = parseOr400(creditSchema, req.body);
    res.json(await creditBatch(ctx.pool, actorOf(req), distributorOf(req), idParam(req, 'batchId'), input.creditReference));
  });

  router.get('/batches/:batchId/export.csv', async (req, res) => {
    const batch = await ownBatch(ctx.pool, distributorOf(req), idParam(req, 'batchId'));
    const rows = await listBatchClaimsForExport(ctx.pool, batch.id);
    const csv = stringify(
      rows.map((c) => [
        c.id,
        c.merchantId,
        c.locationName ?? c.shopId,
        c.accountNumber ?? '',
        c.offerName,
        c.saleId ?? '',
        new Date(c.redeemedAt).toISOString(),
        formatMinor(c.value),
        c.status,
      ]),
      // Account numbers and names come from retailers: a cell starting with = must not run as a formula,
      // and every cell is quoted, so that in a locale whose list separator is `;` (French Excel) a name
      // holding `;=…` stays one cell rather than starting a live formula in the next one.
      {
        header: true,
        quoted: true,
        quoted_empty: true,
        columns: ['claim_id', 'merchant_id', 'location', 'account_number', 'offer', 'sale_id', 'redeemed_at', 'value', 'status'],
        escape_formulas: true,
      },
    );
    res.type('text/csv').attachment(`batch-${batch.id}.csv`).send(csv);
  });

  router.get('/enrollments', async (req, res) => {
    res.json(await listDistributorEnrollments(ctx.pool, distributorOf(req)));
  });

  /** "We do not serve this location": the enrollment moves to Temporary Holding and its unbatched claims wait there. */
  router.post('/enrollments/:merchantId/:offerId/:shopId/holding', async (req, res) => {
    const input = parseOr400(holdingSchema, req.body);
    const key = { merchantId: param(req, 'merchantId'), offerId: idParam(req, 'offerId'), shopId: param(req, 'shopId') };
    res.json(await holdEnrollment(ctx.pool, actorOf(req), distributorOf(req), key, input.reason));
  });

  return router;
}
