import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { routeTable } from '../../../src/routes.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';

let ctx: TestContext;
let workers: RunningWorkers;
const BASE = 'http://r-api.test';
const R = '/API/V3/Account/12345';
type Json = Record<string, unknown>;

beforeAll(async () => {
  // Polls here are the ones the test queues: the merchant's scheduled poll, spread over the interval,
  // falls a day away instead of somewhere inside the test.
  ctx = await createTestContext({ R_POLL_EVERY_MS: 24 * 3_600_000 });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await createRMerchant(ctx.pool, { apiBaseUrl: BASE });
  await saveRules(ctx.pool, 'rpets', rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
  nock(BASE).persist().get(`${R}/Category.json`).query(true).reply(200, fixture('lightspeed/r/categories.json'));
  nock(BASE).persist().get(`${R}/CustomerType.json`).query(true).reply(200, fixture('lightspeed/r/customer-types.json'));
  workers = await startWorkers(ctx, { concurrency: 2 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});

const balance = async () =>
  (await ctx.pool.query(`SELECT available::int FROM customers WHERE merchant_id = 'rpets' AND customer_id = '877'`)).rows[0]?.available;

describe('an R-Series merchant without webhooks', () => {
  it('gets its completed sales into the inbox by polling, credited: 75.00 → 75 points; a refund of one kibble takes 19 back', async () => {
    const sale = fixture<{ Sale: Json }>('lightspeed/r/sale-completed.json').Sale;
    const refund = fixture<{ Sale: Json }>('lightspeed/r/sale-refund.json').Sale;
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query(true)
      .reply(200, { '@attributes': { next: '' }, Sale: sale });
    await ctx.queues.poll.add('poll', { merchantId: 'rpets' });
    await waitFor(async () => (await balance()) === 75, 15_000, 'the polled sale to be credited');

    nock(BASE)
      .get(`${R}/Sale.json`)
      .query(true)
      .reply(200, { '@attributes': { next: '' }, Sale: [refund] });
    await ctx.queues.poll.add('poll', { merchantId: 'rpets' });
    // Line 90001 earned 38 of the 75 points (37.50 of 75.00, the odd point by largest remainder); half of it comes back.
    await waitFor(async () => (await balance()) === 56, 15_000, 'the refund to be reversed');

    const admin = await ctx.token('viewer');
    const view = await request(createApp(ctx, routeTable(ctx)))
      .get('/admin/api/merchants/rpets/sales/51290')
      .set('Authorization', `Bearer ${admin}`);
    expect(view.body.current).toMatchObject({ points: -19, originalSaleId: '51234' });
    expect(view.body.decisions.at(-1).reasons[0]).toMatchObject({ code: 'RETURN_REVERSED' });
    const merchant = await request(createApp(ctx, routeTable(ctx)))
      .get('/admin/api/merchants/rpets')
      .set('Authorization', `Bearer ${admin}`);
    expect(merchant.body.polling).toMatchObject({ salesFound: 2, flagged: false, lastError: null });
  });
});
