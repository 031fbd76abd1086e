import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable, serviceApp } from '../../../src/routes.js';
import { LightspeedClient } from '../../../src/lightspeed/client.js';
import { tokenUrl } from '../../../src/lightspeed/tokens.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createRMerchant, createXMerchant } from '../../helpers/merchants.js';

// Findings 1 and 5 of the hardening issue: a merchant admin must not redirect the service's authenticated
// calls (and the app's client secret) to a host of their choosing, nor claim another store's account.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let platformAdmin: string;
let acmeAdmin: string;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  await createXMerchant(ctx.pool);
  await createXMerchant(ctx.pool, { id: 'beta', domainPrefix: 'beta' });
  await createRMerchant(ctx.pool);
  platformAdmin = await ctx.token('admin');
  acmeAdmin = await ctx.token('admin', 'acme');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

const patch = (token: string, id: string, body: object) => request(app).patch(`/admin/api/merchants/${id}`).set('Authorization', `Bearer ${token}`).send(body);

describe('who may say which store a merchant is and where its calls go', () => {
  it.each([{ apiBaseUrl: 'http://127.0.0.1:9/steal' }, { domainPrefix: 'beta' }, { accountId: '999' }])(
    'a merchant-scoped admin may not set %o (403, nothing changes)',
    async (body) => {
      const res = await patch(acmeAdmin, 'acme', body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('PLATFORM_ONLY_FIELD');
      const acme = (await getMerchant(ctx.pool, 'acme'))!;
      expect([acme.apiBaseUrl, acme.domainPrefix, acme.accountId]).toEqual([null, 'acme', null]);
    },
  );

  it('a merchant-scoped admin still changes what is theirs to change', async () => {
    expect((await patch(acmeAdmin, 'acme', { name: 'Acme Pets & Co' })).status).toBe(200);
  });

  it("a store's identity is unique: even a platform admin cannot give one merchant another's domain prefix or account (409)", async () => {
    const res = await patch(platformAdmin, 'acme', { domainPrefix: 'BETA' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect(JSON.stringify(res.body)).not.toMatch(/merchants_|unique|constraint/i);
    const r = await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${platformAdmin}`)
      .send({ id: 'rclone', name: 'R clone', series: 'r', accountId: '12345', timezone: 'UTC' });
    expect(r.status).toBe(409);
  });

  it('in production an apiBaseUrl outside LIGHTSPEED_API_BASE_ALLOWLIST is refused (422), an allow-listed one accepted', async () => {
    const prod = serviceApp({
      ...ctx,
      config: {
        ...ctx.config,
        NODE_ENV: 'production',
        SESSION_SECRET: 'test-session-secret-0123456789abcdef',
        LIGHTSPEED_API_BASE_ALLOWLIST: ['https://sandbox.example.test'],
      },
    });
    const refused = await request(prod)
      .patch('/admin/api/merchants/beta')
      .set('Authorization', `Bearer ${platformAdmin}`)
      .send({ apiBaseUrl: 'http://127.0.0.1:9' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('API_BASE_NOT_ALLOWED');
    const accepted = await request(prod)
      .patch('/admin/api/merchants/beta')
      .set('Authorization', `Bearer ${platformAdmin}`)
      .send({ apiBaseUrl: 'https://sandbox.example.test' });
    expect(accepted.status).toBe(200);
    await patch(platformAdmin, 'beta', { apiBaseUrl: null }).expect(200);
  });

  it('in production a stored apiBaseUrl outside the allow-list is never called', async () => {
    await ctx.pool.query(`UPDATE merchants SET api_base_url = 'http://evil.test' WHERE id = 'beta'`);
    const merchant = (await getMerchant(ctx.pool, 'beta'))!;
    expect(
      () =>
        new LightspeedClient(merchant, {
          db: ctx.pool,
          redis: ctx.redis,
          config: { ...ctx.config, NODE_ENV: 'production', LIGHTSPEED_API_BASE_ALLOWLIST: [] },
        }),
    ).toThrow(/allow/i);
    await ctx.pool.query(`UPDATE merchants SET api_base_url = NULL WHERE id = 'beta'`);
  });

  it('the token endpoint (which receives the refresh token and client secret) never comes from apiBaseUrl', async () => {
    const x = { ...(await getMerchant(ctx.pool, 'acme'))!, apiBaseUrl: 'http://evil.test' };
    const r = { ...(await getMerchant(ctx.pool, 'rpets'))!, apiBaseUrl: 'http://evil.test' };
    const config = { ...ctx.config, X_OAUTH_TOKEN_URL: undefined };
    expect(tokenUrl(x, config)).toBe('https://acme.retail.lightspeed.app/api/1.0/token');
    expect(tokenUrl(r, config)).toBe(config.R_OAUTH_TOKEN_URL);
  });

  it('a refresh with an attacker apiBaseUrl sends nothing to that host', async () => {
    await ctx.pool.query(`UPDATE merchants SET api_base_url = 'http://evil.test', token_expires_at = now() - interval '1 hour' WHERE id = 'rpets'`);
    const evil = nock('http://evil.test').post(/.*/).reply(200, { access_token: 'stolen' }).get(/.*/).reply(200, {});
    const official = nock('https://cloud.lightspeedapp.com').post('/auth/oauth/token').reply(400, { error: 'invalid_grant' });
    const client = new LightspeedClient((await getMerchant(ctx.pool, 'rpets'))!, { db: ctx.pool, redis: ctx.redis, config: ctx.config, baseDelayMs: 1 });
    await expect(client.get('Sale/1.json', (await import('zod')).z.unknown())).rejects.toThrow();
    expect(official.isDone()).toBe(true);
    expect(evil.isDone()).toBe(false);
  });
});
