import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import type { Merchant } from '../../../src/merchants/store/schema.js';
import { pollSales } from '../../../src/polling/pollSales.js';
import { getPollState } from '../../../src/polling/store/pollState.js';
import { processPollJob } from '../../../workers/pollJobs.js';
import { createTestContext, deleteKeys, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
const BASE = 'http://poll.test';
const R = '/API/V3/Account/12345';
type Json = Record<string, unknown>;
const rSale = fixture<{ Sale: Json }>('lightspeed/r/sale-completed.json').Sale;
const rAt = (saleID: string, updatetime: string) => ({ ...rSale, saleID, updatetime });

const client = async (id: string) =>
  new LightspeedClient((await getMerchant(ctx.pool, id))!, { db: ctx.pool, redis: ctx.redis, config: ctx.config, baseDelayMs: 1 });
const inbox = async (id: string) =>
  (await ctx.pool.query(`SELECT sale_id, version::text, source FROM sale_events WHERE merchant_id = $1 ORDER BY id`, [id])).rows;
const jobs = async () => (await ctx.queues.sales.getJobs(['waiting'])).length;

beforeAll(async () => {
  // Token refreshes go to the configured endpoints, never to a merchant's apiBaseUrl.
  ctx = await createTestContext({ R_OAUTH_TOKEN_URL: `${BASE}/auth/oauth/token`, X_OAUTH_TOKEN_URL: `${BASE}/api/1.0/token` });
  nock.disableNetConnect();
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM merchants');
  await ctx.queues.sales.obliterate({ force: true });
  await deleteKeys(ctx.config.REDIS_URL, `${ctx.config.QUEUE_PREFIX}:ratelimit`);
  await createRMerchant(ctx.pool, { apiBaseUrl: BASE });
  await createXMerchant(ctx.pool, { apiBaseUrl: BASE });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('R-Series poller', () => {
  it('pages through two pages and an empty one following @attributes.next verbatim, then stores the cursor', async () => {
    const p2 = `${BASE}${R}/Sale.json?after=p2&limit=100`;
    const p3 = `${BASE}${R}/Sale.json?after=p3&limit=100`;
    const first = nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => q.sort === 'updatetime' && q.limit === '100' && String(q.updatetime).startsWith('>,') && String(q.load_relations).includes('SaleLines'))
      .reply(200, { '@attributes': { next: p2 }, Sale: [rAt('1', '2026-11-20T10:00:00+00:00'), rAt('2', '2026-11-20T10:05:00+00:00')] });
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query({ after: 'p2', limit: '100' })
      .reply(200, { '@attributes': { next: p3 }, Sale: rAt('3', '2026-11-20T10:09:00+00:00') });
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query({ after: 'p3', limit: '100' })
      .reply(200, { '@attributes': { next: '' } });
    const result = await pollSales({ ctx, client: await client('rpets') }, (await getMerchant(ctx.pool, 'rpets'))!);
    expect(first.isDone()).toBe(true);
    expect(result).toEqual({ pages: 3, seen: 3, inserted: 3 });
    expect((await inbox('rpets')).map((r) => r.sale_id)).toEqual(['1', '2', '3']);
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBe('2026-11-20T10:09:00.000Z');
    expect(await jobs()).toBe(3);
  });

  it('re-reads an overlap before the cursor without duplicating anything, and stores a newer version', async () => {
    await ctx.pool.query(`INSERT INTO poll_state (merchant_id, cursor) VALUES ('rpets', '2026-11-20T10:09:00.000Z')`);
    await insertSaleEvent(ctx.pool, { merchantId: 'rpets', saleId: '3', version: Date.parse('2026-11-20T10:09:00Z'), source: 'poll', payload: {} });
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => q.updatetime === '>,2026-11-20T10:08:00.000Z')
      .reply(200, { '@attributes': { next: '' }, Sale: [rAt('3', '2026-11-20T10:09:00+00:00'), rAt('3', '2026-11-20T10:12:00+00:00')] });
    const result = await pollSales({ ctx, client: await client('rpets') }, (await getMerchant(ctx.pool, 'rpets'))!);
    expect(result).toMatchObject({ seen: 2, inserted: 1 });
    expect(await inbox('rpets')).toHaveLength(2);
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBe('2026-11-20T10:12:00.000Z');
  });

  it('a crash between storing a page and advancing the cursor loses nothing: the page is read again', async () => {
    const reply = { '@attributes': { next: '' }, Sale: [rAt('7', '2026-11-21T09:00:00+00:00')] };
    nock(BASE).get(`${R}/Sale.json`).query(true).times(2).reply(200, reply);
    const merchant = (await getMerchant(ctx.pool, 'rpets'))!;
    const crash = async () => {
      throw new Error('killed');
    };
    await expect(pollSales({ ctx, client: await client('rpets'), afterPageStored: crash }, merchant)).rejects.toThrow('killed');
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBeNull();
    const result = await pollSales({ ctx, client: await client('rpets') }, merchant);
    expect(result.inserted).toBe(1);
    expect((await inbox('rpets')).map((r) => r.sale_id)).toEqual(['7']);
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBe('2026-11-21T09:00:00.000Z');
  });

  it('a 429 during a poll is waited out, not counted as a failure; the next run resumes from the cursor', async () => {
    nock(BASE).get(`${R}/Sale.json`).query(true).reply(429, {}, { 'Retry-After': '2' });
    const job = { name: 'poll', data: { merchantId: 'rpets' }, id: 'p1' } as unknown as Job;
    // A run waits out what it can (issue 23 item 1); with no wait left, it stops and the next run goes on.
    const out = await processPollJob(
      { ctx, clientFor: (m) => new LightspeedClient(m, { db: ctx.pool, redis: ctx.redis, config: ctx.config }), rateWaitBudgetMs: 0 },
      job,
    );
    expect(out).toMatchObject({ error: expect.stringContaining('rate limit') });
    const state = await getPollState(ctx.pool, 'rpets');
    expect(state).toMatchObject({ consecutiveFailures: 0, flagged: false, cursor: null });
  });

  it('a merchant whose token cannot be refreshed is flagged, and not polled again at once', async () => {
    nock(BASE).get(`${R}/Sale.json`).query(true).reply(401);
    nock(BASE).post('/auth/oauth/token').reply(400, { error: 'invalid_grant' });
    const deps = { ctx, clientFor: (m: Merchant) => new LightspeedClient(m, { db: ctx.pool, redis: ctx.redis, config: ctx.config }) };
    const job = { name: 'poll', data: { merchantId: 'rpets' }, id: 'p2' } as unknown as Job;
    await processPollJob(deps, job);
    expect(await getPollState(ctx.pool, 'rpets')).toMatchObject({ flagged: true });
    expect(await processPollJob(deps, job)).toEqual({ skipped: 'flagged; backing off' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('backfill re-reads a window through the same path without moving the cursor', async () => {
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => q.updatetime === '><,2026-11-01T00:00:00.000Z,2026-11-02T00:00:00.000Z')
      .reply(200, { '@attributes': { next: '' }, Sale: [rAt('9', '2026-11-01T12:00:00+00:00')] });
    const result = await pollSales({ ctx, client: await client('rpets') }, (await getMerchant(ctx.pool, 'rpets'))!, {
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-02T00:00:00Z'),
    });
    expect(result.inserted).toBe(1);
    expect((await inbox('rpets'))[0]).toMatchObject({ sale_id: '9', source: 'backfill' });
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBeNull();
  });

  it('a backfill handed back for a rate limit goes on after the last page it stored, not from the window start', async () => {
    const window = '2026-11-01T00:00:00.000Z,2026-11-02T00:00:00.000Z';
    const p2 = `${BASE}${R}/Sale.json?after=p2&limit=100`;
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => q.updatetime === `><,${window}`)
      .reply(200, { '@attributes': { next: p2 }, Sale: [rAt('21', '2026-11-01T08:00:00+00:00'), rAt('22', '2026-11-01T09:00:00+00:00')] });
    nock(BASE).get(`${R}/Sale.json`).query({ after: 'p2', limit: '100' }).reply(429, {}, { 'Retry-After': '1' });
    const data: Record<string, unknown> = { merchantId: 'rpets', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
    const delayed: number[] = [];
    const job = {
      name: 'backfill',
      id: 'b1',
      get data() {
        return data;
      },
      updateData: async (next: Record<string, unknown>) => void Object.assign(data, next),
      moveToDelayed: async (at: number) => void delayed.push(at),
    } as unknown as Job;
    const deps = { ctx, clientFor: (m: Merchant) => new LightspeedClient(m, { db: ctx.pool, redis: ctx.redis, config: ctx.config, baseDelayMs: 1 }) };
    await expect(processPollJob(deps, job, 'token')).rejects.toMatchObject({ name: 'DelayedError' });
    expect(delayed).toHaveLength(1);
    expect(data.resume).toBe('2026-11-01T09:00:00.000Z');

    // The run after the wait asks from the newest stored updatetime on; the first page is not read again.
    await deleteKeys(ctx.config.REDIS_URL, `${ctx.config.QUEUE_PREFIX}:ratelimit`);
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => q.updatetime === '><,2026-11-01T09:00:00.000Z,2026-11-02T00:00:00.000Z')
      .reply(200, { '@attributes': { next: '' }, Sale: [rAt('22', '2026-11-01T09:00:00+00:00'), rAt('23', '2026-11-01T10:00:00+00:00')] });
    expect(await processPollJob(deps, job, 'token')).toEqual({ pages: 1, seen: 2, inserted: 1 });
    expect(nock.pendingMocks()).toEqual([]);
    expect((await inbox('rpets')).map((r) => r.sale_id)).toEqual(['21', '22', '23']);
    expect(data.resume).toBe('2026-11-01T10:00:00.000Z');
  });
});

describe('R-Series: one bad sale on a page', () => {
  // A page of four: a name with a lone surrogate and a NUL (PostgreSQL's jsonb refuses both as sent), and
  // a sale id with a NUL (no text column takes it) between two plain sales.
  const page = () => ({
    '@attributes': { next: '' },
    Sale: [
      rAt('21', '2026-11-22T10:00:00+00:00'),
      { ...rAt('22', '2026-11-22T10:01:00+00:00'), Customer: { ...(rSale.Customer as Json), firstName: 'Zo\ud800e \u0000' } },
      rAt('bad\u0000id', '2026-11-22T10:02:00+00:00'),
      rAt('24', '2026-11-22T10:03:00+00:00'),
    ],
  });
  const rows = async () =>
    (
      await ctx.pool.query(
        `SELECT sale_id, source, status, last_error, payload->'Sale'->'Customer'->>'firstName' AS name FROM sale_events WHERE merchant_id = 'rpets' ORDER BY sale_id`,
      )
    ).rows;
  const expected = (source: string) => [
    { sale_id: '21', source, status: 'received', last_error: null, name: 'Marc' },
    { sale_id: '22', source, status: 'received', last_error: null, name: 'Zo\ufffde \ufffd' },
    { sale_id: '24', source, status: 'received', last_error: null, name: 'Marc' },
    {
      sale_id: 'bad\ufffdid',
      source,
      status: 'failed',
      last_error: expect.stringMatching(/^the sale could not be stored as read \(PostgreSQL 22/),
      name: null,
    },
  ];

  it("poll: the other sales are stored and queued, the bad one is recorded as that sale's failure, the cursor moves past it", async () => {
    nock(BASE).get(`${R}/Sale.json`).query(true).reply(200, page());
    const result = await pollSales({ ctx, client: await client('rpets') }, (await getMerchant(ctx.pool, 'rpets'))!);
    expect(result).toEqual({ pages: 1, seen: 4, inserted: 3 });
    expect(await rows()).toEqual(expected('poll'));
    expect(await jobs()).toBe(3);
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBe('2026-11-22T10:03:00.000Z');
  });

  it('backfill: the same page in a window stores the same way and moves no cursor', async () => {
    nock(BASE)
      .get(`${R}/Sale.json`)
      .query((q) => String(q.updatetime).startsWith('><,'))
      .reply(200, page());
    const result = await pollSales({ ctx, client: await client('rpets') }, (await getMerchant(ctx.pool, 'rpets'))!, {
      from: new Date('2026-11-22T00:00:00Z'),
      to: new Date('2026-11-23T00:00:00Z'),
    });
    expect(result).toEqual({ pages: 1, seen: 4, inserted: 3 });
    expect(await rows()).toEqual(expected('backfill'));
    expect((await getPollState(ctx.pool, 'rpets')).cursor).toBeNull();
  });
});

describe('X-Series reconciliation poll', () => {
  const x20 = (id: string, version: number) => ({
    id,
    version,
    status: 'CLOSED',
    customer_id: 'c1',
    sale_date: '2026-11-20T17:03:07Z',
    line_items: [{ id: `${id}-l`, product_id: 'p', quantity: 1, price_total: '10.00000' }],
    payments: [],
  });

  it('one bad sale neither stops its page nor the cursor: text PostgreSQL refuses is sanitized, an id it refuses is recorded as a failure, an unstorable version is left out', async () => {
    const odd = { ...x20('odd', 6), note: 'lone \ud800 surrogate and a \u0000 NUL' };
    nock(BASE)
      .get('/api/2.0/sales')
      .query({ after: '0', page_size: '200' })
      .reply(200, {
        data: [odd, x20('huge', 1e20), x20('nul\u0000id', 7), { ...x20('malformed', 7), line_items: 'not a list' }, x20('good', 8)],
        version: { min: 6, max: 8 },
      });
    nock(BASE).get('/api/2.0/sales').query({ after: '8', page_size: '200' }).reply(200, { data: [], version: null });
    const result = await pollSales({ ctx, client: await client('acme') }, (await getMerchant(ctx.pool, 'acme'))!);
    expect(result.inserted).toBe(3);
    // 'huge' cannot be a version: left out. 'nul…' cannot be a key as sent: recorded as that sale's failure
    // under its id with U+FFFD for the NUL. 'malformed' is kept for the worker to refuse on that sale,
    // where support sees why.
    expect((await inbox('acme')).map((r) => r.sale_id)).toEqual(['odd', 'nul\ufffdid', 'malformed', 'good']);
    const failed = await ctx.pool.query(`SELECT status, last_error FROM sale_events WHERE sale_id = 'nul\ufffdid'`);
    expect(failed.rows).toEqual([{ status: 'failed', last_error: expect.stringContaining('could not be stored as read') }]);
    const stored = await ctx.pool.query(`SELECT payload->>'note' AS note FROM sale_events WHERE sale_id = 'odd'`);
    expect(stored.rows[0].note).toBe('lone \ufffd surrogate and a \ufffd NUL');
    expect((await getPollState(ctx.pool, 'acme')).cursor).toBe('8');
  });

  it('pages by after=version.max until an empty page, skipping versions the webhooks delivered', async () => {
    await insertSaleEvent(ctx.pool, { merchantId: 'acme', saleId: 'a', version: 5, source: 'webhook', payload: {} });
    nock(BASE)
      .get('/api/2.0/sales')
      .query({ after: '0', page_size: '200' })
      .reply(200, { data: [x20('a', 5), x20('b', 10)], version: { min: 5, max: 10 } });
    nock(BASE)
      .get('/api/2.0/sales')
      .query({ after: '10', page_size: '200' })
      .reply(200, { data: [x20('c', 20)], version: { min: 20, max: 20 } });
    nock(BASE).get('/api/2.0/sales').query({ after: '20', page_size: '200' }).reply(200, { data: [], version: null });
    const result = await pollSales({ ctx, client: await client('acme') }, (await getMerchant(ctx.pool, 'acme'))!);
    expect(result).toEqual({ pages: 2, seen: 3, inserted: 2 });
    expect((await inbox('acme')).map((r) => [r.sale_id, r.source])).toEqual([
      ['a', 'webhook'],
      ['b', 'poll'],
      ['c', 'poll'],
    ]);
    expect((await getPollState(ctx.pool, 'acme')).cursor).toBe('20');
    expect(await jobs()).toBe(2);
  });
});
