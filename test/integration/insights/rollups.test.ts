import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/pool.js';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { rebuildInsights } from '../../../src/insights/store/rebuild.js';
import { applySale } from '../../../src/ledger/applySale.js';
import { writeEntry } from '../../../src/ledger/store/entries.js';
import { releaseDue } from '../../../src/ledger/release.js';
import { emptyReferenceData } from '../../../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import type { Merchant } from '../../../src/merchants/store/schema.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';
const NOW = new Date('2026-11-21T12:00:00Z');
const names = { segments: {}, categories: {}, products: {} };
let merchants = 0;

/** The fixture's two products: exempting one withholds the points its line would earn. */
const PRODUCTS = ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', '0adaafb3-6583-11e5-fb60-050b7e8f0a02'];

async function setRules(id: string, delayDays: number, exemptProducts: string[]) {
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, delayDays, exemptions: { productIds: exemptProducts } }), 'test');
}

async function merchant(delayDays = 0, exemptProducts: string[] = []): Promise<Merchant> {
  const id = `m${(merchants += 1)}`;
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await setRules(id, delayDays, exemptProducts);
  return (await getMerchant(ctx.pool, id))!;
}

interface Shape {
  customer: boolean;
  register: number;
  cashier: number;
  state: 'CLOSED' | 'VOIDED' | 'OPEN';
  quantity: number;
  /** Hours before NOW the sale was made: across local midnights. */
  hoursAgo: number;
}

/** The closed fixture (24.00 + 25.40 for Jane) reshaped. */
function payload(saleId: string, version: number, s: Shape, returnFor?: string): Record<string, unknown> {
  const p = structuredClone(closed);
  p.id = saleId;
  p.version = version;
  p.status = s.state;
  p.register_id = `reg-${s.register}`;
  p.user_id = `cashier-${s.cashier}`;
  p.sale_date = new Date(NOW.getTime() - s.hoursAgo * 3_600_000).toISOString();
  if (!s.customer) {
    p.customer = null;
    p.customer_id = null;
  }
  const lines = p.register_sale_products as Array<Record<string, unknown>>;
  if (returnFor) {
    p.return_for = returnFor;
    p.register_sale_products = [{ ...lines[0], id: `${saleId}-l1`, quantity: -s.quantity, price_total: String(-12 * s.quantity), is_return: true }];
  } else {
    lines[0]!.quantity = s.quantity;
    lines[0]!.price_total = String(12 * s.quantity);
  }
  return p;
}

async function apply(m: Merchant, p: Record<string, unknown>, reevaluate = false) {
  const sale = normalizeXSale(m.id, xRegisterSaleSchema.parse(p), emptyReferenceData());
  const { id: eventId } = await insertSaleEvent(ctx.pool, {
    merchantId: m.id,
    saleId: sale.saleId,
    version: sale.version,
    source: sale.version % 2 ? 'poll' : 'webhook',
    payload: p,
  });
  return applySale(ctx.pool, { merchant: m, sale, names, eventId, now: NOW, reevaluate });
}

/** What the figures read, in a stable order (rows the upkeep left at zero are no figure). */
async function figures(db: Db, merchantId: string) {
  const q = async (sql: string) => (await db.query(sql, [merchantId])).rows;
  return {
    rollups: await q(
      `SELECT day::text, outlet_id, register_id, cashier_id, cause, sales, with_customer, points::int, pending::int, reversed::int FROM insight_rollups
        WHERE merchant_id = $1 AND (sales, with_customer, points, pending, reversed) <> (0, 0, 0, 0, 0) ORDER BY 1, 2, 3, 4, 5`,
    ),
    days: await q(
      `SELECT day::text, cause, sales, with_customer, points::int, pending::int, reversed::int FROM insight_days
        WHERE merchant_id = $1 AND (sales, with_customer, points, pending, reversed) <> (0, 0, 0, 0, 0) ORDER BY 1, 2`,
    ),
    attach: await q(
      `SELECT day::text, dimension, id, sales, with_customer FROM insight_attach WHERE merchant_id = $1 AND (sales, with_customer) <> (0, 0) ORDER BY 1, 2, 3`,
    ),
    intake: await q(`SELECT day::text, source, delay_bucket, sales FROM insight_intake WHERE merchant_id = $1 AND sales <> 0 ORDER BY 1, 2, 3`),
    points: await q(
      `SELECT day::text, earned::int, pending_in::int, released::int, reversed::int, adjusted::int FROM insight_points WHERE merchant_id = $1
        AND (earned, pending_in, released, reversed, adjusted) <> (0, 0, 0, 0, 0) ORDER BY 1`,
    ),
    sales: await q(
      `SELECT sale_id, decision_id::int, day::text, register_id, cashier_id, cause, counted, has_customer, points, pending, reversed, first_source, delay_bucket
         FROM insight_sales WHERE merchant_id = $1 ORDER BY 1`,
    ),
    withheld: await q(
      `SELECT day::text, kind, exempt_id, sales, points::int FROM insight_exemptions WHERE merchant_id = $1 AND (sales, points) <> (0, 0) ORDER BY 1, 2, 3`,
    ),
    withheldSales: await q(`SELECT sale_id, kind, exempt_id, day::text, points FROM insight_sale_exemptions WHERE merchant_id = $1 ORDER BY 1, 2, 3`),
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.cleanup();
});

