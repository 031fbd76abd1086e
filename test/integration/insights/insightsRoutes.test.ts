import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { applySale } from '../../../src/ledger/applySale.js';
import { emptyReferenceData } from '../../../src/lightspeed/refs/types.js';
import { normalizeXSale, xRegisterSaleSchema } from '../../../src/lightspeed/x/sale10.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { serviceApp } from '../../../src/routes.js';
import { localDate } from '../../../src/rules/time.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';

let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
let token: string;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const names = { segments: {}, categories: {}, products: {} };
// Two hours ago: its local day (TODAY) is within the last 7 days whenever the test runs.
const SALE_AT = new Date(Date.now() - 2 * 3_600_000).toISOString();
const TODAY = localDate(SALE_AT, 'America/Montreal');

async function send(saleId: string, register: string, customer: boolean, source: 'webhook' | 'poll', merchantId = 'shop') {
  const p = structuredClone(closed);
  p.id = saleId;
  p.register_id = register;
  p.sale_date = SALE_AT;
  if (!customer) {
    p.customer = null;
    p.customer_id = null;
  }
  const merchant = (await getMerchant(ctx.pool, merchantId))!;
  const sale = normalizeXSale(merchantId, xRegisterSaleSchema.parse(p), emptyReferenceData());
  const { id } = await insertSaleEvent(ctx.pool, { merchantId, saleId, version: sale.version, source, payload: p });
  await applySale(ctx.pool, { merchant, sale, names, eventId: id, now: new Date() });
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = serviceApp(ctx);
  await createXMerchant(ctx.pool, { id: 'shop', domainPrefix: 'shop' });
  await saveRules(ctx.pool, 'shop', rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
  token = await ctx.token('viewer', 'shop');
  await send('a', 'reg-1', true, 'webhook');
  await send('b', 'reg-1', true, 'webhook');
  await send('c', 'reg-2', false, 'poll');
  // Names as the reference cache stores them: register 1 and the fixture's cashier and outlet; register 2 has none.
  await seedRefs(ctx.pool, 'shop', {
    places: [
      ['register', 'reg-1', 'Front counter'],
      ['cashier', String(closed.user_id), 'Alex Martin'],
      ['outlet', String(closed.outlet_id), 'Main Street'],
    ],
  });
});
afterAll(async () => {
  await ctx.cleanup();
});

