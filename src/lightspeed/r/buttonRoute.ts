import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { requestRewards } from '../../sales/requestRewards.js';
import { getMerchant } from '../../merchants/store/repo.js';
import { ButtonSignatureError, JwksCache, verifyButtonClick } from './buttonSignature.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title>
<body style="font-family: system-ui; max-width: 30rem; margin: 3rem auto; text-align: center"><h1>${escape(title)}</h1>${body}</body>`;

/**
 * The R-Series POS "Rewards" button (Custom Menus, Open Web Page): a signed GET. A valid click records
 * the rewards request once and re-evaluates the sale; anything else is a 403 page and records nothing.
 */
export function rButtonRoutes(ctx: AppContext, jwks = new JwksCache(ctx.config.LIGHTSPEED_JWKS_URL, ctx.config.LIGHTSPEED_JWKS_MIN_REFETCH_MS)): Router {
  const router = Router();
  router.get('/pos/lightspeed/r/:merchantId/rewards', async (req: Request, res: Response) => {
    const merchantId = String(req.params.merchantId);
    const refuse = (why: string) => {
      req.log.warn({ merchantId, reason: why }, 'rewards button refused');
      res
        .status(403)
        .type('html')
        .send(page('This link cannot be used', `<p>${escape(why)}</p>`));
    };
    const at = req.originalUrl.indexOf('?');
    const rawQuery = at >= 0 ? req.originalUrl.slice(at + 1) : '';
    const publicBase = ctx.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
    let click;
    try {
      click = await verifyButtonClick({ publicBase, path: req.path, rawQuery, jwks });
    } catch (error) {
      if (error instanceof ButtonSignatureError) return refuse(error.message);
      throw error;
    }
    const merchant = await getMerchant(ctx.pool, merchantId);
    if (!merchant || merchant.series !== 'r' || merchant.accountId !== click.accountId) return refuse('this link is not for this store');
    const { queueError } = await requestRewards(ctx, {
      merchantId: merchant.id,
      saleId: click.saleId,
      source: 'pos',
      requestedBy: click.employeeId ? `pos employee ${click.employeeId}` : 'pos',
    });
    // The request is recorded; the sale picks it up when it is (re)processed.
    if (queueError) req.log.warn({ err: queueError, merchantId: merchant.id, saleId: click.saleId }, 'could not queue the re-evaluation');
    req.log.info({ merchantId: merchant.id, saleId: click.saleId }, 'rewards requested from the POS');
    const back = click.returnUrl && /^https?:\/\//i.test(click.returnUrl) ? `<p><a href="${escape(click.returnUrl)}">Back to the sale</a></p>` : '';
    res.type('html').send(page(`Rewards requested for sale ${click.saleId}`, `<p>Points will appear on the customer's account shortly.</p>${back}`));
  });
  return router;
}
