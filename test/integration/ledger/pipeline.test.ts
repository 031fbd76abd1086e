import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { releaseDue } from '../../../src/ledger/release.js';
import { routeTable } from '../../../src/routes.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let admin: string;
let support: string;

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const voided = fixture<Json>('lightspeed/x/sale-voided.json');
const returned = fixture<Json>('lightspeed/x/sale-return.json');
const SALE = closed.id as string;
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';
const GROUP = '0adaafb3-6583-11e5-fb60-050b7e8c0001';
const KIBBLE = '0adaafb3-6583-11e5-fb60-050b7e8f0a01';
const TREE = '0adaafb3-6583-11e5-fb60-050b7e8f0a02';
const BASE = 'http://x-api.test';

let n = 0;
/** A fresh merchant per test, with rules that start before the fixtures' dates. */
async function merchant(rules: Json = {}): Promise<string> {
  n += 1;
  const id = `m${n}`;
  await createXMerchant(ctx.pool, { id, domainPrefix: id, apiBaseUrl: BASE });
  await seedRefs(ctx.pool, id, {
    categories: [
      ['dog', 'Dog', null],
      ['food', 'Food', 'dog'],
    ],
    segments: [[GROUP, 'Wholesale']],
    products: [[TREE, null, false]],
  });
  await request(app)
    .put(`/admin/api/merchants/${id}/rules`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ autoRewards: { enabled: true, startDate: '2026-01-01' }, ...rules })
    .expect(201);
  return id;
}

const send = (id: string, payload: Json) => deliver(app, id, payload, { secret: SECRET }).expect(200);
const view = async (id: string, saleId = SALE) =>
  (await request(app).get(`/admin/api/merchants/${id}/sales/${saleId}`).set('Authorization', `Bearer ${support}`)).body;
