import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createRedis, pingRedis } from '../../../src/queue/connections.js';
import { createQueues } from '../../../src/queue/queues.js';
import { routeTable } from '../../../src/routes.js';
import { sweepInbox } from '../../../workers/sweep.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { freePort, RedisServer } from '../../helpers/redisServer.js';
import { deliver } from '../../helpers/webhook.js';

let ctx: TestContext;
let redisServer: RedisServer;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');

beforeAll(async () => {
  redisServer = new RedisServer(await freePort());
  await redisServer.start();
  ctx = await createTestContext({ REDIS_URL: redisServer.url, SWEEP_AGE_MS: 0 });
  await createXMerchant(ctx.pool);
});
afterAll(async () => {
  await ctx.cleanup();
  await redisServer.stop();
});

const waitingIds = async () => (await ctx.queues.sales.getJobs(['waiting'])).map((j) => j.data.eventId).sort((a, b) => a - b);

describe('nothing is lost when Redis is', () => {
  it('stopped during delivery: 200, and the sweeper enqueues it once Redis is back', async () => {
    await redisServer.stop();
    const res = await deliver(createApp(ctx, routeTable(ctx)), 'acme', closed, { secret: SECRET });
    expect(res.status).toBe(200);
    const { rows } = await ctx.pool.query(`SELECT id FROM sale_events`);
    expect(rows).toHaveLength(1);

    await redisServer.start();
    // The producer connection reconnects by itself; wait until it has.
    await pingRedis(ctx.redis, 5_000);
    expect(await waitingIds()).toEqual([]);
    expect(await sweepInbox(ctx)).toBe(1);
    expect(await waitingIds()).toEqual([rows[0].id]);
    // A second sweep finds the job already queued and adds nothing.
    expect(await sweepInbox(ctx)).toBe(0);
  });

  it('flushed: every unprocessed inbox row is re-enqueued', async () => {
    const app = createApp(ctx, routeTable(ctx));
    for (let version = 1; version <= 25; version += 1)
      await deliver(app, 'acme', { ...closed, id: `sale-${version}`, version }, { secret: SECRET }).expect(200);
    await ctx.pool.query(`UPDATE sale_events SET processed_at = now(), status = 'done' WHERE sale_id = 'sale-1'`);
    const flusher = createRedis(redisServer.url, 'worker');
    await flusher.flushall();
    flusher.disconnect();
    expect(await waitingIds()).toEqual([]);

    const fresh = createQueues(ctx.redis, ctx.config.QUEUE_PREFIX);
    const enqueued = await sweepInbox({ ...ctx, queues: fresh });
    const { rows } = await ctx.pool.query<{ id: number }>(`SELECT id FROM sale_events WHERE processed_at IS NULL ORDER BY id`);
    expect(enqueued).toBe(rows.length);
    expect(await waitingIds()).toEqual(rows.map((r) => r.id));
    await fresh.close();
  });

  it('swept with a backlog waiting: the queue is read once, not scanned per row (LPOS)', async () => {
    const app = createApp(ctx, routeTable(ctx));
    for (let version = 1; version <= 40; version += 1)
      await deliver(app, 'acme', { ...closed, id: `backlog-${version}`, version }, { secret: SECRET }).expect(200);
    await sweepInbox(ctx);
    const { rows } = await ctx.pool.query<{ id: number }>(`SELECT id FROM sale_events WHERE processed_at IS NULL`);
    expect(await waitingIds()).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));

    const monitor = await createRedis(redisServer.url, 'worker').monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(String(args[0]).toLowerCase()));
    expect(await sweepInbox(ctx)).toBe(0);
    // MONITOR reports asynchronously: a marker command says everything before it has arrived.
    await ctx.redis.echo('sweep-done');
    await vi.waitFor(() => expect(commands).toContain('echo'));
    monitor.disconnect();
    // Before: a getJob and a getState (scanning the wait list) per row, more than 2 commands per row.
    expect(commands.filter((c) => c === 'lpos')).toEqual([]);
    expect(commands.length).toBeLessThan(rows.length);
  });
});
