import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { httpExtras } from '../../src/routes.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, httpExtras(ctx));
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
    const bad = await request(app).post('/admin/login').type('form').send({ token: 'nope' });
    expect(bad.status).toBe(401);
    const login = await request(app).post('/admin/login').type('form').send({ token });
    expect(login.status).toBe(303);
    const cookie = login.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    const res = await request(app).get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]!);
    expect(res.status).toBe(200);
  });
});
