import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';

// "Request rewards" from the sale page is a re-evaluation support may ask for more than once: after the
// cause of "no points" is fixed (here the customer's group, excluded by the rules), asking again must
// evaluate the sale again, even though BullMQ still keeps the first, finished re-evaluation job.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let admin: string;
let support: string;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const SALE = closed.id as string;
const GROUP = '0adaafb3-6583-11e5-fb60-050b7e8c0001';
const KIBBLE = '0adaafb3-6583-11e5-fb60-050b7e8f0a01';
const TREE = '0adaafb3-6583-11e5-fb60-050b7e8f0a02';
const BASE = 'http://x-api.test';
const ID = 'acme';

const putRules = (rules: Json) =>
  request(app)
    .put(`/admin/api/merchants/${ID}/rules`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ autoRewards: { enabled: true, startDate: '2026-01-01' }, ...rules })
    .expect(201);
const requestRewards = () => request(app).post(`/admin/api/merchants/${ID}/sales/${SALE}/rewards`).set('Authorization', `Bearer ${support}`);
const decisions = async () =>
  ((await request(app).get(`/admin/api/merchants/${ID}/sales/${SALE}`).set('Authorization', `Bearer ${support}`).expect(200)).body.decisions as Json[]).filter(
    (d) => d.applied,
  );

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  support = await ctx.token('support');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock(BASE)
    .persist()
    .get(`/api/2.0/products/${KIBBLE}`)
    .reply(200, { data: { id: KIBBLE, name: 'Grain-free kibble', product_category: { id: 'food' } } });
  await createXMerchant(ctx.pool, { id: ID, domainPrefix: ID, apiBaseUrl: BASE });
  await seedRefs(ctx.pool, ID, { categories: [['food', 'Food', null]], segments: [[GROUP, 'Wholesale']], products: [[TREE, null, false]] });
  workers = await startWorkers(ctx, { concurrency: 2 });
});

afterAll(async () => {
  await workers?.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx?.cleanup();
});

describe('request rewards, again', () => {
  it('a sale refused for its customer group is evaluated again on each request, and credited once the rules no longer exclude it', async () => {
    await putRules({ customerSegments: { excluded: [GROUP] } });
    await deliver(app, ID, closed, { secret: SECRET }).expect(200);
    await waitFor(async () => (await decisions()).length === 1, 15_000, 'first decision');
    expect((await decisions())[0]!.status).toBe('none');

    // Asked while the cause is still there: evaluated again, still nothing.
    await requestRewards().expect(201);
    await waitFor(async () => (await decisions()).length === 2, 15_000, 'second decision');
    expect((await decisions()).map((d) => d.status)).toEqual(['none', 'none']);

    // The rules fixed, asked again: the request was recorded already, the evaluation runs anyway.
    await putRules({});
    expect((await requestRewards().expect(200)).body.status).toBe('already requested');
    await waitFor(async () => (await decisions()).length === 3, 15_000, 'third decision');
    expect((await decisions()).map((d) => d.status)).toEqual(['none', 'none', 'credited']);
    const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n, sum(points)::int AS points FROM ledger_entries WHERE merchant_id = $1`, [ID]);
    expect(rows[0]).toEqual({ n: 1, points: 49 });
  }, 60_000);
});
