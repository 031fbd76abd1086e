import type { Job } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import type { Merchant } from '../../../src/merchants/store/schema.js';
import { getPollState } from '../../../src/polling/store/pollState.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { routeTable } from '../../../src/routes.js';
import { FakeLightspeed } from '../../../tools/fake-lightspeed/index.js';
import { processPollJob } from '../../../workers/pollJobs.js';
import { startWorkers } from '../../../workers/index.js';
import { createTestContext, deleteKeys, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Issue 23 item 1: with the account's bucket held near full by someone else (another app, the sales
 * workers), a poll run used to end at the first full bucket and the next one started again at the
 * cursor minus its overlap: a busy store got the same first page forever. The fake's bucket drips fast
 * (2/s) so the waits are short; what is checked is which sales arrive, never how long it took.
 */
let ctx: TestContext;
const fake = new FakeLightspeed({ dripPerSec: 2 });
const SALES = 300;
type Json = Record<string, unknown>;
const sale = fixture<{ Sale: Json }>('lightspeed/r/sale-completed.json').Sale;

let neighbour: NodeJS.Timeout | undefined;
/** Another consumer of the account: keeps the fake's bucket at 88 of 90, leaving room for one call at a time. */
function holdBucketNearFull() {
  neighbour = setInterval(() => {
    const bucket = fake.r('12345').bucket;
    for (let i = 0; i < 100; i += 1) {
      const level = Number(bucket.admit(0).headers['X-LS-API-Bucket-Level']!.split('/')[0]);
      if (level >= 88) break;
      bucket.admit(1);
    }
  }, 5);
}

const pollJob = { name: 'poll', id: 'poll-1', data: { merchantId: 'rpets' }, updateData: async () => {} } as unknown as Job;
const pollDeps = (rateWaitBudgetMs?: number) => ({
  ctx,
  clientFor: (m: Merchant) => new LightspeedClient(m, { db: ctx.pool, redis: ctx.redis, config: ctx.config }),
  ...(rateWaitBudgetMs === undefined ? {} : { rateWaitBudgetMs }),
});
const inboxSales = async () =>
  Number((await ctx.pool.query(`SELECT count(DISTINCT sale_id)::int AS n FROM sale_events WHERE merchant_id = 'rpets'`)).rows[0].n);

beforeAll(async () => {
  ctx = await createTestContext({ R_POLL_EVERY_MS: 24 * 3_600_000 });
  await fake.start();
});
beforeEach(async () => {
  clearInterval(neighbour);
  await ctx.pool.query('DELETE FROM merchants');
  await ctx.queues.sales.obliterate({ force: true });
  await deleteKeys(ctx.config.REDIS_URL, `${ctx.config.QUEUE_PREFIX}:ratelimit`);
  fake.configure({ dripPerSec: 2 });
  await createRMerchant(ctx.pool, { apiBaseUrl: fake.apiBaseUrl('r') });
  await saveRules(ctx.pool, 'rpets', rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
  // 300 sales updated within the last 15 s: all inside the poll's one-minute overlap.
  const start = Date.now() - 20_000;
  for (let i = 0; i < SALES; i += 1)
    fake.r('12345').putSale({ ...sale, saleID: String(60_000 + i), ticketNumber: String(60_000 + i), updatetime: new Date(start + i * 50).toISOString() });
  holdBucketNearFull();
});
afterAll(async () => {
  clearInterval(neighbour);
  await fake.stop();
  await ctx.cleanup();
});

describe('R-Series polling with the bucket held near full', () => {
  it('stores every sale in three scheduled runs (each waits for the bucket) and reports no error; the workers credit every sale', async () => {
    for (let run = 0; run < 3; run += 1) await processPollJob(pollDeps(), pollJob);
    clearInterval(neighbour);
    expect(await inboxSales()).toBe(SALES);
    expect(fake.stats.status429).toBe(0);
    expect(await getPollState(ctx.pool, 'rpets')).toMatchObject({ lastError: null, flagged: false, salesFound: SALES });

    const workers = await startWorkers(ctx, { concurrency: 2 });
    try {
      const balance = async () =>
        (await ctx.pool.query(`SELECT available::int FROM customers WHERE merchant_id = 'rpets' AND customer_id = '877'`)).rows[0]?.available;
      await waitFor(async () => (await balance()) === SALES * 75, 60_000, 'every polled sale to be credited (75 points each)');
    } finally {
      await workers.close(5_000);
    }
  });

  it('says on the merchant view that polling is not keeping up when a run cannot wait long enough, and clears it once a run completes', async () => {
    await processPollJob(pollDeps(0), pollJob);
    const admin = await ctx.token('viewer');
    const view = async () =>
      (
        await request(createApp(ctx, routeTable(ctx)))
          .get('/admin/api/merchants/rpets')
          .set('Authorization', `Bearer ${admin}`)
      ).body.polling;
    expect((await view()).lastError).toMatch(/^polling is not keeping up: the Lightspeed rate limit ended the run/);
    expect((await view()).flagged).toBe(false);
    await processPollJob(pollDeps(), pollJob);
    expect(await inboxSales()).toBe(SALES);
    expect((await view()).lastError).toBeNull();
  });
});