describe('insights API', () => {
  it('the last 7 days: earning rate, why-not by cause, attach rate worst first, points and intake, from the rollups', async () => {
    const res = await request(app).get('/admin/api/merchants/shop/insights?period=7').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.period).toMatchObject({ to: localDate(new Date().toISOString(), 'America/Montreal'), by: 'day' });
    expect(res.body.earning).toHaveLength(7);
    const today = res.body.earning.find((b: { bucket: string }) => b.bucket === TODAY);
    expect(today).toMatchObject({ completed: 3, credited: 2, pending: 0, withCustomer: 2, earningRate: 0.6667 });
    expect(res.body.whyNot.totals).toEqual({ NO_CUSTOMER: 1 });
    expect(res.body.attach.register).toEqual([
      { id: 'reg-2', name: null, sales: 1, withCustomer: 0, attachRate: 0 },
      { id: 'reg-1', name: 'Front counter', sales: 2, withCustomer: 2, attachRate: 1 },
    ]);
    expect(res.body.attach.cashier).toEqual([{ id: closed.user_id, name: 'Alex Martin', sales: 3, withCustomer: 2, attachRate: 0.6667 }]);
    expect(res.body.attach.outlet).toEqual([{ id: closed.outlet_id, name: 'Main Street', sales: 3, withCustomer: 2, attachRate: 0.6667 }]);
    expect(res.body.points.outstanding).toEqual({ total: 98, pending: 0 });
    expect(res.body.intake.totals).toMatchObject({ webhook: 2, poll: 1 });
    expect(res.body.intake.delay.sales).toBe(3);
  });

  it('by week: buckets start on Monday and are clipped to the window', async () => {
    const res = await request(app)
      .get('/admin/api/merchants/shop/insights?from=2026-11-04&to=2026-11-20&by=week')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.earning.map((b: { bucket: string; from: string; to: string }) => [b.bucket, b.from, b.to])).toEqual([
      ['2026-11-02', '2026-11-04', '2026-11-08'],
      ['2026-11-09', '2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-16', '2026-11-20'],
    ]);
  });

  it('the sales behind a figure: no customer attached on register 2 today', async () => {
    const res = await request(app)
      .get(`/admin/api/merchants/shop/insights/sales?from=${TODAY}&to=${TODAY}&cause=NO_CUSTOMER&registerId=reg-2`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.sales.map((s: { saleId: string; cause: string; firstSeenBy: string }) => [s.saleId, s.cause, s.firstSeenBy])).toEqual([
      ['c', 'NO_CUSTOMER', 'poll'],
    ]);
    expect(res.body.more).toBe(false);
    // Register 2 has no name from Lightspeed: the console shows its id; the cashier and outlet are named.
    expect(res.body.sales[0]).toMatchObject({ registerId: 'reg-2', registerName: null, cashierName: 'Alex Martin', outletName: 'Main Street' });
    expect(res.body.names).toEqual({
      outlet: { [String(closed.outlet_id)]: 'Main Street' },
      register: {},
      cashier: { [String(closed.user_id)]: 'Alex Martin' },
    });
    const named = await request(app)
      .get(`/admin/api/merchants/shop/insights/sales?from=${TODAY}&to=${TODAY}&registerId=reg-1`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(named.body.names.register).toEqual({ 'reg-1': 'Front counter' });
    expect(named.body.sales.map((s: { registerName: string }) => s.registerName)).toEqual(['Front counter', 'Front counter']);
  });

  it('bad windows and causes answer 400 with a stable code', async () => {
    const bad = (q: string) => request(app).get(`/admin/api/merchants/shop/insights${q}`).set('Authorization', `Bearer ${token}`).expect(400);
    expect((await bad('?from=2026-11-20&to=2026-11-01')).body.error.code).toBe('PERIOD_INVALID');
    expect((await bad('?from=2026-11-20')).body.error.code).toBe('PERIOD_INVALID');
    expect((await bad('?from=2026-02-31&to=2026-03-01')).body.error.code).toBe('PERIOD_INVALID');
    expect((await bad('?period=12')).body.error.code).toBe('INVALID_REQUEST');
    expect((await bad('/sales?cause=NOPE')).body.error.code).toBe('INVALID_REQUEST');
  });

  it('the overview across merchants: period figures per merchant, worst first, each merchant seeing only itself', async () => {
    await createXMerchant(ctx.pool, { id: 'quiet', domainPrefix: 'quiet' });
    await createXMerchant(ctx.pool, { id: 'best', domainPrefix: 'best' });
    // A merchant whose every completed sale earned: better than shop (2 of 3), so listed after it.
    await ctx.pool.query(
      `INSERT INTO insight_days (merchant_id, day, cause, sales, with_customer, points, pending, reversed) VALUES ('best', $1, 'CREDITED', 5, 5, 50, 0, 0)`,
      [TODAY],
    );
    const admin = await ctx.token('admin', null);
    const res = await request(app).get('/admin/api/insights/overview?period=7').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.period).toEqual({ days: 7, from: null, to: null });
    expect(res.body.merchants.map((m: { merchantId: string }) => m.merchantId)).toEqual(['shop', 'best', 'quiet']);
    expect(res.body.merchants[0]).toMatchObject({
      completed: 3,
      earning: 2,
      earningRate: 0.6667,
      withCustomer: 2,
      attachRate: 0.6667,
      topCause: { cause: 'NO_CUSTOMER', sales: 1 },
      alerts: { open: 0, acknowledged: 0 },
      to: localDate(new Date().toISOString(), 'America/Montreal'),
    });
    expect(res.body.merchants[2]).toMatchObject({ completed: 0, earningRate: null, topCause: null });
    const own = await request(app).get('/admin/api/insights/overview').set('Authorization', `Bearer ${token}`).expect(200);
    expect(own.body.merchants.map((m: { merchantId: string }) => m.merchantId)).toEqual(['shop']);
    const before = await request(app).get(`/admin/api/insights/overview?from=2026-01-01&to=2026-01-31`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect(before.body.merchants.map((m: { completed: number }) => m.completed)).toEqual([0, 0, 0]);
    const bad = await request(app).get('/admin/api/insights/overview?from=2026-02-01&to=2026-01-01').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(bad.body.error.code).toBe('PERIOD_INVALID');
  });

  it('points withheld by exemptions: the product with its Lightspeed name, most points first, and the sales behind it', async () => {
    const lines = closed.register_sale_products as Array<{ product_id: string }>;
    const [bread, wine] = [lines[0]!.product_id, lines[1]!.product_id];
    await createXMerchant(ctx.pool, { id: 'cellar', domainPrefix: 'cellar' });
    await saveRules(ctx.pool, 'cellar', rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, exemptions: { productIds: [bread, wine] } }), 'test');
    await seedRefs(ctx.pool, 'cellar', { products: [[wine, null, false, undefined, 'Pinot noir 750 ml']] });
    await send('w1', 'reg-1', true, 'webhook', 'cellar');
    await send('w2', 'reg-1', true, 'webhook', 'cellar');
    // No customer: the exemptions withhold nothing (nobody would have earned).
    await send('w3', 'reg-1', false, 'webhook', 'cellar');
    const cellar = await ctx.token('viewer', 'cellar');
    const res = await request(app).get('/admin/api/merchants/cellar/insights/withheld?period=7').set('Authorization', `Bearer ${cellar}`).expect(200);
    // Each sale: 25.40 of wine and 24.00 of bread, both exempt; 49.40 would earn 49, split 25 : 24.
    expect(res.body.exemptions).toEqual([
      { key: `product:${wine}`, kind: 'product', id: wine, name: 'Pinot noir 750 ml', points: 50, sales: 2 },
      { key: `product:${bread}`, kind: 'product', id: bread, name: null, points: 48, sales: 2 },
    ]);
    expect(res.body.total).toEqual({ points: 98 });
    expect(res.body.series.keys).toEqual([`product:${wine}`, `product:${bread}`]);
    expect(res.body.series.rows).toHaveLength(7);
    expect(res.body.series.rows.find((r: { bucket: string }) => r.bucket === TODAY).points).toEqual({ [`product:${wine}`]: 50, [`product:${bread}`]: 48 });
    const list = await request(app)
      .get(`/admin/api/merchants/cellar/insights/sales?period=7&exemptKind=product&exemptId=${wine}`)
      .set('Authorization', `Bearer ${cellar}`)
      .expect(200);
    expect(list.body.sales.map((s: { saleId: string }) => s.saleId).sort()).toEqual(['w1', 'w2']);
    expect(list.body.exemptionName).toBe('Pinot noir 750 ml');
    // Another merchant's people do not see it (the wall), and a bad kind is refused with a stable code.
    await request(app).get('/admin/api/merchants/cellar/insights/withheld').set('Authorization', `Bearer ${token}`).expect(404);
    const bad = await request(app)
      .get('/admin/api/merchants/cellar/insights/sales?exemptKind=tender&exemptId=x')
      .set('Authorization', `Bearer ${cellar}`)
      .expect(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
  });
});
