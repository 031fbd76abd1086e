import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const OWN = 'https://loyalty.example.test';
const PASSWORD = 'queue board password';

beforeAll(async () => {
  ctx = await createTestContext({ PUBLIC_URL: OWN });
  app = createApp(ctx, routeTable(ctx));
  await createXMerchant(ctx.pool, { id: 'acme', domainPrefix: 'acme' });
  for (const role of ['admin', 'support', 'viewer'] as const) {
    await insertStaffUser(ctx.pool, { email: `${role}@example.com`, name: `Platform ${role}`, password: PASSWORD, role, merchantId: null });
  }
  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Acme admin', password: PASSWORD, role: 'admin', merchantId: 'acme' });
});

/** The console's session cookie of a person signed in with their email and password. */
async function signIn(email: string): Promise<string> {
  const login = await request(app).post('/admin/api/session').set('Origin', OWN).send({ email, password: PASSWORD });
  expect(login.status).toBe(200);
  return login.headers['set-cookie']![0]!.split(';')[0]!;
}
afterAll(async () => ctx.cleanup());

describe('queue dashboard (bull-board)', () => {
  it('refuses a request without a token', async () => {
    expect((await request(app).get('/admin/queues/api/queues')).status).toBe(401);
  });

  it('serves admins with actions and other roles read-only', async () => {
    const admin = await request(app)
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${await ctx.token('admin')}`);
    expect(admin.status).toBe(200);
    expect(admin.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['maintenance', 'poll', 'release', 'sales']);
    expect(admin.body.queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode)).toBe(true);
    const viewer = await request(app)
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${await ctx.token('viewer')}`);
    expect(viewer.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
  });

  it("accepts the console's session: platform admins act, support and viewers read; a merchant-scoped person is refused", async () => {
    const admin = await request(app)
      .get('/admin/queues/api/queues')
      .set('Cookie', await signIn('admin@example.com'));
    expect(admin.status).toBe(200);
    expect(admin.body.queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode)).toBe(true);
    for (const email of ['support@example.com', 'viewer@example.com']) {
      const res = await request(app)
        .get('/admin/queues/api/queues')
        .set('Cookie', await signIn(email));
      expect(res.status).toBe(200);
      expect(res.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);
    }
    const scoped = await request(app)
      .get('/admin/queues/api/queues')
      .set('Cookie', await signIn('admin@acme.example'));
    expect(scoped.status).toBe(403);
  });

  it('a browser never holds an API token: a token in a cookie is no credential, and the old form sends people to the sign-in', async () => {
    const token = await ctx.token('admin');
    expect((await request(app).get('/admin/queues/api/queues').set('Cookie', `loyalty_token=${token}`)).status).toBe(401);
    expect((await request(app).post('/admin/login').set('Origin', OWN).type('form').send({ token })).status).toBe(404);
    const form = await request(app).get('/admin/login');
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/console/?next=%2Fadmin%2Fqueues%2F');
    const page = await request(app).get('/admin/queues/').set('Accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/console/?next=%2Fadmin%2Fqueues%2F');
  });

  describe('every action on the board is in audit_log with the person', () => {
    const audit = async () =>
      (
        await ctx.pool.query(
          `SELECT actor, merchant_id, action, entity, entity_id, after FROM audit_log WHERE action LIKE 'queue%' OR action LIKE 'job.%' ORDER BY id`,
        )
      ).rows;

    it('add, promote, clean and pause by a signed-in admin each write a row naming the person and the outcome', async () => {
      await ctx.pool.query(`DELETE FROM audit_log`);
      const cookie = await signIn('admin@example.com');
      const act = (method: 'put' | 'post', path: string, body?: object) =>
        request(app)[method](`/admin/queues/api/queues${path}`).set('Cookie', cookie).set('Origin', OWN).send(body);
      const added = await act('post', '/maintenance/add', { name: 'by hand', data: { note: 'support ticket 42' } });
      expect(added.status).toBe(200);
      const delayed = await ctx.queues.maintenance.add('later', {}, { delay: 3_600_000 });
      expect((await act('put', `/maintenance/${delayed.id}/promote`)).status).toBe(204);
      expect((await act('put', '/sales/clean/completed')).status).toBeLessThan(300);
      expect((await act('put', '/poll/pause')).status).toBeLessThan(300);
      await ctx.queues.poll.resume();
      // The outcome is written once the answer is sent.
      await waitFor(async () => (await audit()).every((row) => row.after.answer !== undefined), 5_000, 'the outcomes');
      expect((await audit()).map((r) => [r.actor, r.merchant_id, r.action, r.entity, r.entity_id, r.after.answer, r.after.status ?? null])).toEqual([
        ['Platform admin <admin@example.com>', null, 'queue.add', 'queue', 'maintenance', 200, null],
        ['Platform admin <admin@example.com>', null, 'job.promote', 'job', `maintenance/${delayed.id}`, 204, null],
        ['Platform admin <admin@example.com>', null, 'queue.clean', 'queue', 'sales', expect.any(Number), 'completed'],
        ['Platform admin <admin@example.com>', null, 'queue.pause', 'queue', 'poll', expect.any(Number), null],
      ]);
      expect((await audit())[0].after.body).toEqual({ name: 'by hand', data: { note: 'support ticket 42' } });
    });

    it('a refused attempt (a read-only person) is recorded with its answer too; reads write nothing', async () => {
      await ctx.pool.query(`DELETE FROM audit_log`);
      const cookie = await signIn('support@example.com');
      const res = await request(app).put('/admin/queues/api/queues/sales/clean/failed').set('Cookie', cookie).set('Origin', OWN);
      expect(res.status).toBeGreaterThanOrEqual(400);
      await request(app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
      await waitFor(async () => (await audit())[0]?.after.answer !== undefined, 5_000, 'the outcome');
      expect((await audit()).map((r) => [r.actor, r.action, r.after.answer])).toEqual([['Platform support <support@example.com>', 'queue.clean', res.status]]);
    });
  });

  describe('CSRF: a cookie-authenticated change must come from our own pages', () => {
    it('a foreign sign-in form is refused (login CSRF)', async () => {
      const res = await request(app).post('/admin/api/session').set('Origin', 'https://evil.example').send({ email: 'admin@example.com', password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it("bull-board's actions with the cookie from a foreign origin, or with no origin at all, are refused", async () => {
      const cookie = await signIn('admin@example.com');
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
      const cookie = await signIn('support@example.com');
      const foreign = await request(app)
        .post('/admin/api/merchants/acme/sales/s1/rewards')
        .set('Cookie', cookie)
        .set('Referer', 'https://evil.example/page')
        .send({});
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('CSRF_REFUSED');
      const bearer = await request(app)
        .post('/admin/api/merchants/acme/sales/s1/rewards')
        .set('Authorization', `Bearer ${await ctx.token('support')}`)
        .send({});
      expect(bearer.body.error?.code).not.toBe('CSRF_REFUSED');
    });
  });
});
