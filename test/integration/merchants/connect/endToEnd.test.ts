import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMerchant } from '../../../../src/merchants/store/repo.js';
import { saveRules } from '../../../../src/ruleVersions/store/rulesRepo.js';
import { pollSchedulerId } from '../../../../src/queue/jobs.js';
import { rulesSchema } from '../../../../src/rules/rules.js';
import { serviceApp } from '../../../../src/routes.js';
import { DEVELOPMENT_KEYS, installKeyring } from '../../../../src/secrets/keyring.js';
import { sealMerchantSecrets } from '../../../../src/merchants/sealMerchantSecrets.js';
import { insertStaffUser } from '../../../../src/staff/users.js';
import { FakeLightspeed } from '../../../../tools/fake-lightspeed/index.js';
import { startWorkers, type RunningWorkers } from '../../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../../helpers/context.js';
import { waitFor } from '../../../helpers/wait.js';
import { deliver } from '../../../helpers/webhook.js';

// Both series connected end to end against the local fake Lightspeed (tools/fake-lightspeed): the
// browser's trip to the authorize page and back, the code exchanged, the webhook registered there, sales
// credited by the real workers; then disconnect and reconnect, and key rotation, without a sale credited twice.
let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
let fake: FakeLightspeed;
let workers: RunningWorkers | null = null;
let agent: ReturnType<typeof request.agent>;
const PUBLIC_URL = 'http://loyalty.test';
const CLIENT_ID = 'fake-app';
const CLIENT_SECRET = `client-secret-MARKER-${randomBytes(6).toString('hex')}`;
const PASSWORD = 'correct horse battery staple';
type Json = Record<string, unknown>;

/** What a person's browser does: our Connect URL → Lightspeed's authorize page → our callback. */
async function connect(series: 'x' | 'r', query = ''): Promise<string> {
  const start = await agent.get(`/connect/lightspeed/${series}${query}`);
  expect(start.status, JSON.stringify(start.body)).toBe(302);
  const authorize = await fetch(start.headers.location!, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const back = new URL(authorize.headers.get('location')!);
  expect(back.origin).toBe(PUBLIC_URL);
  const done = await agent.get(back.pathname + back.search);
  expect(done.status, JSON.stringify(done.body)).toBe(302);
  return done.headers.location!;
}

/** Every row of every table of the test's schema, as a database dump would show it. */
async function dumpAll(): Promise<string> {
  const { rows } = await ctx.pool.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [ctx.schema],
  );
  let out = '';
  for (const { t } of rows)
    out += (await ctx.pool.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`)).rows.map((r) => r.j).join('\n') + '\n';
  return out;
}

const entries = async (merchantId: string) =>
  (
    await ctx.pool.query<{ sale_id: string; kind: string; points: number }>(
      `SELECT sale_id, kind, points::int FROM ledger_entries WHERE merchant_id = $1 ORDER BY id`,
      [merchantId],
    )
  ).rows;
const available = async (merchantId: string, customerId: string) =>
  (await ctx.pool.query(`SELECT available::int FROM customers WHERE merchant_id = $1 AND customer_id = $2`, [merchantId, customerId])).rows[0]?.available as
    | number
    | undefined;
const cursorOf = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT cursor FROM poll_state WHERE merchant_id = $1`, [merchantId])).rows[0]?.cursor as string | undefined;

beforeAll(async () => {
  fake = new FakeLightspeed({ strictTokens: true });
  await fake.start();
  fake.authorization.clientId = CLIENT_ID;
  fake.authorization.clientSecret = CLIENT_SECRET;
  fake.authorization.approveAs = { x: 'acme', r: '12345' };
  ctx = await createTestContext({
    PUBLIC_URL,
    LIGHTSPEED_CLIENT_ID: CLIENT_ID,
    LIGHTSPEED_CLIENT_SECRET: CLIENT_SECRET,
    X_OAUTH_AUTHORIZE_URL: `${fake.url}/connect`,
    R_OAUTH_AUTHORIZE_URL: `${fake.url}/auth/oauth/authorize`,
    X_OAUTH_TOKEN_URL: `${fake.url}/api/1.0/token`,
    R_OAUTH_TOKEN_URL: `${fake.url}/auth/oauth/token`,
    X_CONNECT_API_BASE: `${fake.url}/x/{domain_prefix}`,
    R_CONNECT_API_BASE: fake.url,
    SWEEP_AGE_MS: 0,
  });
  app = serviceApp(ctx);
  await insertStaffUser(ctx.pool, { email: 'root@example.com', name: 'Pat Platform', password: PASSWORD, role: 'admin', merchantId: null });
  agent = request.agent(app);
  expect((await agent.post('/admin/api/session').set('Origin', PUBLIC_URL).send({ email: 'root@example.com', password: PASSWORD })).status).toBe(200);
});
afterAll(async () => {
  await workers?.close(5_000);
  installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS });
  await fake.stop();
  await ctx.cleanup();
});

