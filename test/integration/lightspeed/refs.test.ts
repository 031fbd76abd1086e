import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { ReferenceCache } from '../../../src/lightspeed/refs/cache.js';
import { categoryPath } from '../../../src/lightspeed/refs/types.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';
import { FakeLightspeed } from '../../../tools/fake-lightspeed/index.js';
import { R } from '../../../tools/fake-lightspeed/catalogue.js';

let ctx: TestContext;
const BASE = 'http://refs.test';
const R_PATH = '/API/V3/Account/12345';
let calls = 0;
const fake = new FakeLightspeed();

beforeAll(async () => {
  ctx = await createTestContext();
  await fake.start();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await createRMerchant(ctx.pool, { apiBaseUrl: BASE });
  await createXMerchant(ctx.pool, { apiBaseUrl: BASE });
  await createRMerchant(ctx.pool, { id: 'rfake', accountId: '777', apiBaseUrl: fake.apiBaseUrl('r') });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await fake.stop();
  await ctx.cleanup();
});

const storedPlaces = async (merchantId: string) =>
  (
    await ctx.pool.query<{ kind: string; ref_id: string; data: unknown }>(
      `SELECT kind, ref_id, data FROM lightspeed_refs WHERE merchant_id = $1 AND kind IN ('cashier', 'register', 'outlet') ORDER BY kind, ref_id`,
      [merchantId],
    )
  ).rows.map((r) => [r.kind, r.ref_id, r.data]);

const clientFor = (id: string) => async () =>
  new LightspeedClient((await getMerchant(ctx.pool, id))!, { db: ctx.pool, redis: ctx.redis, config: ctx.config, onCall: () => (calls += 1) });

