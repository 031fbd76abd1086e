import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { ReferenceCache } from '../../../src/lightspeed/refs/cache.js';
import { categoryPath } from '../../../src/lightspeed/refs/types.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
const BASE = 'http://refs.test';
const R_PATH = '/API/V3/Account/12345';
let calls = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  await createRMerchant(ctx.pool, { apiBaseUrl: BASE });
  await createXMerchant(ctx.pool, { apiBaseUrl: BASE });
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

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
});
