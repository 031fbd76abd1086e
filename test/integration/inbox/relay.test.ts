import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { relayInbox, startInboxRelay, type InboxRelay } from '../../../src/inbox/relay.js';
import { countRelayed } from '../../../src/inbox/relayRepo.js';
import { pingRedis } from '../../../src/queue/connections.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { freePort, RedisServer } from '../../helpers/redisServer.js';
import { deliver } from '../../helpers/webhook.js';

let ctx: TestContext;
let redisServer: RedisServer;
let relay: InboxRelay | undefined;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');

beforeAll(async () => {
  redisServer = new RedisServer(await freePort());
  await redisServer.start();
  // The sweeper would queue nothing younger than an hour: only the relay can queue these deliveries.
  ctx = await createTestContext({ REDIS_URL: redisServer.url, SWEEP_AGE_MS: 3_600_000 });
  await createXMerchant(ctx.pool);
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM sale_events');
  await ctx.pool.query('DELETE FROM sale_event_relay');
  await ctx.queues.sales.obliterate({ force: true });
});
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});
afterAll(async () => {
  await ctx.cleanup();
  await redisServer.stop();
});

const waitingIds = async () => (await ctx.queues.sales.getJobs(['waiting'])).map((j) => j.data.eventId).sort((a, b) => a - b);
const storedIds = async () => (await ctx.pool.query<{ id: number }>(`SELECT id FROM sale_events ORDER BY id`)).rows.map((r) => r.id);

async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > deadline) {
      expect(value).toEqual(expected);
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the inbox relay (the webhook no longer queues on its request path)', () => {
  it('a delivery committed while Redis is up gets its job from the relay, woken by the commit (no sweeper, no timer)', async () => {
    // A timer of an hour: only the notification can wake it in time.
    relay = startInboxRelay(ctx, { pollMs: 3_600_000 });
    // The relay's first pass (at LISTEN) is behind us before the deliveries.
    await new Promise((r) => setTimeout(r, 300));
    const app = createApp(ctx, routeTable(ctx));
    for (let i = 1; i <= 3; i += 1) await deliver(app, 'acme', { ...closed, id: `relayed-${i}` }, { secret: SECRET }).expect(200);
    const ids = await storedIds();
    expect(ids).toHaveLength(3);
    await eventually(waitingIds, ids);
    // The ids leave the relay table when the pass commits, just after the jobs are added.
    await eventually(() => countRelayed(ctx.pool), 0);
    // The job is named as the dashboard shows it.
    expect((await ctx.queues.sales.getJob(`event-${ids[0]}`))?.name).toBe(`sale acme relayed-1 #1042`);
  });

  it('without a relay running, nothing is queued: the delivery waits in the relay table', async () => {
    await deliver(createApp(ctx, routeTable(ctx)), 'acme', closed, { secret: SECRET }).expect(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await waitingIds()).toEqual([]);
    expect(await countRelayed(ctx.pool)).toBe(1);
  });

  it('a delivery whose enqueue fails (Redis down) keeps its relay id and is queued by a later pass, not by the sweeper', async () => {
    await redisServer.stop();
    const res = await deliver(createApp(ctx, routeTable(ctx)), 'acme', closed, { secret: SECRET });
    expect(res.status).toBe(200);
    await expect(relayInbox(ctx)).rejects.toThrow(/could not enqueue/);
    expect(await countRelayed(ctx.pool)).toBe(1);

    await redisServer.start();
    await pingRedis(ctx.redis, 5_000);
    relay = startInboxRelay(ctx, { pollMs: 100 });
    await eventually(waitingIds, [res.body.eventId]);
    await eventually(() => countRelayed(ctx.pool), 0);
  });

  it('a duplicate of a row not done is relayed again (one job: the job id is the event id); a done row is not', async () => {
    const app = createApp(ctx, routeTable(ctx));
    const first = await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect(await relayInbox(ctx)).toBe(1);
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect(await countRelayed(ctx.pool)).toBe(1);
    expect(await relayInbox(ctx)).toBe(1);
    expect(await waitingIds()).toEqual([first.body.eventId]);

    await ctx.pool.query(`UPDATE sale_events SET processed_at = now(), status = 'done'`);
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect(await countRelayed(ctx.pool)).toBe(0);
  });

  it('relays in batches, oldest first, until the table is empty', async () => {
    const app = createApp(ctx, routeTable(ctx));
    await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(app, 'acme', { ...closed, id: `batch-${i}` }, { secret: SECRET }).expect(200)));
    expect(await relayInbox(ctx, 5)).toBe(12);
    expect(await waitingIds()).toEqual(await storedIds());
    expect(await countRelayed(ctx.pool)).toBe(0);
  });
});