const customer = async (id: string) => (await request(app).get(`/admin/api/merchants/${id}/customers/${JANE}`).set('Authorization', `Bearer ${support}`)).body;
const settled = (id: string) =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = $1 AND processed_at IS NULL AND status <> 'waiting'`,
        [id],
      );
      return rows[0].n === 0;
    },
    15_000,
    `inbox of ${id} processed`,
  );
const lastDecision = async (id: string, saleId = SALE) => {
  const v = await view(id, saleId);
  return v.decisions.filter((d: Json) => d.applied).at(-1);
};

beforeAll(async () => {
  ctx = await createTestContext({ RELEASE_BUCKET_MS: 1000 });
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  support = await ctx.token('support');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // The kibble's category is not in the payload: the worker asks Lightspeed once per merchant.
  nock(BASE)
    .persist()
    .get(`/api/2.0/products/${KIBBLE}`)
    .reply(200, { data: { id: KIBBLE, name: 'Grain-free kibble', product_category: { id: 'food' } } });
  workers = await startWorkers(ctx, { concurrency: 4 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('webhook in, points out', () => {
  it('credits 24.00 + 25.40 = 49.40 → 49 points to Jane, with the reason in the sale view', async () => {
    const id = await merchant();
    await send(id, closed);
    await settled(id);
    expect(await customer(id)).toMatchObject({ available: 49, pending: 0, email: 'jane.doe@example.com', mobile: '+15145550142' });
    const v = await view(id);
    expect(v.decisions).toHaveLength(1);
    expect(v.decisions[0]).toMatchObject({ status: 'credited', points: 49, rulesVersion: 1, reasons: [{ code: 'CREDITED' }] });
    expect(v.ledger).toMatchObject([{ kind: 'earn', points: 49, status: 'posted', customerId: JANE }]);
  });

  it('the same delivery three times credits once', async () => {
    const id = await merchant();
    await Promise.all([send(id, closed), send(id, closed), send(id, closed)]);
    await settled(id);
    expect((await customer(id)).available).toBe(49);
    expect((await view(id)).ledger).toHaveLength(1);
  });
});

describe('each cause of "no points" is explained', () => {
  it("customer group 'Wholesale' excluded", async () => {
    const id = await merchant({ customerSegments: { excluded: [GROUP] } });
    await send(id, closed);
    await settled(id);
    const d = await lastDecision(id);
    expect(d).toMatchObject({ status: 'none', points: 0 });
    expect(d.reasons[0]).toMatchObject({ code: 'CUSTOMER_SEGMENT_EXCLUDED' });
    expect(d.reasons[0].message).toContain("customer group 0adaafb3-6583-11e5-fb60-050b7e8c0001 'Wholesale' is excluded by rules v1");
  });

  it("exempt category 'Dog' covers the kibble (Dog > Food): only the 25.40 cat tree earns", async () => {
    const id = await merchant({ exemptions: { categoryIds: ['dog'] } });
    await send(id, closed);
    await settled(id);
    const d = await lastDecision(id);
    expect(d.points).toBe(25);
    expect(d.reasons.map((r: Json) => r.code)).toEqual(['LINE_CATEGORY_EXEMPT', 'CREDITED']);
    expect(d.reasons[0].message).toContain("category dog 'Dog'");
  });

  it('autorewards off: nothing until the rewards button, then credited', async () => {
    const id = await merchant({ autoRewards: { enabled: false } });
    await send(id, closed);
    await settled(id);
    expect((await lastDecision(id)).reasons[0].code).toBe('AWAITING_REWARDS_BUTTON');
    const viewer = await ctx.token('viewer');
    await request(app).post(`/admin/api/merchants/${id}/sales/${SALE}/rewards`).set('Authorization', `Bearer ${viewer}`).expect(403);
    await request(app).post(`/admin/api/merchants/${id}/sales/${SALE}/rewards`).set('Authorization', `Bearer ${support}`).expect(201);
    await waitFor(async () => (await customer(id)).available === 49, 15_000, 'credit after the button');
    // The re-evaluation is named like a sale job (merchant, sale id, receipt), so an admin finds it on bull-board.
    const jobs = await ctx.queues.sales.getJobs(['completed', 'active', 'waiting', 'failed']);
    expect(jobs.filter((j) => j.name.startsWith('reevaluate')).map((j) => j.name)).toEqual([`reevaluate ${id} ${SALE} #1042`]);
    const v = await view(id);
    expect(v.rewardsRequest).toMatchObject({ source: 'api' });
    expect(v.decisions.map((d: Json) => d.status)).toEqual(['none', 'credited']);
  });

  it('the button pressed before the sale arrives also works', async () => {
    const id = await merchant({ autoRewards: { enabled: false } });
    await request(app).post(`/admin/api/merchants/${id}/sales/${SALE}/rewards`).set('Authorization', `Bearer ${support}`).expect(201);
    await send(id, closed);
    await settled(id);
    expect((await customer(id)).available).toBe(49);
  });

  // 3650 days, so that the date is still ahead of the real clock (the worker evaluates with it): 14 days
  // after the fixture's 2026-11-20 passed on 2026-12-04. Same local time in Montreal, 10 years later.
  it('delay 3650 days: pending with the date, released after moving time', async () => {
    const id = await merchant({ delayDays: 3650 });
    await send(id, closed);
    await settled(id);
    expect(await customer(id)).toMatchObject({ available: 0, pending: 49 });
    const d = await lastDecision(id);
    expect(d).toMatchObject({ status: 'pending', availableAt: '2036-11-17T17:03:07.000Z' });
    expect(d.reasons[0]).toMatchObject({ code: 'PENDING_UNTIL' });
    expect(await releaseDue(ctx.pool, id, new Date('2036-11-17T17:03:06Z'))).toBe(0);
    expect(await releaseDue(ctx.pool, id, new Date('2036-11-17T17:03:08Z'))).toBe(1);
    expect(await releaseDue(ctx.pool, id, new Date('2036-11-18T00:00:00Z'))).toBe(0);
    expect(await customer(id)).toMatchObject({ available: 49, pending: 0 });
  });
});

