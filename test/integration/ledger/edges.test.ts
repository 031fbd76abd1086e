import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createRMerchant, createXMerchant, SECRET } from '../../helpers/merchants.js';
import { routeTable } from '../../../src/routes.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';
import { ANN, BOB, rSale, xSale, type XSale } from '../../helpers/ledgerSales.js';

/**
 * The ledger's edges (issue 30 items 2-4), through the real intake: X-Series webhooks, R-Series polls.
 * Points are 1 per 1.00: the original sells a 20.00 item and a 60.00 one (80 points).
 */
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let admin: string;
let support: string;
type Json = Record<string, unknown>;

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let n = 0;
async function rules(id: string, extra: Json) {
  await request(app)
    .put(`/admin/api/merchants/${id}/rules`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ autoRewards: { enabled: true, startDate: '2026-01-01' }, ...extra })
    .expect(201);
}
const balance = async (id: string, customerId: string) => {
  const res = await request(app).get(`/admin/api/merchants/${id}/customers/${customerId}`).set('Authorization', `Bearer ${support}`);
  return res.status === 404 ? { available: 0, pending: 0, entries: [] } : res.body;
};
const both = async (id: string, customerId: string) => {
  const { available, pending } = await balance(id, customerId);
  return { available, pending };
};
const view = async (id: string, saleId: string) =>
  (await request(app).get(`/admin/api/merchants/${id}/sales/${saleId}`).set('Authorization', `Bearer ${support}`)).body;