describe('connecting stores against the fake Lightspeed', () => {
  const closed = fixture<Json>('lightspeed/x/sale-closed.json');
  const customer = String(closed.customer_id);

  it('X-Series: connect, webhook registered once across two connects, credited, disconnect and reconnect credit nothing twice, rotation keeps webhooks verifying', async () => {
    expect(await connect('x', '?timezone=America%2FMontreal')).toBe('/console/merchants/acme/operations?connected=x');
    const m = (await getMerchant(ctx.pool, 'acme'))!;
    expect([m.domainPrefix, m.apiBaseUrl, m.webhookSecret]).toEqual(['acme', `${fake.url}/x/acme`, CLIENT_SECRET]);
    expect(
      fake
        .x('acme')
        .webhooks.list()
        .map((w) => [w.type, w.url]),
    ).toEqual([['sale.update', `${PUBLIC_URL}/webhooks/lightspeed/x/acme?token=${m.urlToken}`]]);
    expect(await connect('x', '?merchantId=acme')).toBe('/console/merchants/acme/operations?connected=x');
    expect(fake.x('acme').webhooks.list()).toHaveLength(1);

    // A database dump after connecting holds no token or secret in clear.
    const tokens = (await getMerchant(ctx.pool, 'acme'))!;
    const dump = await dumpAll();
    for (const secret of [tokens.accessToken!, tokens.refreshToken!, CLIENT_SECRET]) expect(dump).not.toContain(secret);

    await saveRules(ctx.pool, 'acme', rulesSchema.parse({ autoRewards: { enabled: true, startDate: '2026-01-01' } }), 'test');
    workers = await startWorkers(ctx, { concurrency: 2 });
    // Lightspeed's delivery, signed with the app's client secret (what webhooks an OAuth app registers carry).
    // Delivered before the reconciliation poll can see it (the poll would store it first: 'duplicate').
    expect((await deliver(app, 'acme', closed, { secret: CLIENT_SECRET, token: m.urlToken! })).body.status).toBe('accepted');
    fake.x('acme').putSale(closed);
    const once = await waitFor(async () => available('acme', customer), 20_000, 'the X sale to be credited');
    expect(once).toBeGreaterThan(0);

    const res = await agent.post('/admin/api/merchants/acme/disconnect').set('Origin', PUBLIC_URL).send({});
    expect(res.body).toMatchObject({ status: 'disconnected', webhookRemoved: true });
    expect(fake.x('acme').webhooks.list()).toEqual([]);
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('acme'))).toBeFalsy();
    // Lightspeed retries the first sale and a new one arrives while disconnected: stored, they wait.
    const second = { ...closed, id: '0242ac12-0002-11e9-e8c4-5b3a1f6f0a02', invoice_number: '2', version: Number(closed.version) + 5 };
    fake.x('acme').putSale(second);
    expect((await deliver(app, 'acme', closed, { secret: CLIENT_SECRET, token: m.urlToken! })).body.status).toBe('duplicate');
    expect((await deliver(app, 'acme', second, { secret: CLIENT_SECRET, token: m.urlToken! })).body.status).toBe('accepted');

    expect(await connect('x', '?merchantId=acme')).toBe('/console/merchants/acme/operations?connected=x');
    expect(fake.x('acme').webhooks.list()).toHaveLength(1);
    expect((await agent.get('/admin/api/merchants/acme/connection')).body.status).toBe('connected');
    await waitFor(async () => (await available('acme', customer)) === once * 2, 20_000, 'the second sale to be credited after reconnecting');
    // The reconciliation poll resumes and finds both sales again: nothing more is credited.
    await ctx.queues.poll.add('poll', { merchantId: 'acme' });
    await waitFor(
      async () => (await ctx.pool.query(`SELECT last_run_at FROM poll_state WHERE merchant_id = 'acme'`)).rows[0]?.last_run_at,
      20_000,
      'a poll run',
    );
    const credits = (await entries('acme')).filter((e) => e.kind === 'earn' || e.points > 0);
    expect(credits.map((e) => e.sale_id).sort()).toEqual([String(closed.id), second.id].sort());
    expect(await available('acme', customer)).toBe(once * 2);

    // Rotation: every row re-encrypted under the new key; with the old key gone, deliveries still verify.
    const k2 = `k2:${randomBytes(32).toString('base64')}`;
    expect(await sealMerchantSecrets(ctx.pool, installKeyring({ NODE_ENV: 'test', SECRETS_KEY: `${k2},${DEVELOPMENT_KEYS}` }))).toBeGreaterThanOrEqual(1);
    const sealed = (await ctx.pool.query(`SELECT webhook_secret, access_token, refresh_token FROM merchants WHERE id = 'acme'`)).rows[0];
    for (const value of Object.values(sealed)) expect(String(value)).toMatch(/^enc:v1:k2:/);
    installKeyring({ NODE_ENV: 'test', SECRETS_KEY: k2 });
    const third = { ...closed, id: '0242ac12-0002-11e9-e8c4-5b3a1f6f0a03', invoice_number: '3', version: Number(closed.version) + 9 };
    expect((await deliver(serviceApp(ctx), 'acme', third, { secret: CLIENT_SECRET, token: m.urlToken! })).body.status).toBe('accepted');
    await waitFor(async () => (await available('acme', customer)) === once * 3, 20_000, 'a sale credited after the rotation');
    installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS + ',' + k2 });
  });

  it('R-Series: connect with PKCE, polling started, the POS button URL; disconnect then reconnect resumes from the cursor without crediting twice', async () => {
    // The workers wait until the new merchant's rules are saved (the initial backfill is queued at connect).
    await workers?.close(5_000);
    const sale = { ...fixture<{ Sale: Json }>('lightspeed/r/sale-completed.json').Sale, updatetime: new Date().toISOString() };
    fake.r('12345').putSale(sale);
    expect(await connect('r', '?merchantId=rpets&timezone=America%2FMontreal')).toBe('/console/merchants/rpets/operations?connected=r');
    const m = (await getMerchant(ctx.pool, 'rpets'))!;
    expect([m.series, m.accountId, m.apiBaseUrl]).toEqual(['r', '12345', fake.url]);
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('rpets'))).toBeTruthy();
    expect((await agent.get('/admin/api/merchants/rpets/connection')).body).toMatchObject({
      status: 'connected',
      posButtonUrl: `${PUBLIC_URL}/pos/lightspeed/r/rpets/rewards`,
    });
    await saveRules(ctx.pool, 'rpets', rulesSchema.parse({ autoRewards: { enabled: true, startDate: '2026-01-01' } }), 'test');
    workers = await startWorkers(ctx, { concurrency: 2 });
    // The initial backfill was queued at connect; a poll runs too: one sale, both paths, credited once.
    await ctx.queues.poll.add('poll', { merchantId: 'rpets' });
    await waitFor(async () => (await available('rpets', '877')) === 75, 20_000, 'the polled sale to be credited');
    const cursor = await waitFor(async () => cursorOf('rpets'), 20_000, 'the cursor');

    expect((await agent.post('/admin/api/merchants/rpets/disconnect').set('Origin', PUBLIC_URL).send({})).body.status).toBe('disconnected');
    const forgotten = (await getMerchant(ctx.pool, 'rpets'))!;
    expect([forgotten.accessToken, forgotten.refreshToken, forgotten.paused]).toEqual([null, null, true]);
    expect(await ctx.queues.poll.getJobScheduler(pollSchedulerId('rpets'))).toBeFalsy();

    const refund = { ...fixture<{ Sale: Json }>('lightspeed/r/sale-refund.json').Sale, updatetime: new Date(Date.now() + 1_000).toISOString() };
    fake.r('12345').putSale(refund);
    expect(await connect('r', '?merchantId=rpets')).toBe('/console/merchants/rpets/operations?connected=r');
    expect(await cursorOf('rpets')).toBe(cursor);
    expect(
      (await ctx.queues.poll.getJobs(['waiting', 'delayed', 'completed', 'active'])).filter((j) => j.name === 'backfill' && j.data.merchantId === 'rpets'),
    ).toHaveLength(1);
    await ctx.queues.poll.add('poll', { merchantId: 'rpets' });
    await waitFor(async () => (await available('rpets', '877')) === 56, 20_000, 'the refund to be reversed once');
    await ctx.queues.poll.add('poll', { merchantId: 'rpets' });
    await waitFor(async () => (await cursorOf('rpets')) !== cursor, 20_000, 'the cursor to move');
    const rows = await entries('rpets');
    expect(rows.filter((e) => e.sale_id === '51234')).toHaveLength(1);
    expect(await available('rpets', '877')).toBe(56);
  });
});
