import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { redactPaths } from '../../src/logger.js';
import { httpExtras } from '../../src/routes.js';
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
  ctx.logger = pino({ level: 'debug', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
});
afterAll(async () => ctx.cleanup());

describe('logs', () => {
  it('never contain a token, a secret or a signature', async () => {
    const app = createApp(ctx, httpExtras(ctx));
    const admin = await ctx.token('admin');
    const secrets = { webhookSecret: 'whsec-never-log-me-0001', accessToken: 'at-never-log-me-0002', refreshToken: 'rt-never-log-me-0003', urlToken: 'url-never-log-me-0004' };
    await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({ id: 'quiet', name: 'Quiet', series: 'x', domainPrefix: 'quiet', timezone: 'UTC', webhookSecret: secrets.webhookSecret, allowUnsigned: true, urlToken: secrets.urlToken, credentials: { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken } })
      .expect(201);
    const body = formBody(fixture('lightspeed/x/sale-closed.json'));
    const signature = sign(secrets.webhookSecret, body);
    await request(app).post('/webhooks/lightspeed/x/quiet').set('Content-Type', 'application/x-www-form-urlencoded').set('X-Signature', signature).send(body).expect(200);
    await request(app).post(`/webhooks/lightspeed/x/quiet?token=${secrets.urlToken}`).set('Content-Type', 'application/x-www-form-urlencoded').send(body).expect(200);
    await request(app).post('/webhooks/lightspeed/x/quiet').set('Content-Type', 'application/x-www-form-urlencoded').set('X-Signature', 'signature=deadbeef,algorithm=HMAC-SHA256').send(body).expect(401);
    const log = lines.join('');
    expect(log).toContain('request completed');
    for (const secret of [admin, ...Object.values(secrets), signature.split(',')[0]!.slice('signature='.length)]) expect(log).not.toContain(secret);
  });
});