const lastDecision = async (id: string, saleId: string) => (await view(id, saleId)).decisions.filter((d: Json) => d.applied).at(-1);
const settled = (id: string) =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = $1 AND processed_at IS NULL AND status <> 'waiting'`,
        [id],
      );
      return rows[0].n === 0;
    },
    20_000,
    `inbox of ${id} processed`,
  );

// ---- X-Series: signed sale.update webhooks --------------------------------------------------------

const P20 = 'prod-20';
const P60 = 'prod-60';
const P30 = 'prod-30';

async function xMerchant(extra: Json = {}): Promise<string> {
  n += 1;
  const id = `x${n}`;
  await createXMerchant(ctx.pool, { id, domainPrefix: id, apiBaseUrl: 'http://x-api.test' });
  await seedRefs(ctx.pool, id, {
    products: [
      [P20, null, false],
      [P60, null, false],
      [P30, null, false],
    ],
  });
  await rules(id, extra);
  return id;
}

const send = (id: string, payload: Json) => deliver(app, id, payload, { secret: SECRET }).expect(200);

const xOriginal = (date: string, extra: Partial<XSale> = {}) =>
  xSale({
    id: 'orig',
    version: 100,
    date,
    lines: [
      ['o-20', P20, 1, '20.00000'],
      ['o-60', P60, 1, '60.00000'],
    ],
    ...extra,
  });
const xReturnOf20 = (date: string) => xSale({ id: 'ret', version: 200, date, returnFor: 'orig', lines: [['r-20', P20, -1, '-20.00000']] });

describe('X-Series: an exchange during the delay (item 2)', () => {
  it('takes the returned item out of the original as it is (available) and earns the new one on its own schedule; returning the new item gives no free points', async () => {
    const id = await xMerchant({ delayDays: 14 });
    await send(id, xOriginal(ago(20 * DAY)));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 80, pending: 0 });

    // Exchange: the 20.00 item comes back, a 30.00 one goes out.
    await send(
      id,
      xSale({
        id: 'exch',
        version: 300,
        date: ago(DAY),
        returnFor: 'orig',
        lines: [
          ['e-back', P20, -1, '-20.00000'],
          ['e-new', P30, 1, '30.00000'],
        ],
      }),
    );
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 60, pending: 30 });
    const d = await lastDecision(id, 'exch');
    expect(d.reasons.map((r: Json) => r.code)).toEqual(['RETURN_REVERSED', 'PENDING_UNTIL']);
    expect(d.reasons[0].message).toContain('reverses 20 of the 80 points');
    expect(d.reasons[1].message).toContain('30 points are pending');
    const ledger = (await view(id, 'exch')).ledger.map((e: Json) => [e.kind, e.points, e.status]);
    expect(ledger).toHaveLength(2);
    expect(ledger).toEqual(
      expect.arrayContaining([
        ['reverse', -20, 'posted'],
        ['earn', 30, 'pending'],
      ]),
    );

    // The new item comes back within the delay: its 30 pending points go, nothing else.
    await send(id, xSale({ id: 'ret-new', version: 400, date: ago(DAY / 2), returnFor: 'exch', lines: [['rn-1', P30, -1, '-30.00000']] }));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 60, pending: 0 });
    expect((await lastDecision(id, 'ret-new')).reasons[0].message).toContain('reverses 30 of the 30 points');
  });

  it('an exchange of a sale still pending takes the returned item out of the pending points', async () => {
    const id = await xMerchant({ delayDays: 14 });
    await send(id, xOriginal(ago(3 * DAY)));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 80 });
    await send(
      id,
      xSale({
        id: 'exch',
        version: 300,
        date: ago(DAY),
        returnFor: 'orig',
        lines: [
          ['e-back', P20, -1, '-20.00000'],
          ['e-new', P30, 1, '30.00000'],
        ],
      }),
    );
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 90 });
  });
});

describe('X-Series: the original arrives after its return (item 3)', () => {
  it('the original earns and the waiting return is applied to it: 80 − 20 = 60', async () => {
    const id = await xMerchant();
    await send(id, xReturnOf20(ago(DAY)));
    await settled(id);
    expect((await lastDecision(id, 'ret')).reasons[0].message).toContain('reverses nothing');
    await send(id, xOriginal(ago(2 * DAY)));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 60, pending: 0 });
    expect(await lastDecision(id, 'orig')).toMatchObject({ status: 'credited', points: 80 });
    const r = await lastDecision(id, 'ret');
    expect(r).toMatchObject({ status: 'reversed', points: -20 });
    expect(r.reasons[0].message).toContain('reverses 20 of the 80 points');
  });

  it('the same sales in the usual order give the same balance', async () => {
    const id = await xMerchant();
    await send(id, xOriginal(ago(2 * DAY)));
    await settled(id);
    await send(id, xReturnOf20(ago(DAY)));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 60, pending: 0 });
  });
});

describe('X-Series: a changed customer on a completed sale (item 4)', () => {
  it('moves the credited points from A to B once, and both histories and the sale page say so', async () => {
    const id = await xMerchant();
    const at = ago(2 * DAY);
    await send(id, xOriginal(at));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 80, pending: 0 });
    const v2 = xOriginal(at, { version: 101, customer: BOB });
    await send(id, v2);
    await send(id, v2);
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 0 });
    expect(await both(id, BOB)).toEqual({ available: 80, pending: 0 });
    const d = await lastDecision(id, 'orig');
    expect(d).toMatchObject({ customerId: BOB, points: 80 });
    const moved = d.reasons.find((r: Json) => r.code === 'CUSTOMER_CHANGED');
    expect(moved.message).toContain(ANN);
    expect(moved.message).toContain(BOB);
    const ann = (await balance(id, ANN)).entries;
    expect(ann[0]).toMatchObject({ kind: 'reverse', points: -80, status: 'posted' });
    expect(ann[0].note).toContain(BOB);
    const bob = (await balance(id, BOB)).entries;
    expect(bob).toHaveLength(1);
    expect(bob[0]).toMatchObject({ kind: 'earn', points: 80, status: 'posted' });
    expect(bob[0].note).toContain(ANN);
    expect((await view(id, 'orig')).current).toMatchObject({ customerId: BOB });
    // A return afterwards comes out of B's points.
    await send(id, xReturnOf20(ago(DAY)));
    await settled(id);
    expect(await both(id, BOB)).toEqual({ available: 60, pending: 0 });
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 0 });
  });

  it('pending stays pending: B gets the points pending on the same day A had them', async () => {
    const id = await xMerchant({ delayDays: 14 });
    const at = ago(2 * DAY);
    await send(id, xOriginal(at));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 80 });
    await send(id, xOriginal(at, { version: 101, customer: BOB }));
    await settled(id);
    expect(await both(id, ANN)).toEqual({ available: 0, pending: 0 });
    expect(await both(id, BOB)).toEqual({ available: 0, pending: 80 });
    const [annDue] = (await balance(id, ANN)).entries.filter((e: Json) => e.kind === 'earn').map((e: Json) => e.availableAt);
    const [bobDue] = (await balance(id, BOB)).entries.map((e: Json) => e.availableAt);
    expect(bobDue).toBe(annDue);
  });
});

// ---- R-Series: polled sales ------------------------------------------------------------------------

interface RMerchant {
  id: string;
  base: string;
  /** The account's API path. */
  path: string;
}
async function rMerchant(extra: Json = {}): Promise<RMerchant> {
  n += 1;
  const id = `r${n}`;
  const base = `http://r${n}.test`;
  const accountId = String(12_000 + n);
  const path = `/API/V3/Account/${accountId}`;
  await createRMerchant(ctx.pool, { id, accountId, apiBaseUrl: base });
  nock(base)
    .persist()
    .get(`${path}/Category.json`)
    .query(true)
    .reply(200, { '@attributes': { count: '0' } });
  nock(base)
    .persist()
    .get(`${path}/CustomerType.json`)
    .query(true)
    .reply(200, { '@attributes': { count: '0' } });
  await rules(id, extra);
  return { id, base, path };
}

