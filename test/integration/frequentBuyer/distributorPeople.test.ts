import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceApp } from '../../../src/routes.js';
import { insertStaffUser } from '../../../src/staff/users.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

// Distributor people: accounts like the console's staff, scoped to one distributor, signing in with the
// same session; they reach /distributor/api only, and staff people never reach it.
let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
let d1 = 0;
let d2 = 0;
const PASSWORD = 'correct horse battery staple';

async function signedIn(email: string) {
  const agent = request.agent(app);
  await agent.post('/admin/api/session').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ email, password: PASSWORD }).expect(200);
  return agent;
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = serviceApp(ctx);
  await createXMerchant(ctx.pool);
  const { rows } = await ctx.pool.query(
    `INSERT INTO distributors (name, regions) VALUES ('Distribution Québec', '{QC}'), ('Ontario Pet Supply', '{ON}') RETURNING id::int`,
  );
  [d1, d2] = [rows[0].id, rows[1].id];
  await insertStaffUser(ctx.pool, { email: 'desk@dq.example', name: 'Dana Desk', password: PASSWORD, role: 'distributor', distributorId: d1 });
  await insertStaffUser(ctx.pool, { email: 'admin@acme.example', name: 'Alex Acme', password: PASSWORD, role: 'admin', merchantId: 'acme' });
});
afterAll(async () => ctx.cleanup());

describe('distributor people', () => {
  it('sign in with the console session and see their own distributor, nothing of the staff API', async () => {
    const agent = await signedIn('desk@dq.example');
    const session = await agent.get('/admin/api/session').expect(200);
    expect(session.body.user).toMatchObject({ role: 'distributor', distributorId: d1, merchantId: null });
    expect((await agent.get('/distributor/api/me').expect(200)).body.distributor).toMatchObject({ id: d1, name: 'Distribution Québec' });
    await agent.get('/distributor/api/claims').expect(200);
    await agent.get('/distributor/api/batches').expect(200);
    // No loyalty pages: the staff API refuses a distributor person (403), as it refuses a distributor token.
    for (const path of ['/admin/api/merchants', '/admin/api/merchants/acme', '/admin/api/search?q=1', '/admin/api/frequent-buyer/offers']) {
      expect((await agent.get(path)).status, path).toBe(403);
    }
    // A write through the session still needs our own origin (CSRF).
    await agent.post('/distributor/api/batches').set('Origin', 'https://evil.example').send({}).expect(403);
  });

  it('a staff person cannot use the distributor API', async () => {
    const agent = await signedIn('admin@acme.example');
    expect((await agent.get('/distributor/api/claims')).status).toBe(403);
  });

  it('the database holds each person to exactly one scope', async () => {
    const insert = (role: string, merchantId: string | null, distributorId: number | null) =>
      ctx.pool.query(
        `INSERT INTO staff_users (email, email_key, name, password_hash, role, merchant_id, distributor_id) VALUES ($1, $1, 'x', 'x', $2, $3, $4)`,
        [`${role}-${merchantId}-${distributorId}@x.example`, role, merchantId, distributorId],
      );
    await expect(insert('distributor', null, null)).rejects.toThrow(/staff_users_one_scope/);
    await expect(insert('distributor', 'acme', d2)).rejects.toThrow(/staff_users_one_scope/);
    await expect(insert('admin', null, d2)).rejects.toThrow(/staff_users_one_scope/);
    await expect(insert('distributor', null, d2)).resolves.toBeTruthy();
  });

  it('platform admins create distributor people; the schema refuses a half-scoped one', async () => {
    const token = await ctx.token('admin');
    const auth = { Authorization: `Bearer ${token}` };
    const created = await request(app)
      .post('/admin/api/staff')
      .set(auth)
      .send({ email: 'ops@ops.example', name: 'Ola Ops', password: PASSWORD, role: 'distributor', distributorId: d2 })
      .expect(201);
    expect(created.body).toMatchObject({ role: 'distributor', distributorId: d2, merchantId: null });
    const missing = await request(app)
      .post('/admin/api/staff')
      .set(auth)
      .send({ email: 'no@ops.example', name: 'No', password: PASSWORD, role: 'distributor' })
      .expect(400);
    expect(missing.body.error.message).toMatch(/distributorId/);
    await request(app)
      .post('/admin/api/staff')
      .set(auth)
      .send({ email: 'ghost@ops.example', name: 'Ghost', password: PASSWORD, role: 'distributor', distributorId: 999999 })
      .expect(422);
  });
});
