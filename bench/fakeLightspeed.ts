import { FakeLightspeed as DevFake, type FakeOptions } from '../tools/fake-lightspeed/index.js';
import { PRODUCTS, X_GROUP, rSale } from './data.js';

const R_START = new Date('2026-11-20T00:00:00Z').getTime();
const rTime = (n: number) => new Date(R_START + n * 1000);

/**
 * The development fake (tools/fake-lightspeed) serving the bench's generated catalogue and sales:
 * X products `prod-N` in `cat-(N % 5)`, any customer in the group `X_GROUP`, R sales from `rSale(n)`
 * (saleID 100000 + n, `options.rSales` of them in `Sale.json`). No X-Series window limit (the bench
 * measures the R-Series bucket discipline; the bench's first fake had none) and no pet-store catalogue.
 */
export class FakeLightspeed extends DevFake {
  private readonly generated: { total: number };

  constructor(options: FakeOptions = {}) {
    const generated = { total: options.rSales ?? 0 };
    super({
      catalogue: false,
      xRequestsPerWindow: Number.POSITIVE_INFINITY,
      bucketSize: 90,
      dripPerSec: 1,
      ...options,
      generators: {
        xCategories: () =>
          Array.from({ length: 5 }, (_, i) => ({ id: `cat-${i}`, name: `Category ${i}`, category_path: [{ id: `cat-${i}` }], version: i + 1 })),
        xGroups: () => [{ id: X_GROUP, name: 'Retail', version: 1 }],
        xProduct: (id) => {
          const n = /^prod-(\d+)$/.exec(id)?.[1];
          return n === undefined ? undefined : { id, name: `Product ${n}`, sku: `SKU-${n}`, product_category: { id: `cat-${Number(n) % 5}` } };
        },
        xCustomer: (id) => ({ id, customer_code: id.toUpperCase(), customer_group_id: X_GROUP, email: `${id}@example.com`, enable_loyalty: true }),
        rSale: (saleId) => {
          const n = Number(saleId) - 100_000;
          return Number.isInteger(n) && n >= 0 ? rSale(n, rTime(n)) : undefined;
        },
        rSalePage: (offset, limit, withRelations, fromMs) => {
          // Sale n is updated at R_START + n s: a window starting later skips the sales before it.
          const first = fromMs === undefined ? 0 : Math.min(generated.total, Math.max(0, Math.ceil((fromMs - R_START) / 1000)));
          const total = generated.total - first;
          return {
            total,
            sales: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
              rSale(first + offset + i, rTime(first + offset + i), { withRelations }),
            ),
          };
        },
      },
    });
    this.generated = generated;
  }

  override configure(options: FakeOptions): void {
    if (options.rSales !== undefined) this.generated.total = options.rSales;
    super.configure(options);
  }
}

export { PRODUCTS };
