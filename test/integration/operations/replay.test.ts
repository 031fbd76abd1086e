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

// Finding 12: a failed event stayed failed forever. Now: a Lightspeed 4xx (may heal) gets a retry time,
// support replays it (one or by filter), and new credentials make a merchant's failed events due at once.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let admin: string;
let support: string;
let viewer: string;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const KIBBLE = '0adaafb3-6583-11e5-fb60-050b7e8f0a01';
const TREE = '0adaafb3-6583-11e5-fb60-050b7e8f0a02';
const BASE = 'http://replay-api.test';

const event = async (merchantId: string) =>
  (
    await ctx.pool.query(`SELECT id::int, status, retry_at, last_error, processed_at FROM sale_events WHERE merchant_id = $1 ORDER BY id DESC LIMIT 1`, [
      merchantId,
    ])
  ).rows[0];
const credited = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT count(*)::int AS n, coalesce(sum(points), 0)::int AS points FROM ledger_entries WHERE merchant_id = $1`, [merchantId])).rows[0];

async function failingMerchant(id: string): Promise<number> {
  await createXMerchant(ctx.pool, { id, domainPrefix: id, apiBaseUrl: BASE });
  await seedRefs(ctx.pool, id, { categories: [['food', 'Food', null]], products: [[TREE, null, false]] });
  await request(app)
    .put(`/admin/api/merchants/${id}/rules`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ autoRewards: { enabled: true, startDate: '2026-01-01' } })
    .expect(201);
  // The product lookup is refused (a 403: the app lacks a scope, say): a failure that may heal.
  const refused = nock(BASE).get(`/api/2.0/products/${KIBBLE}`).reply(403, { error: 'forbidden' });
  await deliver(app, id, closed, { secret: SECRET }).expect(200);
  const failed = await waitFor(
    async () => {
      const e = await event(id);
      return e?.status === 'failed' ? e : null;
    },
    15_000,
    `event of ${id} failed`,
  );
  expect(refused.isDone()).toBe(true);
  return failed.id as number;
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  support = await ctx.token('support');
  viewer = await ctx.token('viewer');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  workers = await startWorkers(ctx, { concurrency: 2 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('failed events: retried later, replayed by support, re-queued on new credentials', () => {
  it('a Lightspeed 4xx fails the event with a retry time hours away; support replays it once the cause is fixed and it is credited once', async () => {
    const eventId = await failingMerchant('r1');
    const failed = await event('r1');
    expect(failed.last_error).toMatch(/403/);
    expect(new Date(failed.retry_at).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    const list = await request(app).get('/admin/api/merchants/r1/events?status=failed').set('Authorization', `Bearer ${viewer}`).expect(200);
    expect(list.body.map((e: Json) => e.id)).toEqual([eventId]);
    // A viewer reads but may not replay.
    expect((await request(app).post(`/admin/api/merchants/r1/events/${eventId}/replay`).set('Authorization', `Bearer ${viewer}`)).status).toBe(403);

    nock(BASE)
      .persist()
      .get(`/api/2.0/products/${KIBBLE}`)
      .reply(200, { data: { id: KIBBLE, name: 'Kibble', product_category: { id: 'food' } } });
    const res = await request(app).post(`/admin/api/merchants/r1/events/${eventId}/replay`).set('Authorization', `Bearer ${support}`).expect(200);
    expect(res.body).toEqual({ replayed: 1 });
    await waitFor(async () => (await event('r1')).processed_at, 15_000, 'replayed event done');
    const after = await credited('r1');
    expect(after.n).toBe(1);
    expect(after.points).toBeGreaterThan(0);
    // Replaying a done event is refused, and credits nothing more.
    expect((await request(app).post(`/admin/api/merchants/r1/events/${eventId}/replay`).set('Authorization', `Bearer ${support}`)).status).toBe(409);
    expect(await credited('r1')).toEqual(after);
    const audit = await ctx.pool.query(`SELECT actor, action FROM audit_log WHERE merchant_id = 'r1' AND action = 'events.replay'`);
    expect(audit.rows).toHaveLength(1);
    nock.cleanAll();
  });

  it("new credentials make the merchant's failed events due now, and the sweep re-runs them", async () => {
    await failingMerchant('r2');
    nock(BASE)
      .persist()
      .get(`/api/2.0/products/${KIBBLE}`)
      .reply(200, { data: { id: KIBBLE, name: 'Kibble', product_category: { id: 'food' } } });
    await request(app)
      .patch('/admin/api/merchants/r2')
      .set('Authorization', `Bearer ${admin}`)
      .send({ credentials: { accessToken: 'new-access-token' } })
      .expect(200);
    await waitFor(async () => (await event('r2')).processed_at, 15_000, 'event done after new credentials');
    expect((await credited('r2')).n).toBe(1);
    nock.cleanAll();
  });

  it('a bulk replay by filter takes only the matching failed events of that merchant', async () => {
    await failingMerchant('r3');
    const other = await ctx.token('support', 'r1');
    // Another merchant's scoped person cannot reach r3's events.
    expect((await request(app).post('/admin/api/merchants/r3/events/replay').set('Authorization', `Bearer ${other}`).send({})).status).toBe(404);
    const none = await request(app)
      .post('/admin/api/merchants/r3/events/replay')
      .set('Authorization', `Bearer ${support}`)
      .send({ errorContains: 'no such text' })
      .expect(200);
    expect(none.body).toEqual({ replayed: 0 });
    nock(BASE)
      .persist()
      .get(`/api/2.0/products/${KIBBLE}`)
      .reply(200, { data: { id: KIBBLE, name: 'Kibble', product_category: { id: 'food' } } });
    const res = await request(app)
      .post('/admin/api/merchants/r3/events/replay')
      .set('Authorization', `Bearer ${support}`)
      .send({ errorContains: '403' })
      .expect(200);
    expect(res.body).toEqual({ replayed: 1 });
    await waitFor(async () => (await event('r3')).processed_at, 15_000, 'bulk-replayed event done');
    expect((await credited('r3')).n).toBe(1);
    expect((await request(app).post('/admin/api/merchants/r3/events/replay').set('Authorization', `Bearer ${support}`).send({ status: 'bogus' })).status).toBe(
      400,
    );
  });
});
