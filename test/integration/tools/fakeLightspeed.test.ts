import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { RateLimitedError } from '../../../src/lightspeed/errors.js';
import { JwksCache, verifyButtonClick } from '../../../src/lightspeed/r/buttonSignature.js';
import { rCategoryListSchema, rSaleListSchema } from '../../../src/lightspeed/r/schemas.js';
import { xListSchema, xProductCategorySchema, xProductSchema } from '../../../src/lightspeed/x/schemas.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { FakeLightspeed, R, X } from '../../../tools/fake-lightspeed/index.js';
import { FakeLightspeed as BenchFake } from '../../../bench/fakeLightspeed.js';
import { createTestContext, deleteKeys, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

// The development fake, exercised through the service's own Lightspeed client and button verifier.
let ctx: TestContext;
let fake: FakeLightspeed;
const any = z.unknown();
const client = async (id: string) =>
  new LightspeedClient((await getMerchant(ctx.pool, id))!, { db: ctx.pool, redis: ctx.redis, config: ctx.config, baseDelayMs: 5, timeoutMs: 2_000 });

beforeAll(async () => {
  fake = new FakeLightspeed({ bucketSize: 3, dripPerSec: 1 });
  await fake.start();
  ctx = await createTestContext({ R_OAUTH_TOKEN_URL: `${fake.url}/auth/oauth/token`, X_OAUTH_TOKEN_URL: `${fake.url}/api/1.0/token` });
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM merchants');
  await deleteKeys(ctx.config.REDIS_URL, ctx.config.QUEUE_PREFIX);
  fake.configure({});
  await createRMerchant(ctx.pool, { apiBaseUrl: fake.apiBaseUrl('r'), accountId: '12345' });
  await createXMerchant(ctx.pool, { apiBaseUrl: fake.apiBaseUrl('x', 'acme') });
});
afterAll(async () => {
  await fake.stop();
  await ctx.cleanup();
});

describe('the fake Lightspeed', () => {
  it('serves the pet store in both series, in shapes the service parses', async () => {
    const r = await (await client('rpets')).get('Category.json', rCategoryListSchema);
    expect((r.Category as Array<{ name: string }>).map((c) => c.name)).toEqual(['Dog', 'Food', 'Prescription', 'Cat', 'Furniture']);
    const x = await client('acme');
    const categories = await x.get('/api/2.0/product_categories', xListSchema(xProductCategorySchema), { after: 0 });
    expect(categories.data.find((c) => c.id === X.categories.prescription)?.category_path?.map((p) => p.name)).toEqual(['Dog', 'Food', 'Prescription']);
    expect((await x.get('/api/2.0/product_categories', xListSchema(xProductCategorySchema), { after: categories.version!.max! })).data).toEqual([]);
    const product = await x.get(`/api/2.0/products/${X.products.kibble}`, xProductSchema);
    expect(product.data.product_codes).toEqual([{ type: 'UPC', code: '064992523107' }]);
  });

  it('pages R sales by updatetime and X sales by version', async () => {
    fake.r('12345').putSale({ saleID: '9001', updatetime: '2026-11-20T10:00:00+00:00', completed: 'true', voided: 'false' });
    fake.r('12345').putSale({
      saleID: '9002',
      updatetime: '2026-11-21T10:00:00+00:00',
      completed: 'true',
      voided: 'false',
      SaleLines: { SaleLine: { saleLineID: '1', itemID: R.items.kibble } },
    });
    const page = await (
      await client('rpets')
    ).get('Sale.json', rSaleListSchema, { updatetime: '>,2026-11-20T12:00:00Z', sort: 'updatetime', load_relations: '["SaleLines"]' });
    expect(page.Sale).toEqual([expect.objectContaining({ saleID: '9002', SaleLines: expect.anything() })]);
    fake.x('acme').putSale({
      id: 's-1',
      version: 10,
      status: 'CLOSED',
      register_sale_products: [{ id: 'l', product_id: X.products.catTree, quantity: 1, price_total: '25.40000' }],
      register_sale_payments: [],
    });
    fake.x('acme').putSale({ id: 's-1', version: 5, status: 'OPEN' });
    const x = await (await client('acme')).get('/api/2.0/sales', xListSchema(any), { after: 0 });
    expect(x.data).toEqual([expect.objectContaining({ id: 's-1', version: 10, line_items: [expect.objectContaining({ product_id: X.products.catTree })] })]);
    // Retailers are apart: another domain prefix sees none of acme's sales.
    expect(fake.x('bobs').sales.size).toBe(0);
  });

  it('answers 429 as each series documents: R with the bucket headers and Retry-After in seconds, X with an HTTP date', async () => {
    const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { authorization: 'Bearer any' } });
    const r = [];
    for (let i = 0; i < 4; i += 1) r.push(await get('/API/V3/Account/777/CustomerType.json'));
    expect(r.map((res) => res.status)).toEqual([200, 200, 200, 429]);
    expect(r[0]!.headers.get('x-ls-api-bucket-level')).toBe('1/3');
    expect(Number(r[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    fake.configure({ xRequestsPerWindow: 2 });
    const x = [];
    for (let i = 0; i < 3; i += 1) x.push(await get('/x/window/api/2.0/customer_groups'));
    expect(x.map((res) => res.status)).toEqual([200, 200, 429]);
    expect(Number.isNaN(Date.parse(x[2]!.headers.get('retry-after') ?? ''))).toBe(false);
    fake.configure({ xRequestsPerWindow: undefined });
    // The service's client hands such a wait back as a delayed retry.
    const c = await client('rpets');
    const results: unknown[] = [];
    for (let i = 0; i < 5; i += 1) results.push(await c.get('CustomerType.json', any).catch((e: unknown) => e));
    expect(results.some((res) => res instanceof RateLimitedError)).toBe(true);
  });

  it('refreshes an expired token: a new access token, the refresh token rotated, the spent one refused', async () => {
    const issued = fake.tokens.issue('12345');
    fake.tokens.expire(issued.accessToken);
    await ctx.pool.query(`UPDATE merchants SET access_token = $1, refresh_token = $2, token_expires_at = now() + interval '1 day' WHERE id = 'rpets'`, [
      issued.accessToken,
      issued.refreshToken,
    ]);
    const before = fake.stats.tokenRefreshes;
    await (await client('rpets')).get('Category.json', any);
    expect(fake.stats.tokenRefreshes).toBe(before + 1);
    const stored = (await getMerchant(ctx.pool, 'rpets'))!;
    expect(stored.accessToken).not.toBe(issued.accessToken);
    expect(stored.refreshToken).not.toBe(issued.refreshToken);
    const again = await fetch(`${fake.url}/auth/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: issued.refreshToken }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs POS button links that the service verifies with the fake JWKS, and an altered link fails', async () => {
    const jwks = new JwksCache(fake.serviceEnv().LIGHTSPEED_JWKS_URL!);
    const link = new URL(
      fake.button.signedUrl('https://loyalty.example/pos/lightspeed/r/rpets/rewards', { accountId: '12345', saleId: '51234', customerId: R.customers.jane }),
    );
    const click = await verifyButtonClick({ publicBase: link.origin, path: link.pathname, rawQuery: link.search.slice(1), jwks });
    expect(click).toMatchObject({ accountId: '12345', saleId: '51234' });
    await expect(
      verifyButtonClick({ publicBase: link.origin, path: link.pathname, rawQuery: link.search.slice(1).replace('saleID=51234', 'saleID=51235'), jwks }),
    ).rejects.toThrow(/signature/);
  });

  it('keeps serving the bench its generated catalogue from the new place', async () => {
    const bench = new BenchFake();
    await bench.start();
    try {
      bench.configure({ rSales: 150, rListWithRelations: false });
      const page = (await (
        await fetch(`${bench.url}/API/V3/Account/1/Sale.json?updatetime=%3E,2026-01-01T00:00:00Z`, { headers: { authorization: 'Bearer bench' } })
      ).json()) as { '@attributes': { next: string }; Sale: Array<{ saleID: string }> };
      expect(page.Sale).toHaveLength(100);
      expect(page['@attributes'].next).toContain('offset=100');
      const product = (await (await fetch(`${bench.url}/api/2.0/products/prod-7`, { headers: { authorization: 'Bearer bench' } })).json()) as {
        data: { product_category: { id: string } };
      };
      expect(product.data.product_category.id).toBe('cat-2');
      expect(bench.stats.calls).toBe(2);
    } finally {
      await bench.stop();
    }
  });
});
