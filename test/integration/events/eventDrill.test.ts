import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventDrill } from '../../../bench/eventDrill.js';
import { startEventDelivery, type EventDelivery } from '../../../src/events/deliveryWorker.js';
import { writeEntry } from '../../../src/ledger/store/entries.js';
import { releaseDue } from '../../../src/ledger/release.js';
import { serviceApp } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// The fault drill's events oracle (bench/eventDrill.ts), run here on a small ledger so that it is known
// to pass when it should and to fail when an event is missing.
let ctx: TestContext;
let server: Server;
let delivery: EventDelivery;

beforeAll(async () => {
  ctx = await createTestContext({ WEBHOOK_ALLOW_CIDRS: ['127.0.0.1'], WEBHOOK_DISPATCH_EVERY_MS: 20, ADMIN_TOKEN: undefined });
  server = await new Promise<Server>((resolve) => {
    const s = serviceApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
  });
  delivery = startEventDelivery(ctx);
  await createXMerchant(ctx.pool, { id: 'drill' });
});
afterAll(async () => {
  await delivery.close();
  await new Promise((r) => server.close(r));
  await ctx.cleanup();
});

describe('the fault drill events oracle', () => {
  it('passes when every change has one event that reached the receiver, and names what is missing otherwise', async () => {
    const drill = await startEventDrill(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, await ctx.token('admin'));
    try {
      for (let i = 0; i < 5; i += 1)
        await writeEntry(ctx.pool, {
          merchantId: 'drill',
          customerId: `c${i}`,
          saleId: null,
          kind: 'earn',
          points: 10,
          status: 'pending',
          availableAt: new Date(Date.now() - 1000),
          decisionId: null,
          idempotencyKey: `drill-${i}`,
        });
      await releaseDue(ctx.pool, 'drill');
      expect(await drill.check(ctx.pool, 20_000)).toEqual([]);
      // A ledger change whose event is lost (deleted here) is caught; so is the delivery the receiver got
      // of an event the outbox no longer has.
      const lost = await ctx.pool.query(`DELETE FROM outbound_events WHERE source = (SELECT 'entry:' || min(id) FROM ledger_entries) RETURNING id`);
      expect(await drill.check(ctx.pool, 1_000)).toEqual([
        'events: 1 × entry without exactly one event',
        `events: 1 received that are no event of the outbox (e.g. ${lost.rows[0].id})`,
      ]);
    } finally {
      await drill.close();
    }
  });
});