describe('reference data cache', () => {
  it('R-Series: loads categories over two pages following @attributes.next verbatim, and customer types, once', async () => {
    const categories = fixture<{ Category: unknown[] }>('lightspeed/r/categories.json');
    const next = `${BASE}${R_PATH}/Category.json?limit=100&after=abc`;
    nock(BASE)
      .get(`${R_PATH}/Category.json`)
      .query({ limit: 100 })
      .reply(200, { '@attributes': { next }, Category: categories.Category.slice(0, 3) })
      .get(`${R_PATH}/Category.json`)
      .query({ limit: 100, after: 'abc' })
      .reply(200, { '@attributes': { next: '' }, Category: categories.Category.slice(3) })
      .get(`${R_PATH}/CustomerType.json`)
      .query({ limit: 100 })
      .reply(200, fixture('lightspeed/r/customer-types.json'));
    const merchant = (await getMerchant(ctx.pool, 'rpets'))!;
    const cache = new ReferenceCache(ctx.pool, 3_600_000);
    const make = clientFor('rpets');
    const c = await make();
    const refs = await cache.get(merchant, () => c);
    expect(categoryPath(refs.categories, '15')).toEqual(['10', '14', '15']);
    expect(refs.segments.get('3')).toBe('Wholesale');
    calls = 0;
    await cache.get(merchant, () => c, { categoryIds: ['14'], segmentIds: ['2'] });
    expect(calls).toBe(0);
    // Another process starts from what Postgres holds.
    const other = await new ReferenceCache(ctx.pool, 3_600_000).get(merchant, () => c);
    expect(other.categories.size).toBe(5);
    expect(calls).toBe(0);
  });

  it('X-Series: fetches a product the payload lacks once (category, SKU and UPC), then serves it from the cache', async () => {
    nock(BASE)
      .get('/api/2.0/product_categories')
      .query(true)
      .reply(200, {
        data: [
          { id: 'food', name: 'Food', category_path: [{ id: 'dog' }, { id: 'food' }] },
          { id: 'dog', name: 'Dog' },
        ],
        version: { max: 5 },
      });
    nock(BASE).get('/api/2.0/product_categories').query({ after: 5 }).reply(200, { data: [] });
    nock(BASE).get('/api/2.0/customer_groups').query(true).reply(200, { data: [] });
    nock(BASE)
      .get('/api/2.0/products/p1')
      .reply(200, {
        data: { id: 'p1', name: 'Kibble', sku: 'KB-5', product_codes: [{ type: 'UPC', code: '064992523107' }], product_category: { id: 'food' } },
      });
    const merchant = (await getMerchant(ctx.pool, 'acme'))!;
    const cache = new ReferenceCache(ctx.pool, 3_600_000);
    const c = await clientFor('acme')();
    calls = 0;
    const refs = await cache.get(merchant, () => c, { productIds: ['p1'] });
    expect(refs.products.get('p1')).toEqual({ categoryId: 'food', isGiftCard: false, name: 'Kibble', codes: ['KB-5', '064992523107'] });
    expect(categoryPath(refs.categories, 'food')).toEqual(['dog', 'food']);
    expect(calls).toBe(4);
    await cache.get(merchant, () => c, { productIds: ['p1'] });
    expect(calls).toBe(4);
  });

  it('X-Series: cashier, register and outlet names when a sale names an unknown id; only the display name is kept; once per refresh period', async () => {
    const merchant = (await getMerchant(ctx.pool, 'acme'))!;
    const c = await clientFor('acme')();
    const cache = new ReferenceCache(ctx.pool, 3_600_000);
    await cache.get(merchant, () => c); // the categories and groups loaded by the test above
    nock(BASE)
      .get('/api/2.0/users')
      .query({ after: 0 })
      .reply(200, {
        data: [{ id: 'u1', username: 'alex', display_name: 'Alex Martin', email: 'alex@example.com', account_type: 'cashier', version: 3 }],
        version: { min: 3, max: 3 },
      })
      .get('/api/2.0/users')
      .query({ after: 3 })
      .reply(200, { data: [], version: null })
      .get('/api/2.0/registers')
      .query({ after: 0 })
      .reply(200, { data: [{ id: 'reg1', name: 'Main Register', outlet_id: 'o1', version: 1 }], version: { min: 1, max: 1 } })
      .get('/api/2.0/registers')
      .query({ after: 1 })
      .reply(200, { data: [] })
      // The outlet list is refused (no scope): the sale goes on, the outlet keeps its id.
      .get('/api/2.0/outlets')
      .query({ after: 0 })
      .reply(403, { error: 'Forbidden' });
    calls = 0;
    const refs = await cache.get(merchant, () => c, { cashierIds: ['u1'], registerIds: ['reg1'], outletIds: ['o1'] });
    expect(refs.cashiers.get('u1')).toBe('Alex Martin');
    expect(refs.registers.get('reg1')).toBe('Main Register');
    expect(refs.outlets.has('o1')).toBe(false);
    expect(calls).toBe(5);
    expect(await storedPlaces('acme')).toEqual([
      ['cashier', 'u1', { name: 'Alex Martin' }],
      ['register', 'reg1', { name: 'Main Register' }],
    ]);
    // Another unknown cashier and the refused outlets: not asked again within the refresh period, by this process or another.
    calls = 0;
    await cache.get(merchant, () => c, { cashierIds: ['u2'], registerIds: ['reg1'], outletIds: ['o1'] });
    const other = await new ReferenceCache(ctx.pool, 3_600_000).get(merchant, () => c, { cashierIds: ['u2'], registerIds: ['reg1'] });
    expect(other.cashiers.get('u1')).toBe('Alex Martin');
    expect(calls).toBe(0);
    // With no refresh period (a test knob), an unknown cashier reloads the list.
    nock(BASE)
      .get('/api/2.0/users')
      .query({ after: 0 })
      .reply(200, { data: [{ id: 'u2', display_name: 'Bea Roy', version: 4 }], version: { min: 4, max: 4 } })
      .get('/api/2.0/users')
      .query({ after: 4 })
      .reply(200, { data: [] });
    const eager = new ReferenceCache(ctx.pool, 3_600_000, 60_000, 10, 0);
    await new Promise((r) => setTimeout(r, 5));
    expect((await eager.get(merchant, () => c, { cashierIds: ['u2'] })).cashiers.get('u2')).toBe('Bea Roy');
    expect(nock.isDone()).toBe(true);
  });

  it('R-Series (the fake Lightspeed): Employee, Register and Shop names for the ids a sale names', async () => {
    const merchant = (await getMerchant(ctx.pool, 'rfake'))!;
    const c = await clientFor('rfake')();
    fake.resetStats();
    const refs = await new ReferenceCache(ctx.pool, 3_600_000).get(merchant, () => c, {
      cashierIds: [R.employee],
      registerIds: [R.register],
      outletIds: [R.shop],
    });
    expect([refs.cashiers.get(R.employee), refs.registers.get(R.register), refs.outlets.get(R.shop)]).toEqual([
      'Sam Tremblay',
      'Front counter',
      'Pet Shop Plateau',
    ]);
    expect(fake.stats.byKind).toMatchObject({ 'r.employees': 1, 'r.registers': 1, 'r.shops': 1 });
    // Known ids within the TTL: no call.
    fake.resetStats();
    await new ReferenceCache(ctx.pool, 3_600_000).get(merchant, () => c, { cashierIds: [R.employee], registerIds: [R.register], outletIds: [R.shop] });
    expect(fake.stats.byKind['r.employees'] ?? 0).toBe(0);
  });
});
