import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const OWN = 'https://loyalty.example.test';

beforeAll(async () => {
  ctx = await createTestContext({ PUBLIC_URL: OWN });
  app = createApp(ctx, routeTable(ctx));
});
afterAll(async () => ctx.cleanup());

describe('queue dashboard (bull-board)', () => {
  it('refuses a request without a token', async () => {
    expect((await request(app).get('/admin/queues/api/queues')).status).toBe(401);
  });

  it('serves admins with actions and other roles read-only', async () => {
    const admin = await request(app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${await ctx.token('admin')}`);
    expect(admin.status).toBe(200);
    expect(admin.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['maintenance', 'poll', 'release', 'sales']);
    expect(admin.body.queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode)).toBe(true);
    const viewer = await request(app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${await ctx.token('viewer')}`);
    expect(viewer.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
  });

  it('accepts the token as a cookie set by the login form', async () => {
    const token = await ctx.token('support');
    const bad = await request(app).post('/admin/login').set('Origin', OWN).type('form').send({ token: 'nope' });
    expect(bad.status).toBe(401);
    const login = await request(app).post('/admin/login').set('Origin', OWN).type('form').send({ token });
    expect(login.status).toBe(303);
    const cookie = login.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    const res = await request(app).get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]!);
    expect(res.status).toBe(200);
  });

  describe('CSRF: a cookie-authenticated change must come from our own pages', () => {
    const signIn = async (role: 'admin' | 'support') => {
      const login = await request(app).post('/admin/login').set('Origin', OWN).type('form').send({ token: await ctx.token(role) });
      return login.headers['set-cookie']![0]!.split(';')[0]!;
    };

    it('a foreign login form is refused (login CSRF)', async () => {
      const res = await request(app).post('/admin/login').set('Origin', 'https://evil.example').type('form').send({ token: await ctx.token('admin') });
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it("bull-board's actions with the cookie from a foreign origin, or with no origin at all, are refused", async () => {
      const cookie = await signIn('admin');
      for (const origin of ['https://evil.example', null]) {
        const req = request(app).put('/admin/queues/api/queues/sales/clean/completed').set('Cookie', cookie);
        const res = await (origin ? req.set('Origin', origin) : req);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('CSRF_REFUSED');
      }
      const own = await request(app).put('/admin/queues/api/queues/sales/clean/completed').set('Cookie', cookie).set('Origin', OWN);
      expect(own.status).not.toBe(403);
      // Reading with the cookie needs no origin.
      expect((await request(app).get('/admin/queues/api/queues').set('Cookie', cookie)).status).toBe(200);
    });

    it("the admin API's rewards request with the cookie from a foreign origin is refused; with a bearer header it needs no origin", async () => {
      const cookie = await signIn('support');
      const foreign = await request(app).post('/admin/api/merchants/acme/sales/s1/rewards').set('Cookie', cookie).set('Referer', 'https://evil.example/page').send({});
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('CSRF_REFUSED');
      const bearer = await request(app).post('/admin/api/merchants/acme/sales/s1/rewards').set('Authorization', `Bearer ${await ctx.token('support')}`).send({});
      expect(bearer.body.error?.code).not.toBe('CSRF_REFUSED');
    });
  });
});
