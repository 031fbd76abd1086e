import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdminToken, findToken } from '../../../src/access/tokens.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable, serviceApp } from '../../../src/routes.js';
import { createRedis } from '../../../src/queue/connections.js';
import { startHeartbeat } from '../../../src/queue/heartbeat.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.cleanup());

describe('health, readiness and metrics', () => {
  it('answers /healthz', async () => {
    const res = await request(createApp(ctx, routeTable(ctx))).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('is not ready without a worker heartbeat, and ready with one', async () => {
    const app = createApp(ctx, routeTable(ctx));
    const before = await request(app).get('/readyz');
    expect(before.status).toBe(503);
    expect(before.body.failed).toEqual(['worker']);
    const stop = startHeartbeat(ctx.redis, ctx.config.QUEUE_PREFIX);
    await new Promise((r) => setTimeout(r, 50));
    const after = await request(app).get('/readyz');
    stop();
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('ready');
  });

  it('answers 503 naming Redis when Redis is unreachable', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:1', 'producer');
    const res = await request(serviceApp({ ...ctx, redis: deadRedis })).get('/readyz');
    deadRedis.disconnect();
    expect(res.status).toBe(503);
    expect(res.body.failed).toContain('redis');
    expect(res.body.checks.redis.error).toContain('Redis at 127.0.0.1:6379');
  });

  it('serves Prometheus text with process metrics and queue counts', async () => {
    await ctx.queues.sales.add('probe', { eventId: 1 }, { jobId: 'probe-1' });
    const res = await request(createApp(ctx, routeTable(ctx))).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/loyalty_queue_jobs\{queue="sales",state="waiting"\} 1/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(createApp(ctx, routeTable(ctx))).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('first admin token', () => {
  it('is created from ADMIN_TOKEN once, and not again when tokens exist', async () => {
    await ctx.pool.query('DELETE FROM api_tokens');
    const given = 'a-very-long-admin-token-for-tests-0001';
    expect(await bootstrapAdminToken(ctx.pool, given)).toBeNull();
    expect((await findToken(ctx.pool, given))?.role).toBe('admin');
    expect(await bootstrapAdminToken(ctx.pool, undefined)).toBeNull();
    const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n FROM api_tokens`);
    expect(rows[0].n).toBe(1);
  });

  it('is generated and returned once when ADMIN_TOKEN is not set', async () => {
    await ctx.pool.query('DELETE FROM api_tokens');
    const generated = await bootstrapAdminToken(ctx.pool, undefined);
    expect(generated).toMatch(/^lw_/);
    expect((await findToken(ctx.pool, generated!))?.role).toBe('admin');
  });
});