describe('versions, voids and returns', () => {
  it('out of order: the void arrives before the closed version; the closed one is stale and nothing is credited', async () => {
    const id = await merchant();
    await send(id, voided);
    await settled(id);
    await send(id, closed);
    await settled(id);
    expect((await customer(id).catch(() => null))?.available ?? 0).toBe(0);
    const v = await view(id);
    expect(v.decisions.map((d: Json) => (d.reasons as Json[])[0]!.code)).toEqual(['SALE_VOIDED', 'STALE_VERSION']);
    expect(v.ledger).toEqual([]);
  });

  it('void after credit reverses exactly what was credited', async () => {
    const id = await merchant();
    await send(id, closed);
    await settled(id);
    await send(id, voided);
    await settled(id);
    expect((await customer(id)).available).toBe(0);
    const v = await view(id);
    expect((await lastDecision(id)).reasons[0].code).toBe('VOID_REVERSED');
    expect(v.ledger.map((e: Json) => [e.kind, e.points])).toEqual([
      ['earn', 49],
      ['reverse', -49],
    ]);
  });

  it('two partial returns of the kibble (2 units, 24 points) reverse 12 and 12', async () => {
    const id = await merchant();
    await send(id, closed);
    await settled(id);
    await send(id, returned);
    await settled(id);
    expect((await customer(id)).available).toBe(37);
    await send(id, { ...returned, id: 'second-return', register_sale_products: [{ ...(returned.register_sale_products as Json[])[0], id: 'li-r2' }] });
    await settled(id);
    expect((await customer(id)).available).toBe(25);
    // A third return of the same line finds nothing left to reverse.
    await send(id, { ...returned, id: 'third-return' });
    await settled(id);
    expect((await customer(id)).available).toBe(25);
    const r = await lastDecision(id, returned.id as string);
    expect(r).toMatchObject({ status: 'reversed', points: -12 });
    expect(r.reasons[0].code).toBe('RETURN_REVERSED');
  });

  it('a void after a partial return reverses only what the return left: 49 − 12 − 37 = 0, never below', async () => {
    const id = await merchant();
    await send(id, closed);
    await settled(id);
    await send(id, returned);
    await settled(id);
    expect((await customer(id)).available).toBe(37);
    await send(id, voided);
    await settled(id);
    expect((await customer(id)).available).toBe(0);
    const d = await lastDecision(id);
    expect(d).toMatchObject({ status: 'reversed', points: 12 });
    expect(d.reasons[0]).toMatchObject({ code: 'VOID_REVERSED', data: { points: -37, alreadyReturned: 12 } });
    // A return arriving after the void finds nothing left to take back.
    await send(id, { ...returned, id: 'late-return', register_sale_products: [{ ...(returned.register_sale_products as Json[])[0], id: 'li-r9' }] });
    await settled(id);
    expect((await customer(id)).available).toBe(0);
  });

  it('a return while points are pending reduces the pending points, never the available balance', async () => {
    // Far enough ahead of the real clock that the points are still pending when the worker decides.
    const id = await merchant({ delayDays: 3650 });
    await send(id, closed);
    await settled(id);
    await send(id, returned);
    await settled(id);
    expect(await customer(id)).toMatchObject({ available: 0, pending: 37 });
    await releaseDue(ctx.pool, id, new Date('2037-01-01T00:00:00Z'));
    expect(await customer(id)).toMatchObject({ available: 37, pending: 0 });
  });
});

describe('support view and adjustments', () => {
  it('a sale never seen answers 404 with a hint', async () => {
    const id = await merchant();
    const res = await request(app).get(`/admin/api/merchants/${id}/sales/nope`).set('Authorization', `Bearer ${support}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SALE_NOT_SEEN');
    expect(res.body.error.message).toContain('not been received');
  });

  it('an admin adjusts with a mandatory reason, named after the acting token; support may not', async () => {
    const id = await merchant();
    await send(id, closed);
    await settled(id);
    const path = `/admin/api/merchants/${id}/customers/${JANE}/adjustments`;
    await request(app).post(path).set('Authorization', `Bearer ${support}`).send({ points: 10, reason: 'goodwill' }).expect(403);
    await request(app).post(path).set('Authorization', `Bearer ${admin}`).send({ points: 10 }).expect(400);
    const res = await request(app)
      .post(path)
      .set('Authorization', `Bearer ${admin}`)
      .send({ points: -5, reason: 'typo at the till', idempotencyKey: 'adj-0001' });
    expect(res.status).toBe(201);
    await request(app)
      .post(path)
      .set('Authorization', `Bearer ${admin}`)
      .send({ points: -5, reason: 'typo at the till', idempotencyKey: 'adj-0001' })
      .expect(200);
    expect(res.body.available).toBe(44);
    expect((await customer(id)).entries[0]).toMatchObject({ kind: 'adjust', points: -5, note: 'typo at the till', actor: 'admin-1' });
  });

  it('rules: PUT creates a new version, validates, and only an admin may', async () => {
    const id = await merchant();
    await request(app).put(`/admin/api/merchants/${id}/rules`).set('Authorization', `Bearer ${support}`).send({}).expect(403);
    const bad = await request(app)
      .put(`/admin/api/merchants/${id}/rules`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ earn: { stepAmount: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('earn.stepAmount');
    const ok = await request(app).put(`/admin/api/merchants/${id}/rules`).set('Authorization', `Bearer ${admin}`).send({ delayDays: 3 });
    expect(ok.body).toMatchObject({ version: 2, delayDays: 3 });
    expect((await request(app).get(`/admin/api/merchants/${id}/rules`).set('Authorization', `Bearer ${support}`)).body.version).toBe(2);
  });
});
