import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeChallengeS256 } from '../../../../src/merchants/connect/pkce.js';
import { getMerchant } from '../../../../src/merchants/store/repo.js';
import { pollSchedulerId } from '../../../../src/queue/jobs.js';
import { serviceApp } from '../../../../src/routes.js';
import { insertStaffUser } from '../../../../src/staff/users.js';
import { createTestContext, deleteKeys, type TestContext } from '../../../helpers/context.js';

// R-Series connect against nock: PKCE S256 on the authorize page, the verifier sent with the code, the
// account id read from Account.json, polling started, the POS button URL shown.
let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
const PUBLIC_URL = 'https://loyalty.example';
const PASSWORD = 'correct horse battery staple';
const CLOUD = 'https://cloud.lightspeedapp.com';
const API = 'https://api.lightspeedapp.com';
let agent: ReturnType<typeof request.agent>;

beforeAll(async () => {
  ctx = await createTestContext({
    PUBLIC_URL,
    LIGHTSPEED_CLIENT_ID: 'r-client',
    LIGHTSPEED_CLIENT_SECRET: 'r-secret-MARKER-77',
    AUTH_FAILURES_PER_MINUTE: 1_000_000,
  });
  app = serviceApp(ctx);
  await insertStaffUser(ctx.pool, { email: 'root@example.com', name: 'Pat Platform', password: PASSWORD, role: 'admin', merchantId: null });
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  agent = request.agent(app);
  expect((await agent.post('/admin/api/session').set('Origin', PUBLIC_URL).send({ email: 'root@example.com', password: PASSWORD })).status).toBe(200);
});
beforeEach(async () => {
  await ctx.pool.query(`DELETE FROM merchants`);
  await deleteKeys(ctx.config.REDIS_URL, ctx.config.QUEUE_PREFIX);
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('R-Series connect', () => {
  it('PKCE S256 from authorize to token; account id from the API; polling started; POS button URL shown', async () => {
    const res = await agent.get('/connect/lightspeed/r?name=R%20Pets');
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location!);
    expect(url.origin + url.pathname).toBe(`${CLOUD}/auth/oauth/authorize`);
    expect(Object.fromEntries([...url.searchParams.keys()].map((k) => [k, k === 'state' || k === 'code_challenge' ? '…' : url.searchParams.get(k)]))).toEqual({
      response_type: 'code',
      client_id: 'r-client',
      scope: 'employee:register_read employee:customers_read employee:inventory_read employee:categories',
      state: '…',
      redirect_uri: `${PUBLIC_URL}/connect/lightspeed/r/callback`,
      code_challenge: '…',
      code_challenge_method: 'S256',
    });
    // Scopes joined with "+" on the wire, as the R-Series docs show them.
    expect(res.headers.location).toContain('scope=employee%3Aregister_read+employee%3Acustomers_read');
    const challenge = url.searchParams.get('code_challenge')!;
    let verifier = '';
    nock(CLOUD)
      .post('/auth/oauth/token', (body: Record<string, string>) => {
        verifier = body.code_verifier ?? '';
        return (
          body.grant_type === 'authorization_code' && body.code === 'r-code' && body.client_id === 'r-client' && body.client_secret === 'r-secret-MARKER-77'
        );
      })
      .reply(200, { access_token: 'r-access-MARKER', refresh_token: 'r-refresh-MARKER', expires_in: 3600, token_type: 'bearer', scope: 'employee:all' });
    nock(API)
      .get('/API/V3/Account.json')
      .matchHeader('authorization', 'Bearer r-access-MARKER')
      .reply(200, {
        '@attributes': { count: '1' },
        Account: { accountID: '98765', name: 'R Pets Inc', link: { '@attributes': { href: '/API/V3/Account/98765' } } },
      });
    const back = await agent.get(`/connect/lightspeed/r/callback?code=r-code&state=${url.searchParams.get('state')}`);
    expect(back.status, JSON.stringify(back.body)).toBe(302);
    expect(back.headers.location).toBe('/console/merchants/r-98765/operations?connected=r');
    expect(codeChallengeS256(verifier)).toBe(challenge);

    const m = (await getMerchant(ctx.pool, 'r-98765'))!;
    expect([m.series, m.accountId, m.name, m.accessToken, m.refreshToken, m.webhookSecret]).toEqual([
      'r',
      '98765',
      'R Pets',
      'r-access-MARKER',
      'r-refresh-MARKER',
      null,
    ]);
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('r-98765'))).toBeTruthy();
    const view = await agent.get('/admin/api/merchants/r-98765/connection');
    expect(view.body).toMatchObject({ status: 'connected', posButtonUrl: `${PUBLIC_URL}/pos/lightspeed/r/r-98765/rewards` });
    const dump =
      JSON.stringify((await ctx.pool.query(`SELECT * FROM merchants`)).rows) + JSON.stringify((await ctx.pool.query(`SELECT * FROM connect_states`)).rows);
    expect(dump).not.toMatch(/MARKER/);
    expect(dump).not.toContain(verifier);
  });

  it('a wrong or late code (Lightspeed refuses it) creates nothing', async () => {
    const res = await agent.get('/connect/lightspeed/r');
    const state = new URL(res.headers.location!).searchParams.get('state');
    nock(CLOUD).post('/auth/oauth/token').reply(400, { error: 'invalid_grant', error_description: 'Authorization code has expired' });
    const back = await agent.get(`/connect/lightspeed/r/callback?code=late&state=${state}`);
    expect([back.status, back.body.error.code]).toEqual([400, 'CODE_REFUSED']);
    expect((await ctx.pool.query(`SELECT count(*)::int AS n FROM merchants`)).rows[0].n).toBe(0);
  });
});
