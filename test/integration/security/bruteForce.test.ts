import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

// Finding 7: guesses were answered 401 forever. Counted in Redis, so two app instances share the count.
let ctx: TestContext;
const LIMIT = 5;

beforeAll(async () => {
  ctx = await createTestContext({ AUTH_FAILURES_PER_MINUTE: LIMIT, PUBLIC_URL: 'https://loyalty.example.test' });
});
afterAll(async () => ctx.cleanup());

describe('authentication failures are rate limited per address', () => {
  it('past the limit of wrong tokens, every wrong one from that address gets 429 with Retry-After; a right token still passes (issue 23 item 9)', async () => {
    // Two processes behind one port: the count is shared through Redis.
    const [a, b] = [createApp(ctx, routeTable(ctx)), createApp(ctx, routeTable(ctx))];
    const admin = await ctx.token('admin');
    const guess = (app: typeof a, i: number, from = '203.0.113.7') =>
      request(app).get('/admin/api/merchants/acme').set('X-Forwarded-For', from).set('Authorization', `Bearer lw_guess-${i}`);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await guess(i % 2 ? a : b, i)).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.slice(LIMIT + 1)).toEqual(Array(12 - LIMIT - 1).fill(429));
    const blocked = await guess(a, 99);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another client behind the same address, with its right token: others' failures never refuse it.
    const right = await request(a).get('/admin/api/merchants/acme').set('X-Forwarded-For', '203.0.113.7').set('Authorization', `Bearer ${admin}`);
    expect(right.status).toBe(404);
    const elsewhere = await request(a).get('/admin/api/merchants/acme').set('X-Forwarded-For', '198.51.100.9').set('Authorization', `Bearer ${admin}`);
    expect(elsewhere.status).toBe(404);
  });

  it('a concurrent burst of wrong tokens gets exactly the limit checked (401), every other one 429, across two processes', async () => {
    // One listening server per process, so the burst really is concurrent (not one server per request).
    const servers = [createApp(ctx, routeTable(ctx)).listen(0), createApp(ctx, routeTable(ctx)).listen(0)];
    try {
      const BURST = 60;
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          request(`http://127.0.0.1:${(servers[i % 2]!.address() as AddressInfo).port}`)
            .get('/admin/api/merchants/acme')
            .set('X-Forwarded-For', '203.0.113.99')
            .set('Authorization', `Bearer lw_burst-${i}`),
        ),
      );
      const count = (status: number) => answers.filter((a) => a.status === status).length;
      expect([count(401), count(429), count(401) + count(429)]).toEqual([LIMIT, BURST - LIMIT, BURST]);
    } finally {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });

  it('a concurrent burst of wrong passwords at the sign-in gets exactly the limit checked', async () => {
    const server = createApp(ctx, routeTable(ctx)).listen(0);
    try {
      const BURST = 30;
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
            .post('/admin/api/session')
            .set('X-Forwarded-For', '203.0.113.98')
            .set('Origin', 'https://loyalty.example.test')
            .send({ email: `burst${i}@example.com`, password: `wrong-${i}` }),
        ),
      );
      expect(answers.filter((a) => a.status === 401)).toHaveLength(LIMIT);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(BURST - LIMIT);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("the console's sign-in (which the queue dashboard also uses) is throttled the same way", async () => {
    const app = createApp(ctx, routeTable(ctx));
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      // A different email each time: the per-address count is the one tested, not the per-account one.
      statuses.push(
        (
          await request(app)
            .post('/admin/api/session')
            .set('X-Forwarded-For', '203.0.113.50')
            .set('Origin', 'https://loyalty.example.test')
            .send({ email: `nobody${i}@example.com`, password: `wrong-${i}` })
        ).status,
      );
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });
});
