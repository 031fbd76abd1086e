import { Router } from 'express';
import type { SaleAnswer } from '../contract/sale.js';
import type { AppContext } from '../context.js';
import { visibleMerchant } from '../access/visibleMerchant.js';
import { actorOf, requireRole } from '../access/authenticate.js';
import { AppError } from '../http/errors.js';
import { param } from '../http/validate.js';
import { requestRewards } from './requestRewards.js';
import { writeAudit } from '../access/audit.js';
import { saleView } from './store/saleView.js';
import { explainSale } from './explainSale.js';

/** The support view of one sale (by Sale ID) and the rewards button by API. */
export function saleRoutes(ctx: AppContext): Router {
  const router = Router();

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

  return router;
}
