import { Writable } from 'node:stream';
import nock from 'nock';
import { z } from 'zod';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { LightspeedClient } from '../../src/lightspeed/client.js';
import { createLogger } from '../../src/logger.js';
import { getMerchant } from '../../src/merchants/store/repo.js';
import { seedOutlets } from '../helpers/merchants.js';
import { routeTable } from '../../src/routes.js';
import { createTestContext, fixture, type TestContext } from '../helpers/context.js';
import { formBody, sign } from '../helpers/webhook.js';

let ctx: TestContext;
const lines: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // The service's own logger (its serializers and redaction), writing where the test can read it.
  ctx.logger = createLogger('debug', {}, { destination: sink });
});
afterAll(async () => ctx.cleanup());

describe('logs', () => {
  it('a failed token refresh logs neither the refresh token nor the client secret it posted', async () => {
    const secrets = { refreshToken: 'rt-refresh-never-log-0005', clientSecret: 'cs-client-secret-never-log-0006', accessToken: 'at-old-never-log-0007' };
    const BASE = 'http://refresh.test';
    await ctx.pool.query(
      `INSERT INTO merchants (id, name, series, account_id, timezone, access_token, refresh_token, token_expires_at, api_base_url)
       VALUES ('refresher', 'R', 'r', '777', 'UTC', $1, $2, now() - interval '1 hour', $3)`,
      [secrets.accessToken, secrets.refreshToken, BASE],
    );
    const config = {
      ...ctx.config,
      R_OAUTH_TOKEN_URL: `${BASE}/auth/oauth/token`,
      LIGHTSPEED_CLIENT_ID: 'app',
      LIGHTSPEED_CLIENT_SECRET: secrets.clientSecret,
    };
    nock.disableNetConnect();
    try {
      // The token endpoint fails twice: once echoing what it was sent (a 5xx is retried by the job), once at the network.
      nock(BASE)
        .post('/auth/oauth/token')
        .reply(500, (_uri, body) => ({ echoed: body }));
      nock(BASE)
        .post('/auth/oauth/token')
        .replyWithError({ code: 'ECONNRESET', message: `socket hang up sending ${secrets.refreshToken}` });
      for (let i = 0; i < 2; i += 1) {
        const client = new LightspeedClient((await getMerchant(ctx.pool, 'refresher'))!, { db: ctx.pool, redis: ctx.redis, config, baseDelayMs: 1 });
        const error = await client.get('Sale/1.json', z.unknown()).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        // As the sales worker logs a failed job.
        ctx.logger.warn({ err: error, merchantId: 'refresher' }, 'sale job failed');
      }
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
    const log = lines.join('');
    expect(log).toContain('sale job failed');
    expect(log).toContain('/auth/oauth/token');
    for (const secret of Object.values(secrets)) expect(log).not.toContain(secret);
  });

  it('never contain a token, a secret or a signature', async () => {
    const app = createApp(ctx, routeTable(ctx));
    const admin = await ctx.token('admin');
    const secrets = {
      webhookSecret: 'whsec-never-log-me-0001',
      accessToken: 'at-never-log-me-0002',
      refreshToken: 'rt-never-log-me-0003',
      urlToken: 'url-never-log-me-0004',
    };
    await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        id: 'quiet',
        name: 'Quiet',
        series: 'x',
        domainPrefix: 'quiet',
        timezone: 'UTC',
        webhookSecret: secrets.webhookSecret,
        allowUnsigned: true,
        urlToken: secrets.urlToken,
        credentials: { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken },
      })
      .expect(201);
    await seedOutlets(ctx.pool, 'quiet');
    const body = formBody(fixture('lightspeed/x/sale-closed.json'));
    const signature = sign(secrets.webhookSecret, body);
    await request(app)
      .post('/webhooks/lightspeed/x/quiet')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-Signature', signature)
      .send(body)
      .expect(200);
    await request(app)
      .post(`/webhooks/lightspeed/x/quiet?token=${secrets.urlToken}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(body)
      .expect(200);
    await request(app)
      .post('/webhooks/lightspeed/x/quiet')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .set('X-Signature', 'signature=deadbeef,algorithm=HMAC-SHA256')
      .send(body)
      .expect(401);
    // Credentials in query strings, including a repeated one and one under another name.
    await request(app)
      .get(`/admin/api/merchants/quiet?access_token=${secrets.accessToken}&token=${admin}&token=${secrets.urlToken}&client_secret=${secrets.webhookSecret}`)
      .expect(401);
    const log = lines.join('');
    expect(log).toContain('request completed');
    for (const secret of [admin, ...Object.values(secrets), signature.split(',')[0]!.slice('signature='.length)]) expect(log).not.toContain(secret);
  });
});
