import fc from 'fast-check';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { salesDeps } from '../../../workers/index.js';
import { applySaleBatch } from '../../../workers/sales.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { ANN, BOB, rSale, xSale } from '../../helpers/ledgerSales.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';

/**
 * Decisions must not depend on arrival order (issue 30 items 2-4): a sale, maybe a later version naming
 * another customer, maybe a return, maybe an exchange and a return of what it sold, delivered in any
 * order and any grouping into worker batches, end with the balances of an oracle, and with the same
 * available and pending split as the same sales in the order they happened.
 */
let ctx: TestContext;
type Json = Record<string, unknown>;
const DAY = 86_400_000;
const RUNS = { numRuns: 12 };

interface Scenario {
  series: 'x' | 'r';
  delayDays: 0 | 14;
  /** The original was sold long enough ago that its points are already available. */
  originalOld: boolean;
  changed: boolean;
  returned: boolean;
  exchanged: boolean;
  exchangeReturned: boolean;
}

interface Version {
  saleId: string;
  version: number;
  payload: Json;
}

/** The sale versions of a scenario, in the order they happened. */
function versions(s: Scenario, now: number): Version[] {
  const iso = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sold = s.originalOld ? 20 * DAY : 3 * DAY;
  const out: Version[] = [];
  if (s.series === 'x') {
    const original = (version: number, customer: string) =>
      xSale({
        id: 'orig',
        version,
        date: iso(sold),
        customer,
        lines: [
          ['o-20', 'p20', 1, '20.00000'],
          ['o-60', 'p60', 1, '60.00000'],
        ],
      });
    out.push({ saleId: 'orig', version: 100, payload: original(100, ANN) });
    if (s.changed) out.push({ saleId: 'orig', version: 101, payload: original(101, BOB) });
    if (s.returned)
      out.push({
        saleId: 'ret',
        version: 200,
        payload: xSale({ id: 'ret', version: 200, date: iso(2 * DAY), returnFor: 'orig', lines: [['r-20', 'p20', -1, '-20.00000']] }),
      });
    if (s.exchanged) {
      const lines: Array<[string, string, number, string]> = [
        ['e-back', 'p60', -1, '-60.00000'],
        ['e-new', 'p30', 1, '30.00000'],
      ];
      out.push({ saleId: 'exch', version: 300, payload: xSale({ id: 'exch', version: 300, date: iso(DAY), returnFor: 'orig', lines }) });
      if (s.exchangeReturned)
        out.push({
          saleId: 'ret2',
          version: 400,
          payload: xSale({ id: 'ret2', version: 400, date: iso(DAY / 2), returnFor: 'exch', lines: [['r2', 'p30', -1, '-30.00000']] }),
        });
    }
    return out;
  }
  const at = (ms: number) => new Date(now - ms).toISOString();
  const rVersion = (p: Json) => Date.parse(p.updatetime as string);
  const original = (customer: string, changedAt: number) => ({
    ...rSale({
      id: '5001',
      time: at(sold),
      customer,
      lines: [
        ['ol-20', '20', 1, 20],
        ['ol-60', '60', 1, 60],
      ],
    }),
    updatetime: at(changedAt),
  });
  const add = (p: Json) => out.push({ saleId: p.saleID as string, version: rVersion(p), payload: p });
  add(original(ANN, sold));
  if (s.changed) add(original(BOB, sold - 60_000));
  if (s.returned) add(rSale({ id: '5002', time: at(2 * DAY), lines: [['rl-20', '20', -1, -20, 'ol-20']] }));
  if (s.exchanged) {
    add(
      rSale({
        id: '5003',
        time: at(DAY),
        lines: [
          ['el-back', '60', -1, -60, 'ol-60'],
          ['el-new', '30', 1, 30],
        ],
      }),
    );
    if (s.exchangeReturned) add(rSale({ id: '5004', time: at(DAY / 2), lines: [['nl-back', '30', -1, -30, 'el-new']] }));
  }
  return out;
}

/** What each customer ends with in total (available + pending), from the story alone. */
function oracle(s: Scenario): Record<string, number> {
  const holder = s.changed ? BOB : ANN;
  const totals: Record<string, number> = { [ANN]: 0, [BOB]: 0 };
  totals[holder]! += 80 - (s.returned ? 20 : 0) - (s.exchanged ? 60 : 0);
  // The exchange names Ann: its new line is hers, and so is its return.
  if (s.exchanged) totals[ANN]! += s.exchangeReturned ? 0 : 30;
  return totals;
}