const shape = fc.record({
  customer: fc.boolean(),
  register: fc.integer({ min: 0, max: 2 }),
  cashier: fc.integer({ min: 0, max: 2 }),
  state: fc.constantFrom('CLOSED', 'CLOSED', 'CLOSED', 'VOIDED', 'OPEN'),
  quantity: fc.integer({ min: 1, max: 3 }),
  hoursAgo: fc.integer({ min: 0, max: 60 }),
}) as fc.Arbitrary<Shape>;

const op = fc.oneof(
  // Weighted: most of what the figures hold comes from new versions (and a replay needs a version first).
  { arbitrary: fc.record({ kind: fc.constant('version' as const), sale: fc.integer({ min: 0, max: 3 }), shape }), weight: 4 },
  fc.record({ kind: fc.constant('duplicate' as const), sale: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('stale' as const), sale: fc.integer({ min: 0, max: 3 }), shape }),
  fc.record({ kind: fc.constant('return' as const), sale: fc.integer({ min: 0, max: 3 }), shape }),
  fc.record({ kind: fc.constant('replay' as const), sale: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('release' as const) }),
  fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0) }),
  // A rules change: the sales' next versions are judged with other exemptions.
  fc.record({ kind: fc.constant('rules' as const), exempt: fc.subarray(PRODUCTS) }),
);

