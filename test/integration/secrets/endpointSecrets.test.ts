import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainEndpoint } from '../../../src/events/drainEndpoint.js';
import { targetPolicy } from '../../../src/events/targetPolicy.js';
import { serviceApp } from '../../../src/routes.js';
import { DEVELOPMENT_KEYS, installKeyring } from '../../../src/secrets/keyring.js';
import { sealAllSecrets } from '../../../src/secretRotation/rotateSecrets.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { startReceiver } from '../../helpers/webhookReceiver.js';

// `npm run secrets -- rotate` (and the boot step) re-encrypt webhook endpoints' signing secrets, the
// current one and the previous one of a rotation's overlap, and deliveries still verify afterwards.
let ctx: TestContext;
let admin: string;

beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_CIDRS: ['127.0.0.1'] });
  admin = await ctx.token('admin');
  installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS });
});
afterAll(async () => {
  installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS });
  await ctx.cleanup();
});

describe('endpoint signing secrets under key rotation', () => {
  it('rotate re-seals current and previous secrets under the new key (once); deliveries verify with both after the old key is gone', async () => {
    const receiver = await startReceiver();
    try {
      const app = serviceApp(ctx);
      await createXMerchant(ctx.pool, { id: 'rot', domainPrefix: 'rot' });
      const made = await request(app)
        .post('/admin/api/merchants/rot/webhook-endpoints')
        .set('Authorization', `Bearer ${admin}`)
        .send({ url: receiver.url })
        .expect(201);
      const id = made.body.endpoint.id as number;
      const oldSecret = made.body.secret as string;
      const rotated = await request(app)
        .post(`/admin/api/merchants/rot/webhook-endpoints/${id}/rotate-secret`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      const newSecret = rotated.body.secret as string;
      const stored = async () => (await ctx.pool.query(`SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1`, [id])).rows[0];
      const before = await stored();
      expect(before.secret).toMatch(/^enc:v1:dev:/);
      expect(before.previous_secret).toMatch(/^enc:v1:dev:/);

      const k2 = `k2:${randomBytes(32).toString('base64')}`;
      const rotating = installKeyring({ NODE_ENV: 'test', SECRETS_KEY: `${k2},${DEVELOPMENT_KEYS}` });
      expect(await sealAllSecrets(ctx.pool, rotating)).toEqual({ merchants: 1, endpoints: 1 });
      expect(await sealAllSecrets(ctx.pool, rotating)).toEqual({ merchants: 0, endpoints: 0 });
      const after = await stored();
      expect(after.secret).toMatch(/^enc:v1:k2:/);
      expect(after.previous_secret).toMatch(/^enc:v1:k2:/);

      // The old key retired: a test event is signed with both secrets, each verifying.
      const ring = installKeyring({ NODE_ENV: 'test', SECRETS_KEY: k2 });
      const sent = await request(app).post(`/admin/api/merchants/rot/webhook-endpoints/${id}/test`).set('Authorization', `Bearer ${admin}`).expect(202);
      const result = await drainEndpoint(
        {
          pool: ctx.pool,
          ring,
          policy: targetPolicy({ production: false, allowCidrs: ['127.0.0.1'] }),
          timeoutMs: 5_000,
          disableAfterMs: 1e12,
          batch: 10,
          parallel: 2,
        },
        id,
      );
      expect(result.delivered).toBe(1);
      const got = receiver.received.find((r) => r.headers['webhook-id'] === sent.body.eventId)!;
      for (const secret of [newSecret, oldSecret]) expect(new Webhook(secret).verify(got.body, got.headers)).toMatchObject({ type: 'webhook.test' });
    } finally {
      await receiver.close();
    }
  });
});