let n = 0;
async function merchant(s: Scenario): Promise<string> {
  n += 1;
  const id = `${s.series}${n}`;
  if (s.series === 'x') {
    await createXMerchant(ctx.pool, { id, domainPrefix: id, apiBaseUrl: 'http://x-api.test' });
    await seedRefs(ctx.pool, id, {
      products: [
        ['p20', null, false],
        ['p60', null, false],
        ['p30', null, false],
      ],
    });
  } else {
    await createRMerchant(ctx.pool, { id, accountId: String(30_000 + n), apiBaseUrl: 'http://r-api.test' });
    await seedRefs(ctx.pool, id, { categories: [], segments: [] });
  }
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, delayDays: s.delayDays }), 'test');
  return id;
}

/** Delivers the versions in this order, `cuts` splitting them into worker batches; returns the balances. */
async function deliver(s: Scenario, order: Version[], cuts: boolean[]): Promise<Record<string, { available: number; pending: number }>> {
  const id = await merchant(s);
  const deps = salesDeps(ctx);
  let batch: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const done = await applySaleBatch(
      deps,
      batch.map((eventId) => ({ eventId, reevaluate: false, jobId: undefined })),
    );
    for (const d of done) if (d.error !== undefined) throw d.error;
    batch = [];
  };
  for (const [k, v] of order.entries()) {
    const source = s.series === 'x' ? 'webhook' : 'poll';
    batch.push((await insertSaleEvent(ctx.pool, { merchantId: id, saleId: v.saleId, version: v.version, source, payload: v.payload })).id);
    if (cuts[k]) await flush();
  }
  await flush();
  const { rows } = await ctx.pool.query<{ customer_id: string; available: number; pending: number }>(
    `SELECT customer_id, available::int, pending::int FROM customers WHERE merchant_id = $1`,
    [id],
  );
  const open = await ctx.pool.query(`SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = $1 AND processed_at IS NULL`, [id]);
  expect(open.rows[0].n).toBe(0);
  const out: Record<string, { available: number; pending: number }> = { [ANN]: { available: 0, pending: 0 }, [BOB]: { available: 0, pending: 0 } };
  for (const r of rows) out[r.customer_id] = { available: r.available, pending: r.pending };
  return out;
}

const arbScenario: fc.Arbitrary<Scenario> = fc.record({
  series: fc.constantFrom('x' as const, 'r' as const),
  delayDays: fc.constantFrom(0 as const, 14 as const),
  originalOld: fc.boolean(),
  changed: fc.boolean(),
  returned: fc.boolean(),
  exchanged: fc.boolean(),
  exchangeReturned: fc.boolean(),
});

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('arrival order', () => {
  it('any order and batching of the same sales ends with the oracle balances, split as in the order they happened', async () => {
    const now = Date.now();
    // Found by this property: the exchange alone, then its original and the return of its new item in one
    // batch (the original flags the exchange while the return writes it: one statement must not do both).
    const found: Scenario = { series: 'x', delayDays: 14, originalOld: false, changed: false, returned: false, exchanged: true, exchangeReturned: true };
    const [orig, exch, ret2] = versions(found, now);
    await fc.assert(
      fc.asyncProperty(
        arbScenario.chain((s) => {
          const all = versions(s, now);
          return fc.record({
            s: fc.constant(s),
            order: fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
            cuts: fc.array(fc.boolean(), { minLength: all.length, maxLength: all.length }),
          });
        }),
        async ({ s, order, cuts }) => {
          const inOrder = await deliver(
            s,
            versions(s, now),
            order.map(() => true),
          );
          const shuffled = await deliver(s, order, cuts);
          const expected = oracle(s);
          for (const customer of [ANN, BOB]) expect(inOrder[customer]!.available + inOrder[customer]!.pending, customer).toBe(expected[customer]);
          expect(shuffled).toEqual(inOrder);
        },
      ),
      { ...RUNS, examples: [[{ s: found, order: [exch!, ret2!, orig!], cuts: [true, false, false] }]] },
    );
  });
});
