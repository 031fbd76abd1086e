import { insertSaleEvents } from '../src/inbox/repo.js';
import { applySaleBatch, type SalesDeps } from '../workers/sales.js';
import { CUSTOMERS, xRegisterSale } from './data.js';

/**
 * Stores `count` generated X sales (sale numbers from `first`) for a merchant and applies them as the
 * sales worker does, `batch` at a time (its group commit). `catalog` spreads the two lines of each sale
 * over that many products (the generated sale's own products are the bench's 50). Returns how many were
 * credited, so a case can check it measured what it meant to.
 */
export async function applyGenerated(
  deps: Omit<SalesDeps, 'batch'>,
  opts: { merchantId: string; first: number; count: number; batch: number; catalog?: number; idPrefix: string },
): Promise<number> {
  let applied = 0;
  for (let start = 0; start < opts.count; start += opts.batch) {
    const n = Math.min(opts.batch, opts.count - start);
    const sales = Array.from({ length: n }, (_, i) => {
      const k = opts.first + start + i;
      const sale = xRegisterSale(k, { id: `${opts.idPrefix}-${k}`, customer: k % CUSTOMERS });
      if (opts.catalog) {
        sale.register_sale_products[0]!.product_id = `prod-${k % opts.catalog}`;
        sale.register_sale_products[1]!.product_id = `prod-${(k * 7919 + 3) % opts.catalog}`;
      }
      return sale;
    });
    const stored = await insertSaleEvents(
      deps.ctx.pool,
      sales.map((s) => ({ merchantId: opts.merchantId, saleId: s.id, version: s.version, source: 'webhook' as const, payload: s, receipt: s.invoice_number })),
    );
    const done = await applySaleBatch(
      deps,
      stored.map((s) => ({ eventId: s.id, reevaluate: false, jobId: undefined })),
    );
    for (const d of done) {
      if (d.error !== undefined) throw d.error;
      if ((d.result as { outcome?: string } | undefined)?.outcome === 'applied') applied += 1;
    }
  }
  return applied;
}
