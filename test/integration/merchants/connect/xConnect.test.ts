import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getMerchant } from '../../../../src/merchants/store/repo.js';
import { pollOffset } from '../../../../src/polling/schedulers.js';
import { pollSchedulerId } from '../../../../src/queue/jobs.js';
import { serviceApp } from '../../../../src/routes.js';
import { insertStaffUser } from '../../../../src/staff/users.js';
import { createTestContext, deleteKeys, type TestContext } from '../../../helpers/context.js';
import { createXMerchant } from '../../../helpers/merchants.js';

// X-Series connect against nock: the authorize redirect, the callback's checks (state, session,
// domain_prefix), the code exchange at the store's own token endpoint, the webhook registered once.
let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
const PUBLIC_URL = 'http://loyalty.test';
const CLIENT_ID = 'app-client-id';
const CLIENT_SECRET = 'app-client-secret-MARKER-5e1f';
const PASSWORD = 'correct horse battery staple';
const STORE = 'https://acme.retail.lightspeed.app';
const WEBHOOK_URL = `${PUBLIC_URL}/webhooks/lightspeed/x/acme`;
const ACCESS = 'x-access-MARKER-0a1b2c';
const REFRESH = 'x-refresh-MARKER-3d4e5f';

type Agent = ReturnType<typeof request.agent>;

async function signIn(email: string): Promise<Agent> {
  const agent = request.agent(app);
  const res = await agent.post('/admin/api/session').set('Origin', PUBLIC_URL).send({ email, password: PASSWORD });
  expect(res.status).toBe(200);
  return agent;
}

