import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventDelivery, type EventDelivery } from '../../../src/events/deliveryWorker.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';
import { startReceiver } from '../../helpers/webhookReceiver.js';

// The delivery worker's lanes: an endpoint whose last round delivered nothing drains in a lane of its own,
// so with every healthy slot free a healthy endpoint is served while a failing one's retry still hangs.
// WEBHOOK_CONCURRENCY=1: with a single lane, the hanging retry would hold the only slot for its 60 s timeout.
let ctx: TestContext;
let delivery: EventDelivery;

beforeAll(async () => {
  ctx = await createTestContext({
    WEBHOOK_ALLOW_CIDRS: ['127.0.0.1'],
    WEBHOOK_DISPATCH_EVERY_MS: 20,
    WEBHOOK_TIMEOUT_MS: 60_000,
    WEBHOOK_CONCURRENCY: 1,
  });
  await createXMerchant(ctx.pool, { id: 'down', domainPrefix: 'down' });
  await createXMerchant(ctx.pool, { id: 'up', domainPrefix: 'up' });
  delivery = startEventDelivery(ctx);
});
afterAll(async () => {
  await delivery.close();
  await ctx.cleanup();
});

async function endpoint(merchantId: string, url: string): Promise<void> {
  // The development keyring reads a secret without the enc: prefix as is.
  await ctx.pool.query(`INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ($1, $2, $3)`, [
    merchantId,
    url,
    `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
  ]);
}

const emit = (merchantId: string, n: number) =>
  ctx.pool.query(`SELECT events_emit($1, 'points.adjusted', NULL, 'c', NULL, '{}'::jsonb) FROM generate_series(1, $2)`, [merchantId, n]);

describe('delivery lanes', () => {
  it('a failing endpoint’s hanging retry does not hold the slot a healthy endpoint needs', async () => {
    // The first round answers 500 at once (the endpoint is now failing); its retry, about 5 s later, hangs.
    let answered = 0;
    const down = await startReceiver(() => (answered++ < 1 ? 500 : 'hang'));
    const up = await startReceiver();
    try {
      await endpoint('down', down.url);
      await endpoint('up', up.url);
      await emit('down', 1);
      await delivery.dispatchNow();
      await waitFor(async () => down.hanging.size > 0, 30_000, 'the failing endpoint’s retry hanging');
      await emit('up', 5);
      await delivery.dispatchNow();
      await waitFor(async () => up.received.length >= 5, 30_000, 'the healthy endpoint’s events');
      // Delivered while the retry was still unanswered.
      expect(down.hanging.size).toBe(1);
      expect(down.received.length).toBe(2);
    } finally {
      await down.close();
      await up.close();
    }
  });
});
