import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { emailKey } from '../../../src/staff/emailKey.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

/**
 * Issue 23 item 5: the lock counter keyed on JavaScript's lower case (`İ` → `i̇`), the lookup on
 * PostgreSQL's (`İ` → `i`): after five wrong passwords, `KİM@…` signed in with the right one, and each such
 * spelling had five fresh guesses. One key (src/staff/emailKey.ts) for storing, lookup and counting.
 */
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const ORIGIN = 'https://loyalty.example.test';
const PASSWORD = 'right-password-123';
// Each attempt from its own address: the per-account count is the one tested.
let n = 0;
const signIn = (email: string, password: string) =>
  request(app)
    .post('/admin/api/session')
    .set('X-Forwarded-For', `198.51.100.${(n += 1)}`)
    .set('Origin', ORIGIN)
    .send({ email, password });

beforeAll(async () => {
  ctx = await createTestContext({ AUTH_FAILURES_PER_MINUTE: 100, PUBLIC_URL: ORIGIN });
  app = createApp(ctx, routeTable(ctx));
  await insertStaffUser(ctx.pool, { email: 'kim@example.com', name: 'Kim', password: PASSWORD, role: 'viewer' });
});
afterAll(async () => ctx.cleanup());

describe('one email normalization for storing, lookup and throttling', () => {
  it('folds compatibility forms and case once: fullwidth, upper case, ß', () => {
    expect(emailKey(' ＫＩＭ@Example.COM ')).toBe('kim@example.com');
    expect(emailKey('STRAẞE@x.example')).toBe(emailKey('strasse@x.example'));
  });

  it('after five wrong passwords no spelling of the address signs in with the right one', async () => {
    for (let i = 0; i < 5; i += 1) expect((await signIn('kim@example.com', `wrong-${i}`)).status).toBe(401);
    for (const spelling of ['kim@example.com', 'KIM@example.com', 'ｋｉｍ@example.com', 'KİM@example.com', 'kİm@EXAMPLE.com'])
      expect([spelling, (await signIn(spelling, PASSWORD)).status]).not.toEqual([spelling, 200]);
    expect((await signIn('ｋｉｍ@example.com', PASSWORD)).status).toBe(429);
  });

  it('a second person whose email differs only by case or compatibility form cannot be created', async () => {
    expect(await insertStaffUser(ctx.pool, { email: 'ＫＩＭ@example.com', name: 'Kim 2', password: PASSWORD, role: 'viewer' })).toBeNull();
  });
});