const events = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = $1`, [merchantId])).rows[0].n as number;
async function poll(m: RMerchant, sales: Json[]) {
  const before = await events(m.id);
  nock(m.base)
    .get(`${m.path}/Sale.json`)
    .query(true)
    .reply(200, { '@attributes': { next: '' }, Sale: sales });
  await ctx.queues.poll.add('poll', { merchantId: m.id });
  await waitFor(async () => (await events(m.id)) >= before + sales.length, 20_000, 'the poll to store its sales');
  await settled(m.id);
}

/**
 * An R-Series return met by its original is found just after the later of the two commits (see
 * resolveRefundWaits), so its inbox row can look done for a moment before it reopens: wait for the balance.
 */
const reaches = (merchantId: string, available: number) =>
  waitFor(async () => (await both(merchantId, ANN)).available === available && (await settled(merchantId)), 20_000, `balance ${available}`);

const rOriginal = (time: string, customer = ANN) =>
  rSale({
    id: '5001',
    time,
    customer,
    lines: [
      ['ol-20', '20', 1, 20],
      ['ol-60', '60', 1, 60],
    ],
  });
const rReturnOf20 = (time: string) => rSale({ id: '5002', time, lines: [['rl-20', '20', -1, -20, 'ol-20']] });

describe('R-Series: an exchange during the delay (item 2)', () => {
  it('takes the returned item out of the original as it is and earns the new one on its own schedule', async () => {
    const m = await rMerchant({ delayDays: 14 });
    await poll(m, [rOriginal(ago(20 * DAY))]);
    expect(await both(m.id, ANN)).toEqual({ available: 80, pending: 0 });
    await poll(m, [
      rSale({
        id: '5003',
        time: ago(DAY),
        lines: [
          ['el-back', '20', -1, -20, 'ol-20'],
          ['el-new', '30', 1, 30],
        ],
      }),
    ]);
    expect(await both(m.id, ANN)).toEqual({ available: 60, pending: 30 });
    await poll(m, [rSale({ id: '5004', time: ago(DAY / 2), lines: [['nl-back', '30', -1, -30, 'el-new']] })]);
    expect(await both(m.id, ANN)).toEqual({ available: 60, pending: 0 });
  });
});

describe('R-Series: the original arrives after its return (item 3)', () => {
  it('the original earns and the waiting return is applied to it: 80 − 20 = 60', async () => {
    const m = await rMerchant();
    await poll(m, [rReturnOf20(ago(DAY))]);
    await poll(m, [rOriginal(ago(2 * DAY))]);
    await reaches(m.id, 60);
    expect(await both(m.id, ANN)).toEqual({ available: 60, pending: 0 });
    const r = await lastDecision(m.id, '5002');
    expect(r).toMatchObject({ status: 'reversed', points: -20 });
    expect(r.reasons[0].message).toContain('reverses 20 of the 80 points');
  });

  it('both in one poll page, the return first, give the same balance', async () => {
    const m = await rMerchant();
    await poll(m, [rReturnOf20(ago(DAY)), rOriginal(ago(2 * DAY))]);
    await reaches(m.id, 60);
  });
});

describe('R-Series: a changed customer on a completed sale (item 4)', () => {
  it('moves the points from A to B once, pending stays pending', async () => {
    const m = await rMerchant({ delayDays: 14 });
    const t = Date.now() - 2 * DAY;
    await poll(m, [rOriginal(new Date(t).toISOString())]);
    expect(await both(m.id, ANN)).toEqual({ available: 0, pending: 80 });
    // Version 2: the same sale, changed later, names B.
    const v2 = { ...rOriginal(new Date(t).toISOString(), BOB), updatetime: new Date(t + 60_000).toISOString() };
    await poll(m, [v2]);
    expect(await both(m.id, ANN)).toEqual({ available: 0, pending: 0 });
    expect(await both(m.id, BOB)).toEqual({ available: 0, pending: 80 });
    const d = await lastDecision(m.id, '5001');
    expect(d.reasons.find((r: Json) => r.code === 'CUSTOMER_CHANGED').message).toContain(`customer ${ANN}`);
    expect((await balance(m.id, ANN)).entries[0].note).toContain(BOB);
  });
});

beforeAll(async () => {
  ctx = await createTestContext({ RELEASE_BUCKET_MS: 1000, R_POLL_EVERY_MS: 24 * 3_600_000 });
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  support = await ctx.token('support');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  workers = await startWorkers(ctx, { concurrency: 4 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});
