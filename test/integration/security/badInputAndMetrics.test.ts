import { Writable } from 'node:stream';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { createLogger } from '../../../src/logger.js';
import { routeTable, serviceApp } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// Findings 8 (5xx on bad input) and 9 (/metrics lists every merchant to anyone) of the hardening issue.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let admin: string;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  await createXMerchant(ctx.pool);
  admin = await ctx.token('admin');
});
afterAll(async () => ctx.cleanup());

const get = (path: string) => request(app).get(path).set('Authorization', `Bearer ${admin}`);

describe('bad input is a 4xx with a stable code, never a 5xx', () => {
  it.each([
    '/admin/api/merchants/ac%00me',
    '/admin/api/merchants/acme/sales/s%00x',
    '/admin/api/merchants/acme/customers/%ED%A0%80',
    `/admin/api/merchants/${'a'.repeat(300)}`,
  ])('GET %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
  });

  it('an adjustment of 2^31 points is refused with 400 and changes nothing', async () => {
    const res = await request(app)
      .post('/admin/api/merchants/acme/customers/c1/adjustments')
      .set('Authorization', `Bearer ${admin}`)
      .send({ points: 2 ** 31, reason: 'too many', idempotencyKey: 'huge-points-0001' });
    // Refused at the edge for its points (the key and reason are valid), not by PostgreSQL's integer column.
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toMatch(/^body\.points: /);
    const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n FROM ledger_entries`);
    expect(rows[0].n).toBe(0);
  });

  it('a balance past 2^31 (the sum of allowed adjustments) is shown, not answered 400 after the write committed', async () => {
    // Each adjustment is within bounds; their sum is not a 32-bit integer. The balance column is bigint.
    const adjust = (key: string) =>
      request(app)
        .post('/admin/api/merchants/acme/customers/c-big/adjustments')
        .set('Authorization', `Bearer ${admin}`)
        .send({ points: 1_000_000_000, reason: 'big spender', idempotencyKey: key });
    for (const key of ['big-points-0001', 'big-points-0002']) expect((await adjust(key)).status).toBe(201);
    const third = await adjust('big-points-0003');
    expect(third.status).toBe(201);
    expect(third.body.available).toBe(3_000_000_000);
    const view = await get('/admin/api/merchants/acme/customers/c-big');
    expect(view.status).toBe(200);
    expect(view.body.available).toBe(3_000_000_000);
    const search = await get('/admin/api/search?q=c-big');
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).toContain('3000000000');
  });

  it('the admin API answers 503 naming PostgreSQL while it is down, with no driver text', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 500 });
    const lines: Array<{ level: number; err?: { stack?: string } }> = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const down = serviceApp({ ...ctx, pool: dead, logger: createLogger('info', {}, { destination: sink }) });
    // Authentication is the first thing that needs the database.
    const res = await request(down).get('/admin/api/merchants/acme').set('Authorization', `Bearer ${admin}`);
    await dead.end();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.body.error.message).toContain('PostgreSQL');
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    // A dependency being away is not a bug: its request is logged at warn, without a stack (an outage would
    // otherwise fill the error log with one line per request).
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.err?.stack)).toEqual([]);
  });
});

describe('/metrics', () => {
  it('with METRICS_TOKEN set, answers only its bearer (the series name merchants)', async () => {
    const guarded = serviceApp({ ...ctx, config: { ...ctx.config, METRICS_TOKEN: 'metrics-token-0123456789' } });
    expect((await request(guarded).get('/metrics')).status).toBe(401);
    expect((await request(guarded).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    const ok = await request(guarded).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('process_cpu_user_seconds_total');
  });

  it('in production without METRICS_TOKEN it is closed', async () => {
    const prod = serviceApp({ ...ctx, config: { ...ctx.config, NODE_ENV: 'production', SESSION_SECRET: 'test-session-secret-0123456789abcdef' } });
    const res = await request(prod).get('/metrics');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('merchant=');
  });
});
