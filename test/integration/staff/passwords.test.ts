import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, TEST_DATABASE_URL, type TestContext } from '../../helpers/context.js';

/**
 * Issue 23 item 8: people could not change their password, an admin could not reset one, and a change
 * left the person's other sessions (a stolen cookie) alive; sign-out left the cookie in the browser.
 */
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const ORIGIN = 'https://loyalty.example.test';
const FIRST = 'first password 123';
let n = 0;

async function signIn(email: string, password: string) {
  // Each from its own address: the per-address count is not what is tested here.
  return request(app)
    .post('/admin/api/session')
    .set('X-Forwarded-For', `203.0.113.${(n += 1)}`)
    .set('Origin', ORIGIN)
    .send({ email, password });
}
const cookieOf = (res: request.Response) => res.headers['set-cookie']![0]!.split(';')[0]!;
const me = (cookie: string) => request(app).get('/admin/api/session').set('Cookie', cookie);

beforeAll(async () => {
  ctx = await createTestContext({ PUBLIC_URL: ORIGIN, AUTH_FAILURES_PER_MINUTE: 100 });
  app = createApp(ctx, routeTable(ctx));
  for (const email of ['ana@example.com', 'ben@example.com', 'cy@example.com'])
    await insertStaffUser(ctx.pool, { email, name: email.split('@')[0]!, password: FIRST, role: 'support' });
});
afterAll(async () => ctx.cleanup());

describe('passwords', () => {
  it('a person changes their own password: the current one is checked, their other sessions end, this one goes on', async () => {
    const here = cookieOf(await signIn('ana@example.com', FIRST));
    const elsewhere = cookieOf(await signIn('ana@example.com', FIRST));
    const change = (current: string, next: string) =>
      request(app).post('/admin/api/session/password').set('Cookie', here).set('Origin', ORIGIN).send({ currentPassword: current, newPassword: next });
    expect((await change('not it', 'second password 456')).status).toBe(401);
    expect((await change(FIRST, 'short')).status).toBe(400);
    expect((await change(FIRST, 'second password 456')).status).toBe(204);
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await signIn('ana@example.com', FIRST)).status).toBe(401);
    expect((await signIn('ana@example.com', 'second password 456')).status).toBe(200);
    const audit = await ctx.pool.query(`SELECT action FROM audit_log WHERE action = 'staff.password_change'`);
    expect(audit.rowCount).toBe(1);
  });

  it('an admin resets a password: the person is signed out everywhere and must choose a new one before anything else', async () => {
    const before = cookieOf(await signIn('ben@example.com', FIRST));
    const staff = await request(app)
      .get('/admin/api/staff')
      .set('Authorization', `Bearer ${await ctx.token('admin')}`);
    const ben = staff.body.find((p: { email: string }) => p.email === 'ben@example.com');
    const reset = await request(app)
      .post(`/admin/api/staff/${ben.id}/reset-password`)
      .set('Authorization', `Bearer ${await ctx.token('admin')}`)
      .send({ password: 'temporary password 1' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ mustChangePassword: true });
    expect((await me(before)).status).toBe(401);

    const signedIn = await signIn('ben@example.com', 'temporary password 1');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.mustChangePassword).toBe(true);
    const cookie = cookieOf(signedIn);
    const blocked = await request(app).get('/admin/api/merchants').set('Cookie', cookie);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await request(app)
      .post('/admin/api/session/password')
      .set('Cookie', cookie)
      .set('Origin', ORIGIN)
      .send({ currentPassword: 'temporary password 1', newPassword: 'bens own password 789' })
      .expect(204);
    expect((await me(cookie)).body.user.mustChangePassword).toBe(false);
    expect((await request(app).get('/admin/api/merchants').set('Cookie', cookie)).status).toBe(200);
  });

  it('sign-out ends the session and clears the cookie in the browser', async () => {
    const cookie = cookieOf(await signIn('cy@example.com', FIRST));
    const out = await request(app).delete('/admin/api/session').set('Cookie', cookie).set('Origin', ORIGIN);
    expect(out.status).toBe(204);
    const cleared = String(out.headers['set-cookie'] ?? '');
    expect(cleared).toMatch(/loyalty_session=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await me(cookie)).status).toBe(401);
  });
});

// The built CLI as `npm run user -- …` runs it, on a database of its own (npm test builds the server first).
describe('npm run user -- reset-password / enable', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const dbName = `pwcli_${randomBytes(4).toString('hex')}`;
  const DATABASE_URL = Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${dbName}` }).toString();
  const user = async (env: Record<string, string>, ...args: string[]) => {
    try {
      const out = await promisify(execFile)(process.execPath, [path.join(root, 'dist/src/staff/userCli.js'), ...args], {
        env: { PATH: process.env.PATH, DATABASE_URL, ...env },
      });
      return { code: 0, ...out };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('resets a password (the person must change it at next sign-in), disables and enables a person', async () => {
    expect((await user({ USER_PASSWORD: FIRST }, 'create', '--email', 'dee@example.com', '--name', 'Dee', '--role', 'viewer')).code).toBe(0);
    const reset = await user({ USER_PASSWORD: 'temporary password 2' }, 'reset-password', '--email', 'DEE@example.com');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Reset the password of dee@example.com/);
    expect((await user({}, 'disable', '--email', 'dee@example.com')).code).toBe(0);
    const enabled = await user({}, 'enable', '--email', 'dee@example.com');
    expect(enabled.code).toBe(0);
    expect((await user({}, 'enable', '--email', 'dee@example.com')).code).toBe(1);
    const db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    const row = (await db.query(`SELECT must_change_password, disabled_at FROM staff_users WHERE email = 'dee@example.com'`)).rows[0];
    await db.end();
    expect(row).toEqual({ must_change_password: true, disabled_at: null });
  }, 60_000);
});