/** Starts a connect as this person and returns the state Lightspeed would send back. */
async function start(agent: Agent, query = ''): Promise<string> {
  const res = await agent.get(`/connect/lightspeed/x${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(302);
  return new URL(res.headers.location!).searchParams.get('state')!;
}

function tokenExchange(code = 'the-code') {
  return nock(STORE)
    .post(
      '/api/1.0/token',
      (body: Record<string, string>) =>
        body.grant_type === 'authorization_code' &&
        body.code === code &&
        body.client_id === CLIENT_ID &&
        body.client_secret === CLIENT_SECRET &&
        body.redirect_uri === `${PUBLIC_URL}/connect/lightspeed/x/callback`,
    )
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, {
      access_token: ACCESS,
      token_type: 'Bearer',
      expires: Math.floor(Date.now() / 1000) + 86_400,
      expires_in: 86_400,
      refresh_token: REFRESH,
      domain_prefix: 'acme',
    });
}

const merchantCount = async () => Number((await ctx.pool.query(`SELECT count(*) FROM merchants`)).rows[0].count);

let platform: Agent;

beforeAll(async () => {
  ctx = await createTestContext({ PUBLIC_URL, LIGHTSPEED_CLIENT_ID: CLIENT_ID, LIGHTSPEED_CLIENT_SECRET: CLIENT_SECRET, AUTH_FAILURES_PER_MINUTE: 1_000_000 });
  app = serviceApp(ctx);
  await insertStaffUser(ctx.pool, { email: 'root@example.com', name: 'Pat Platform', password: PASSWORD, role: 'admin', merchantId: null });
  await insertStaffUser(ctx.pool, { email: 'support@example.com', name: 'Sam Support', password: PASSWORD, role: 'support', merchantId: null });
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  platform = await signIn('root@example.com');
});
beforeEach(async () => {
  await ctx.pool.query(`DELETE FROM merchants`);
  await ctx.pool.query(`DELETE FROM connect_states`);
  await deleteKeys(ctx.config.REDIS_URL, ctx.config.QUEUE_PREFIX);
});
afterEach(() => {
  expect(nock.pendingMocks(), 'Lightspeed calls expected but not made').toEqual([]);
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('X-Series connect', () => {
  it("redirects to Lightspeed's authorize page with a fresh state kept only as a hash", async () => {
    const res = await platform.get('/connect/lightspeed/x');
    expect(res.status).toBe(302);
    const url = new URL(res.headers.location!);
    expect(url.origin + url.pathname).toBe('https://secure.retail.lightspeed.app/connect');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/connect/lightspeed/x/callback`);
    const state = url.searchParams.get('state')!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await start(platform)).not.toBe(state);
    const rows = (await ctx.pool.query(`SELECT * FROM connect_states`)).rows;
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(state);
  });

  it('creates the merchant, registers the webhook, queues the backfill and starts polling; lands on Operations', async () => {
    const state = await start(platform, '?name=Acme%20Pets&timezone=America%2FMontreal');
    tokenExchange();
    nock(STORE).get('/api/2.0/webhooks').matchHeader('authorization', `Bearer ${ACCESS}`).reply(200, { data: [] });
    let registered = '';
    nock(STORE)
      .post('/api/2.0/webhooks', (body: { active?: unknown; type?: unknown; url?: string }) => {
        registered = body.url ?? '';
        return body.active === true && body.type === 'sale.update';
      })
      .matchHeader('authorization', `Bearer ${ACCESS}`)
      .reply(201, () => ({ data: { id: 'wh-1', retailer_id: 'r-1', type: 'sale.update', url: registered, active: true } }));
    const res = await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}&scope=sales%3Aread`);
    expect(res.status, JSON.stringify(res.body)).toBe(302);
    expect(res.headers.location).toBe('/console/merchants/acme/operations?connected=x');

    const m = (await getMerchant(ctx.pool, 'acme'))!;
    expect([m.name, m.series, m.domainPrefix, m.timezone, m.accessToken, m.refreshToken, m.webhookSecret, m.paused]).toEqual([
      'Acme Pets',
      'x',
      'acme',
      'America/Montreal',
      ACCESS,
      REFRESH,
      CLIENT_SECRET,
      false,
    ]);
    expect(m.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    // The webhook URL carries the merchant's own unguessable token: it binds deliveries to this merchant.
    expect(m.urlToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(registered).toBe(`${WEBHOOK_URL}?token=${m.urlToken}`);
    expect(m.signedNeedsUrlToken).toBe(true);
    const view = await platform.get('/admin/api/merchants/acme/connection');
    expect(view.body).toMatchObject({
      status: 'connected',
      series: 'x',
      webhookRegistered: true,
      connectedBy: 'Pat Platform <root@example.com>',
      posButtonUrl: null,
    });
    const backfills = await ctx.queues.poll.getJobs(['waiting', 'delayed']);
    const backfill = backfills.find((j) => j.name === 'backfill')!;
    expect(backfill.data.merchantId).toBe('acme');
    expect(Date.parse(backfill.data.to) - Date.parse(backfill.data.from)).toBe(30 * 86_400_000);
    // Polling starts at the merchant's own spot in the interval, like a merchant created through the API
    // (src/polling/schedulers.ts): stores connected together do not all poll at once.
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('acme'))).toMatchObject({
      every: ctx.config.X_POLL_EVERY_MS,
      offset: pollOffset('acme', ctx.config.X_POLL_EVERY_MS),
    });
    // The state was used: the same callback again is refused and asks Lightspeed nothing.
    const again = await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}`);
    expect([again.status, again.body.error.code]).toEqual([400, 'STATE_UNKNOWN']);
    // Nothing secret is in the database in clear, nor in the audit line.
    const dump =
      JSON.stringify((await ctx.pool.query(`SELECT * FROM merchants`)).rows) + JSON.stringify((await ctx.pool.query(`SELECT * FROM audit_log`)).rows);
    for (const secret of [ACCESS, REFRESH, CLIENT_SECRET, m.urlToken!]) expect(dump).not.toContain(secret);
  });

  it('an identical webhook already there is kept: across two connects it is registered once', async () => {
    let state = await start(platform);
    tokenExchange();
    nock(STORE)
      .get('/api/2.0/webhooks')
      .reply(200, { data: [{ id: 'other', type: 'sale.update', url: 'https://someone-else.example/hook', active: true }] });
    nock(STORE)
      .post('/api/2.0/webhooks')
      .once()
      .reply(201, { data: { id: 'wh-ours', type: 'sale.update', url: WEBHOOK_URL, active: true } });
    expect((await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}`)).status).toBe(302);
    const ours = `${WEBHOOK_URL}?token=${(await getMerchant(ctx.pool, 'acme'))!.urlToken}`;

    state = await start(platform, '?merchantId=acme');
    tokenExchange('second-code');
    // The second connect finds ours and does not POST (nock would refuse an unexpected POST).
    nock(STORE)
      .get('/api/2.0/webhooks')
      .reply(200, {
        data: [
          { id: 'other', type: 'sale.update', url: 'https://someone-else.example/hook', active: true },
          { id: 'wh-ours', type: 'sale.update', url: ours, active: true },
        ],
      });
    expect((await platform.get(`/connect/lightspeed/x/callback?code=second-code&domain_prefix=acme&state=${state}`)).status).toBe(302);
    expect((await ctx.pool.query(`SELECT webhook_id FROM lightspeed_connections WHERE merchant_id = 'acme'`)).rows[0].webhook_id).toBe('wh-ours');
    // A reconnect queues no second backfill: polling resumes from its cursor.
    expect((await ctx.queues.poll.getJobs(['waiting', 'delayed'])).filter((j) => j.name === 'backfill')).toHaveLength(1);
  });

  it('a 409 from Lightspeed (registered meanwhile) is answered by listing again', async () => {
    const state = await start(platform);
    tokenExchange();
    nock(STORE).get('/api/2.0/webhooks').reply(200, { data: [] });
    let posted = '';
    nock(STORE)
      .post('/api/2.0/webhooks', (body: { url?: string }) => Boolean((posted = body.url ?? '')))
      .reply(409, { error: 'A webhook with this type and URL already exists.' });
    nock(STORE)
      .get('/api/2.0/webhooks')
      .reply(200, () => ({ data: [{ id: 'wh-race', type: 'sale.update', url: posted, active: true }] }));
    expect((await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}`)).status).toBe(302);
    expect((await ctx.pool.query(`SELECT webhook_id FROM lightspeed_connections`)).rows[0].webhook_id).toBe('wh-race');
  });

  it.each([['evil.com/'], ['a..b'], ['127.0.0.1'], ['acme.evil.com'], ['acme:443'], ['user@acme']])(
    'refuses domain_prefix %j before any call and creates nothing',
    async (prefix) => {
      const state = await start(platform);
      const res = await platform.get('/connect/lightspeed/x/callback').query({ code: 'the-code', domain_prefix: prefix, state });
      expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_DOMAIN_PREFIX']);
      expect(await merchantCount()).toBe(0);
    },
  );

  it('refuses an expired state, a foreign state, an unknown state, and a state of the other series; creates nothing', async () => {
    const expired = await start(platform);
    await ctx.pool.query(`UPDATE connect_states SET expires_at = now() - interval '1 second'`);
    const late = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${expired}`);
    expect([late.status, late.body.error.code]).toEqual([400, 'STATE_EXPIRED']);

    // Started in one session, brought back in another (even the same person's, or no session at all).
    const mine = await start(platform);
    const other = await signIn('root@example.com');
    const foreign = await other.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${mine}`);
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'STATE_FOREIGN']);
    const anonymous = await request(app).get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${await start(platform)}`);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([403, 'STATE_FOREIGN']);
    // A foreign attempt burns the state: its owner cannot use it afterwards either.
    expect((await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${mine}`)).body.error.code).toBe('STATE_UNKNOWN');

    const made = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${'A'.repeat(43)}`);
    expect([made.status, made.body.error.code]).toEqual([400, 'STATE_UNKNOWN']);
    const malformed = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=short`);
    expect(malformed.status).toBe(400);

    const rState = new URL((await platform.get('/connect/lightspeed/r')).headers.location!).searchParams.get('state')!;
    const crossed = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${rState}`);
    expect([crossed.status, crossed.body.error.code]).toEqual([400, 'STATE_SERIES']);

    const denied = await platform.get(`/connect/lightspeed/x/callback?error=access_denied&state=${await start(platform)}`);
    expect([denied.status, denied.body.error.code]).toEqual([400, 'CONNECT_DENIED']);
    expect(await merchantCount()).toBe(0);
  });

  it('who may start: admins of the platform or of that merchant, in a console session only', async () => {
    await createXMerchant(ctx.pool, { id: 'bobs', domainPrefix: 'bobs' });
    await insertStaffUser(ctx.pool, { email: `admin-${Date.now()}@bobs.example`, name: 'Bea Bob', password: PASSWORD, role: 'admin', merchantId: 'bobs' }).then(
      async (u) => {
        const bob = await signIn(u!.email);
        expect((await bob.get('/connect/lightspeed/x?merchantId=acme')).status).toBe(404);
        const own = await bob.get('/connect/lightspeed/x');
        expect(own.status).toBe(302);
        expect((await ctx.pool.query(`SELECT merchant_id FROM connect_states`)).rows.map((r) => r.merchant_id)).toEqual(['bobs']);
      },
    );
    const support = await signIn('support@example.com');
    expect((await support.get('/connect/lightspeed/x')).status).toBe(403);
    expect((await request(app).get('/connect/lightspeed/x')).status).toBe(401);
    const token = await ctx.token('admin');
    expect((await request(app).get('/connect/lightspeed/x').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await platform.get('/connect/lightspeed/x?merchantId=Not_A_Slug')).status).toBe(400);
  });

  it('refuses to attach a store to a merchant of another store, or a store another merchant has', async () => {
    await createXMerchant(ctx.pool, { id: 'bobs', domainPrefix: 'bobs' });
    let state = await start(platform, '?merchantId=bobs');
    let res = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=acme&state=${state}`);
    expect([res.status, res.body.error.code]).toEqual([409, 'DIFFERENT_STORE']);
    state = await start(platform, '?merchantId=newone');
    res = await platform.get(`/connect/lightspeed/x/callback?code=c&domain_prefix=bobs&state=${state}`);
    expect([res.status, res.body.error.code]).toEqual([409, 'STORE_ALREADY_CONNECTED']);
    expect(await merchantCount()).toBe(1);
  });

  it('a refused authorization code is a 400 and creates nothing', async () => {
    const state = await start(platform);
    nock(STORE).post('/api/1.0/token').reply(400, { error: 'invalid_grant' });
    const res = await platform.get(`/connect/lightspeed/x/callback?code=used&domain_prefix=acme&state=${state}`);
    expect([res.status, res.body.error.code]).toEqual([400, 'CODE_REFUSED']);
    expect(await merchantCount()).toBe(0);
  });

  it('a refused refresh shows Reconnect (needs_reauth) in the view and the list; reconnecting clears it', async () => {
    await createXMerchant(ctx.pool);
    await ctx.pool.query(`UPDATE merchants SET needs_reauth = true, needs_reauth_reason = 'token refresh refused with 400'`);
    expect((await platform.get('/admin/api/merchants/acme/connection')).body).toMatchObject({
      status: 'needs_reauth',
      connectPath: '/connect/lightspeed/x?merchantId=acme',
    });
    expect((await platform.get('/admin/api/connections')).body).toEqual([
      { merchantId: 'acme', series: 'x', status: 'needs_reauth', connectPath: '/connect/lightspeed/x?merchantId=acme' },
    ]);
    const state = await start(platform, '?merchantId=acme');
    tokenExchange();
    // A merchant connected before URL tokens: its tokenless webhook is replaced by one carrying its new
    // token (deliveries to the old URL would now be refused and retried by Lightspeed for 48 h).
    nock(STORE)
      .get('/api/2.0/webhooks')
      .reply(200, { data: [{ id: 'wh-1', type: 'sale.update', url: WEBHOOK_URL, active: true }] });
    nock(STORE).delete('/api/2.0/webhooks/wh-1').reply(204);
    let registered = '';
    nock(STORE)
      .post('/api/2.0/webhooks', (body: { url?: string }) => Boolean((registered = body.url ?? '')))
      .reply(201, () => ({ data: { id: 'wh-2', type: 'sale.update', url: registered, active: true } }));
    expect((await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}`)).status).toBe(302);
    const m = (await getMerchant(ctx.pool, 'acme'))!;
    expect([m.needsReauth, m.accessToken]).toEqual([false, ACCESS]);
    expect(registered).toBe(`${WEBHOOK_URL}?token=${m.urlToken}`);
    expect(m.signedNeedsUrlToken).toBe(true);
    expect((await platform.get('/admin/api/connections')).body[0].status).toBe('connected');
  });

  it('disconnect removes our webhook, stops polling, forgets the tokens; the merchant and its history stay', async () => {
    const state = await start(platform);
    tokenExchange();
    nock(STORE).get('/api/2.0/webhooks').reply(200, { data: [] });
    nock(STORE)
      .post('/api/2.0/webhooks')
      .reply(201, { data: { id: 'wh-9', type: 'sale.update', url: WEBHOOK_URL, active: true } });
    expect((await platform.get(`/connect/lightspeed/x/callback?code=the-code&domain_prefix=acme&state=${state}`)).status).toBe(302);
    nock(STORE).delete('/api/2.0/webhooks/wh-9').matchHeader('authorization', `Bearer ${ACCESS}`).reply(204);
    const res = await platform.post('/admin/api/merchants/acme/disconnect').set('Origin', PUBLIC_URL).send({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'disconnected', webhookRemoved: true, webhookRegistered: false });
    const m = (await getMerchant(ctx.pool, 'acme'))!;
    expect([m.accessToken, m.refreshToken, m.tokenExpiresAt, m.paused]).toEqual([null, null, null, true]);
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('acme'))).toBeFalsy();
    expect((await platform.get('/admin/api/connections')).body[0].status).toBe('disconnected');
  });
});
