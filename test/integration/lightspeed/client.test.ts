import nock from 'nock';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { LightspeedRequestError, LightspeedUnavailableError, RateLimitedError, ReauthRequiredError } from '../../../src/lightspeed/errors.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { createTestContext, deleteKeys, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
const BASE = 'http://ls.test';
const R_PATH = '/API/V3/Account/12345';
const any = z.unknown();
let calls: Array<number | 'error'>;

const client = async (id: string) =>
  new LightspeedClient((await getMerchant(ctx.pool, id))!, {
    db: ctx.pool,
    redis: ctx.redis,
    config: ctx.config,
    baseDelayMs: 5,
    timeoutMs: 200,
    onCall: (_s, status) => calls.push(status),
  });

beforeAll(async () => {
  // Token refreshes go to the configured endpoints, never to a merchant's apiBaseUrl.
  ctx = await createTestContext({ R_OAUTH_TOKEN_URL: `${BASE}/auth/oauth/token`, X_OAUTH_TOKEN_URL: `${BASE}/api/1.0/token` });
  nock.disableNetConnect();
});
beforeEach(async () => {
  calls = [];
  await ctx.pool.query('DELETE FROM merchants');
  await deleteKeys(ctx.config.REDIS_URL, ctx.config.QUEUE_PREFIX);
  await createRMerchant(ctx.pool, { apiBaseUrl: BASE });
  await createXMerchant(ctx.pool, { apiBaseUrl: BASE });
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('tokens', () => {
  it('refreshes on 401, persists the rotated refresh token, and retries the call', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).matchHeader('authorization', 'Bearer r-access').reply(401);
    nock(BASE)
      .post('/auth/oauth/token', (body) => body.grant_type === 'refresh_token' && body.refresh_token === 'r-refresh')
      .reply(200, { access_token: 'r-access-2', refresh_token: 'r-refresh-2', expires_in: 3600 });
    nock(BASE).get(`${R_PATH}/Sale/1.json`).matchHeader('authorization', 'Bearer r-access-2').reply(200, { ok: true });
    expect(await (await client('rpets')).get('Sale/1.json', any)).toEqual({ ok: true });
    const stored = (await getMerchant(ctx.pool, 'rpets'))!;
    expect([stored.accessToken, stored.refreshToken]).toEqual(['r-access-2', 'r-refresh-2']);
    expect(stored.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('refreshes before expiry, and two concurrent callers refresh once', async () => {
    await ctx.pool.query(`UPDATE merchants SET token_expires_at = now() + interval '10 seconds' WHERE id = 'acme'`);
    const refresh = nock(BASE)
      .post('/api/1.0/token')
      .delay(100)
      .reply(200, { access_token: 'x-access-2', refresh_token: 'x-refresh-2', expires: Math.floor(Date.now() / 1000) + 86400 });
    nock(BASE).get('/api/2.0/customer_groups').matchHeader('authorization', 'Bearer x-access-2').times(2).reply(200, { data: [] });
    const [a, b] = [await client('acme'), await client('acme')];
    await Promise.all([a.get('/api/2.0/customer_groups', any), b.get('/api/2.0/customer_groups', any)]);
    expect(refresh.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a refused refresh marks the merchant as needing re-authorization instead of retrying forever', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(401);
    nock(BASE).post('/auth/oauth/token').reply(400, { error: 'invalid_grant' });
    await expect((await client('rpets')).get('Sale/1.json', any)).rejects.toBeInstanceOf(ReauthRequiredError);
    const stored = (await getMerchant(ctx.pool, 'rpets'))!;
    expect(stored.needsReauth).toBe(true);
    expect(stored.needsReauthReason).toContain('400');
    // The next call does not even try.
    await expect((await client('rpets')).get('Sale/1.json', any)).rejects.toBeInstanceOf(ReauthRequiredError);
  });

  it('a refusal of a token another process has meanwhile replaced is not a refusal of the store', async () => {
    // A refresh holder paused past the lock's lifetime stores the rotated token while we present the old one.
    nock(BASE).get(`${R_PATH}/Sale/1.json`).matchHeader('authorization', 'Bearer r-access').reply(401);
    nock(BASE)
      .post('/auth/oauth/token')
      .reply(async () => {
        await ctx.pool.query(`UPDATE merchants SET needs_reauth = false WHERE id = 'rpets'`);
        const { saveRefreshedTokens } = await import('../../../src/merchants/store/repo.js');
        await saveRefreshedTokens(ctx.pool, 'rpets', { accessToken: 'r-access-3', refreshToken: 'r-refresh-3', expiresAt: new Date(Date.now() + 3600_000) });
        return [400, { error: 'invalid_grant' }];
      });
    nock(BASE).get(`${R_PATH}/Sale/1.json`).matchHeader('authorization', 'Bearer r-access-3').reply(200, { ok: true });
    expect(await (await client('rpets')).get('Sale/1.json', any)).toEqual({ ok: true });
    expect((await getMerchant(ctx.pool, 'rpets'))!.needsReauth).toBe(false);
  });

  it('a 429 from the token endpoint is a wait, not a refusal: the merchant is not flagged for re-authorization', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(401);
    nock(BASE).post('/auth/oauth/token').reply(429, {}, { 'Retry-After': '3' });
    const error = await (await client('rpets')).get('Sale/1.json', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).waitMs).toBe(3_000);
    expect((await getMerchant(ctx.pool, 'rpets'))!.needsReauth).toBe(false);
  });

  it('a 5xx or no answer from the token endpoint is transient (unavailable), and the merchant is not flagged', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(401);
    nock(BASE).post('/auth/oauth/token').reply(503);
    await expect((await client('rpets')).get('Sale/1.json', any)).rejects.toBeInstanceOf(LightspeedUnavailableError);
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(401);
    nock(BASE).post('/auth/oauth/token').replyWithError('socket hang up');
    await expect((await client('rpets')).get('Sale/1.json', any)).rejects.toBeInstanceOf(LightspeedUnavailableError);
    expect((await getMerchant(ctx.pool, 'rpets'))!.needsReauth).toBe(false);
  });
});

describe('rate limits', () => {
  it('R-Series: bucket headers near the top slow the client before any 429', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(200, {}, { 'X-LS-API-Bucket-Level': '89/90', 'X-LS-API-Drip-Rate': '1' });
    const c = await client('rpets');
    await c.get('Sale/1.json', any);
    const error = await c.get('Sale/2.json', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).waitMs).toBeGreaterThan(0);
    expect(calls).toEqual([200]);
  });

  it('R-Series 429 with Retry-After seconds: wait that long, and no other worker calls meanwhile', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(429, {}, { 'Retry-After': '7' });
    const error = await (await client('rpets')).get('Sale/1.json', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).waitMs).toBe(7000);
    const other = await (await client('rpets')).get('Sale/2.json', any).catch((e: unknown) => e);
    expect((other as RateLimitedError).waitMs).toBeGreaterThan(6000);
    expect(calls).toEqual([429]);
  });

  it('X-Series 429 with Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    nock(BASE).get('/api/2.0/customer_groups').reply(429, {}, { 'Retry-After': at });
    const error = await (await client('acme')).get('/api/2.0/customer_groups', any).catch((e: unknown) => e);
    expect((error as RateLimitedError).waitMs).toBeGreaterThan(25_000);
    expect((error as RateLimitedError).waitMs).toBeLessThanOrEqual(30_000);
  });

  it('X-Series: 300 × registers + 50 calls per window, then wait for the next window', async () => {
    await ctx.pool.query(`UPDATE merchants SET registers = 1 WHERE id = 'acme'`);
    nock(BASE).get('/api/2.0/customer_groups').times(350).reply(200, { data: [] });
    const c = await client('acme');
    for (let i = 0; i < 350; i += 1) await c.get('/api/2.0/customer_groups', any);
    const error = await c.get('/api/2.0/customer_groups', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(calls).toHaveLength(350);
  });
});

describe('retries', () => {
  it('retries 5xx with backoff and succeeds', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(502).get(`${R_PATH}/Sale/1.json`).reply(503).get(`${R_PATH}/Sale/1.json`).reply(200, { ok: 1 });
    expect(await (await client('rpets')).get('Sale/1.json', any)).toEqual({ ok: 1 });
    expect(calls).toEqual([502, 503, 200]);
  });

  it('retries a timeout, then gives up as unavailable (transient for the job)', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).times(4).delay(500).reply(200, {});
    const error = await (await client('rpets')).get('Sale/1.json', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedUnavailableError);
    expect(calls).toEqual(['error', 'error', 'error', 'error']);
  });

  it('does not retry another 4xx', async () => {
    nock(BASE).get(`${R_PATH}/Sale/1.json`).reply(404, {});
    const error = await (await client('rpets')).get('Sale/1.json', any).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightspeedRequestError);
    expect((error as LightspeedRequestError).status).toBe(404);
    expect(calls).toEqual([404]);
  });
});