describe('insights rollups', () => {
  it('one sale: credited, then a version without a customer moves it to NO_CUSTOMER, a replay changes nothing, a return counts its reversal', async () => {
    const m = await merchant();
    const base: Shape = { customer: true, register: 1, cashier: 2, state: 'CLOSED', quantity: 2, hoursAgo: 0 };
    await apply(m, payload('s', 2, base));
    const first = await figures(ctx.pool, m.id);
    expect(first.rollups).toEqual([
      {
        day: '2026-11-21',
        outlet_id: closed.outlet_id,
        register_id: 'reg-1',
        cashier_id: 'cashier-2',
        cause: 'CREDITED',
        sales: 1,
        with_customer: 1,
        points: 49,
        pending: 0,
        reversed: 0,
      },
    ]);
    // Points move on the day they moved (today), not on the sale's day.
    expect(first.points.map(({ day: _day, ...moved }) => moved)).toEqual([{ earned: 49, pending_in: 0, released: 0, reversed: 0, adjusted: 0 }]);

    await apply(m, payload('s', 4, { ...base, customer: false }));
    await apply(m, payload('s', 4, { ...base, customer: false }));
    const second = await figures(ctx.pool, m.id);
    expect(second.rollups.map((r) => [r.cause, r.sales, r.with_customer])).toEqual([['NO_CUSTOMER', 1, 0]]);

    await apply(m, payload('s', 6, base));
    await apply(m, payload('r', 2, { ...base, quantity: 1 }, 's'));
    const third = await figures(ctx.pool, m.id);
    expect(third.rollups.map((r) => [r.cause, r.sales, r.points, r.reversed])).toEqual([
      ['CREDITED', 1, 49, 0],
      ['RETURN', 1, 0, 12],
    ]);
    expect(third.intake.reduce((n, r) => n + r.sales, 0)).toBe(1);
  });

  it('points withheld by an exemption: kept per sale and day, moved by a new version, unchanged by a replay', async () => {
    const m = await merchant(0, [PRODUCTS[1]!]);
    const base: Shape = { customer: true, register: 1, cashier: 2, state: 'CLOSED', quantity: 2, hoursAgo: 0 };
    await apply(m, payload('s', 2, base));
    const first = await figures(ctx.pool, m.id);
    // 24.00 earns 24; with the 25.40 line too, 49.40 would earn 49: the product's exemption withheld 25.
    expect(first.rollups.map((r) => [r.cause, r.points])).toEqual([['CREDITED', 24]]);
    expect(first.withheld).toEqual([{ day: '2026-11-21', kind: 'product', exempt_id: PRODUCTS[1], sales: 1, points: 25 }]);
    await apply(m, payload('s', 2, base), true);
    expect((await figures(ctx.pool, m.id)).withheld).toEqual(first.withheld);

    // No customer: nobody to earn, so the exemption withholds nothing (the gate does).
    await apply(m, payload('s', 4, { ...base, customer: false }));
    const second = await figures(ctx.pool, m.id);
    expect(second.withheld).toEqual([]);
    expect(second.withheldSales).toEqual([]);

    // Back with a customer, two days earlier: the row moves to that day.
    await apply(m, payload('s', 6, { ...base, hoursAgo: 48 }));
    const third = await figures(ctx.pool, m.id);
    expect(third.withheld).toEqual([{ day: '2026-11-19', kind: 'product', exempt_id: PRODUCTS[1], sales: 1, points: 25 }]);
  });

  it('rebuilt equals maintained after random versions, duplicates, stale versions, returns, voids, replays, releases and adjustments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), fc.constantFrom(0, 14), fc.subarray(PRODUCTS), async (ops, delayDays, exempt) => {
        const m = await merchant(delayDays, exempt);
        const versions = [0, 0, 0, 0];
        const returns = [0, 0, 0, 0];
        const last: Array<Record<string, unknown> | null> = [null, null, null, null];
        let adjustments = 0;
        for (const o of ops) {
          if (o.kind === 'version') {
            versions[o.sale] = versions[o.sale]! + 2;
            last[o.sale] = payload(`s${o.sale}`, versions[o.sale]!, o.shape);
            await apply(m, last[o.sale]!);
          } else if (o.kind === 'duplicate' && last[o.sale]) {
            await apply(m, last[o.sale]!);
          } else if (o.kind === 'stale' && versions[o.sale]! > 0) {
            await apply(m, payload(`s${o.sale}`, versions[o.sale]! - 1, o.shape));
          } else if (o.kind === 'return' && last[o.sale]) {
            returns[o.sale] = returns[o.sale]! + 2;
            await apply(m, payload(`r${o.sale}-${returns[o.sale]}`, 2, { ...o.shape, state: 'CLOSED' }, `s${o.sale}`));
          } else if (o.kind === 'replay' && last[o.sale]) {
            await apply(m, last[o.sale]!, true);
          } else if (o.kind === 'release') {
            await releaseDue(ctx.pool, m.id, new Date('2027-06-01T00:00:00Z'));
          } else if (o.kind === 'rules') {
            await setRules(m.id, delayDays, o.exempt);
          } else if (o.kind === 'adjust') {
            await writeEntry(ctx.pool, {
              merchantId: m.id,
              customerId: JANE,
              saleId: null,
              kind: 'adjust',
              points: o.points,
              status: 'posted',
              availableAt: NOW,
              decisionId: null,
              idempotencyKey: `adjust:${(adjustments += 1)}`,
            });
          }
        }
        const maintained = await figures(ctx.pool, m.id);
        await rebuildInsights(ctx.pool, m.id);
        const rebuilt = await figures(ctx.pool, m.id);
        expect(maintained).toEqual(rebuilt);
        // The figures hold what the ledger holds.
        const { rows } = await ctx.pool.query<{ n: number; total: number }>(
          `SELECT (SELECT count(*)::int FROM sale_state WHERE merchant_id = $1 AND decision_id IS NOT NULL) AS n,
                  (SELECT coalesce(sum(points), 0)::int FROM ledger_entries WHERE merchant_id = $1) AS total`,
          [m.id],
        );
        expect(maintained.rollups.reduce((n, r) => n + r.sales, 0)).toBe(rows[0]!.n);
        // The coarse rollups are the fine one summed (the page's figures and the detector read them).
        expect(maintained.days.reduce((n, r) => n + r.sales, 0)).toBe(rows[0]!.n);
        const counted = maintained.rollups.filter((r) => !['RETURN', 'SALE_VOIDED', 'SALE_NOT_COMPLETED'].includes(r.cause));
        for (const dimension of ['outlet', 'register', 'cashier'])
          expect(maintained.attach.filter((a) => a.dimension === dimension).reduce((n, a) => n + a.sales, 0)).toBe(counted.reduce((n, r) => n + r.sales, 0));
        expect(maintained.points.reduce((n, r) => n + r.earned + r.reversed + r.adjusted, 0)).toBe(rows[0]!.total);
        // The withheld rollup is its per-sale rows summed.
        expect(maintained.withheld.reduce((n, r) => n + r.points, 0)).toBe(maintained.withheldSales.reduce((n, r) => n + r.points, 0));
        expect(maintained.withheld.reduce((n, r) => n + r.sales, 0)).toBe(maintained.withheldSales.length);
      }),
      { numRuns: 30 },
    );
  });
});
