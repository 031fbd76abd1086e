import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant, SECRET, seedOutlets } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';

// Lightspeed's own published example payloads (test/fixtures/lightspeed/published, copied unchanged from
// ../shared/fixtures/lightspeed/published) through the real intake: X by the signed webhook route, R by
// the poll path against nock. Each is accepted, decided and explained; none is dropped.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let viewer: string;
type Json = Record<string, unknown>;

const X_BASE = 'http://x-published.test';
const R_BASE = 'http://r-published.test';
const R = '/API/V3/Account/12345';
const RULES = { autoRewards: { enabled: true, startDate: '2000-01-01' } };

const xExample = fixture<Json>('lightspeed/published/x-sale-update-docs-example.json');
const rExamples = ['r-sale-277-tutorial.json', 'r-sale-195-gift-card-tutorial.json', 'r-sale-10-display-template.json'].map(
  (name) => fixture<{ Sale: Json }>(`lightspeed/published/${name}`).Sale,
);

const get = (path: string) => request(app).get(`/admin/api${path}`).set('Authorization', `Bearer ${viewer}`);
const settled = (merchantId: string, count: number) =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE processed_at IS NOT NULL OR status = 'failed')::int AS done FROM sale_events WHERE merchant_id = $1`,
        [merchantId],
      );
      return rows[0].total >= count && rows[0].done === rows[0].total;
    },
    20_000,
    `${count} sale versions of ${merchantId} decided or failed`,
  );
const decisions = async (merchantId: string, saleId: string) =>
  (await get(`/merchants/${merchantId}/sales/${encodeURIComponent(saleId)}`).expect(200)).body.decisions;

beforeAll(async () => {
  ctx = await createTestContext({ R_POLL_EVERY_MS: 24 * 3_600_000, X_POLL_EVERY_MS: 24 * 3_600_000 });
  app = createApp(ctx, routeTable(ctx));
  viewer = await ctx.token('viewer');
  const admin = await ctx.token('admin');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // Products the X example names: their category is asked once; these have none.
  nock(X_BASE)
    .persist()
    .get(/\/api\/2\.0\/products\/.+/)
    .reply(200, (uri) => ({ data: { id: uri.split('/').pop(), name: 'Product' } }));
  nock(R_BASE).persist().get(`${R}/Category.json`).query(true).reply(200, fixture('lightspeed/r/categories.json'));
  nock(R_BASE).persist().get(`${R}/CustomerType.json`).query(true).reply(200, fixture('lightspeed/r/customer-types.json'));
  await createXMerchant(ctx.pool, { id: 'xpub', domainPrefix: 'xpub', apiBaseUrl: X_BASE });
  // Deliveries are bound to the merchant by register (the published example names no outlet): this store's.
  await seedOutlets(ctx.pool, 'xpub', [], [xExample.register_id as string]);
  await createRMerchant(ctx.pool, { id: 'rpub', apiBaseUrl: R_BASE });
  for (const id of ['xpub', 'rpub']) await request(app).put(`/admin/api/merchants/${id}/rules`).set('Authorization', `Bearer ${admin}`).send(RULES).expect(201);
  workers = await startWorkers(ctx, { concurrency: 2 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('X-Series: the published sale.update example, by the webhook route', () => {
  it('as published (a WALKIN customer): accepted, decided, explained: nobody to credit', async () => {
    await deliver(app, 'xpub', xExample, { secret: SECRET }).expect(200);
    await settled('xpub', 1);
    const [d] = await decisions('xpub', xExample.id as string);
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(d.reasons.map((r: Json) => r.code)).toEqual(['NO_CUSTOMER']);
  });

  it('the same sale for a named customer with enable_loyalty false earns by default: 63.47826 before tax → 63 points', async () => {
    const named = {
      ...xExample,
      id: 'published-named',
      customer: { ...(xExample.customer as Json), customer_code: 'JANE', email: 'jane@example.com' },
    };
    await deliver(app, 'xpub', named, { secret: SECRET }).expect(200);
    await settled('xpub', 2);
    const [d] = await decisions('xpub', 'published-named');
    expect(d).toMatchObject({ status: 'credited', points: 63, base: 6348 });
    expect(d.reasons.map((r: Json) => r.code)).toEqual(['CREDITED']);
  });
});

describe('R-Series: the published sales, by the poll path', () => {
  it('each is stored, decided and explained, the tutorial sale spelled updateTime included; a sale with no readable change time is recorded as failed, not dropped', async () => {
    const unreadable = { ...rExamples[0]!, saleID: '9999', updateTime: 'not a time', timeStamp: undefined, updatetime: undefined };
    nock(R_BASE)
      .get(`${R}/Sale.json`)
      .query(true)
      .reply(200, { '@attributes': { next: '', count: '4' }, Sale: [...rExamples, unreadable] });
    await ctx.queues.poll.add('poll', { merchantId: 'rpub' });
    await settled('rpub', 4);

    for (const sale of rExamples) {
      const found = await decisions('rpub', sale.saleID as string);
      expect(found.length, `sale ${String(sale.saleID)} decided`).toBeGreaterThan(0);
      expect(found.at(-1).reasons.length, `sale ${String(sale.saleID)} explained`).toBeGreaterThan(0);
    }
    const { rows } = await ctx.pool.query(`SELECT version::float8 AS version FROM sale_events WHERE merchant_id = 'rpub' AND sale_id = '277'`);
    expect(rows).toEqual([{ version: Date.parse('2016-11-10T13:51:54+00:00') }]);

    const failed = (await get('/merchants/rpub/events?status=failed').expect(200)).body;
    expect(failed).toMatchObject([{ saleId: '9999', status: 'failed' }]);
    expect(failed[0].lastError).toContain('no readable change time');
  });
});
