import { randomUUID } from 'node:crypto';
import type { SaleAnswer } from '../contract/sale.js';
import { adjustmentSchema } from '../contract/customer.js';
import { backfillSchema } from '../contract/operations.js';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { withTransaction } from '../db/pool.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { param, parseOr400 } from '../http/validate.js';
import { upsertCustomer } from '../ledger/customers.js';
import { writeEntry } from '../ledger/entries.js';
import { requestRewards } from '../rewards/requestRewards.js';
import { currentRules, saveRules } from '../merchants/rulesRepo.js';
import { rulesSchema } from '../rules/rules.js';
import { writeAudit } from '../access/audit.js';
import { customerView, saleView } from './saleView.js';
import { explainSale } from '../console/explainSale.js';

export { adjustmentSchema };

export { backfillSchema };

/** Rules, the support views by Sale ID and customer, adjustments, and the rewards button by API. */
export function loyaltyRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/merchants/:id/rules', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    res.json(await currentRules(ctx.pool, merchant.id));
  });

  router.put('/merchants/:id/rules', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const { version: _ignored, ...body } = (req.body ?? {}) as Record<string, unknown>;
    const document = parseOr400(rulesSchema.strict(), body, 'rules');
    const saved = await withTransaction(ctx.pool, async (db) => {
      const before = await currentRules(db, merchant.id);
      const after = await saveRules(db, merchant.id, document, actor.name);
      await writeAudit(db, { actor, merchantId: merchant.id, action: 'rules.update', entity: 'rules', entityId: String(after.version), before, after });
      return after;
    });
    res.status(201).json(saved);
  });

  router.get('/merchants/:id/sales/:saleId', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const saleId = param(req, 'saleId');
    const view = await saleView(ctx.pool, merchant.id, saleId);
    if (!view) {
      throw new AppError(
        404,
        'SALE_NOT_SEEN',
        `sale '${saleId}' has not been received for merchant '${merchant.id}': Lightspeed may not have sent it yet (the reconciliation poll will pick it up), or it belongs to another merchant`,
      );
    }
    const answer: SaleAnswer = {
      ...view,
      merchant: { id: merchant.id, name: merchant.name, series: merchant.series, timezone: merchant.timezone },
      explanation: await explainSale(ctx.pool, merchant.id, view),
    };
    res.json(answer);
  });

  router.post('/merchants/:id/sales/:saleId/rewards', requireRole('admin', 'support'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const saleId = param(req, 'saleId');
    const { created, queueError } = await requestRewards(
      ctx,
      { merchantId: merchant.id, saleId, source: 'api', requestedBy: actor.name },
      async (db, inserted) => {
        if (inserted) await writeAudit(db, { actor, merchantId: merchant.id, action: 'rewards.request', entity: 'sale', entityId: saleId });
      },
    );
    if (queueError) throw queueError;
    res.status(created ? 201 : 200).json({ merchantId: merchant.id, saleId, status: created ? 'requested' : 'already requested' });
  });

  router.get('/merchants/:id/customers/:customerId', async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const view = await customerView(ctx.pool, merchant.id, param(req, 'customerId'));
    if (!view) throw notFound(`customer '${param(req, 'customerId')}' of merchant '${merchant.id}'`);
    res.json(view);
  });

  router.post('/merchants/:id/customers/:customerId/adjustments', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const customerId = param(req, 'customerId');
    const input = parseOr400(adjustmentSchema, req.body);
    const key = `adjust:${input.idempotencyKey ?? randomUUID()}`;
    const written = await withTransaction(ctx.pool, async (db) => {
      await upsertCustomer(db, merchant.id, { id: customerId });
      const ok = await writeEntry(db, {
        merchantId: merchant.id,
        customerId,
        saleId: null,
        kind: 'adjust',
        points: input.points,
        status: 'posted',
        availableAt: new Date(),
        decisionId: null,
        idempotencyKey: key,
        note: input.reason,
        actor: actor.name,
      });
      if (ok)
        await writeAudit(db, {
          actor,
          merchantId: merchant.id,
          action: 'customer.adjust',
          entity: 'customer',
          entityId: customerId,
          after: { points: input.points, reason: input.reason },
        });
      return ok;
    });
    res.status(written ? 201 : 200).json(await customerView(ctx.pool, merchant.id, customerId));
  });

  router.post('/merchants/:id/backfill', requireRole('admin'), async (req, res) => {
    const merchant = await visibleMerchant(ctx.pool, req);
    const actor = actorOf(req);
    const { from, to } = parseOr400(backfillSchema, req.body);
    await ctx.queues.poll.add('backfill', { merchantId: merchant.id, from, to }, { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } });
    await writeAudit(ctx.pool, { actor, merchantId: merchant.id, action: 'backfill.request', entity: 'merchant', entityId: merchant.id, after: { from, to } });
    res.status(202).json({ merchantId: merchant.id, from, to, status: 'queued' });
  });

  return router;
}
