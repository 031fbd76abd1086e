import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let admin: string;

const acme = {
  id: 'acme',
  name: 'Acme Pets',
  series: 'x',
  domainPrefix: 'acme',
  timezone: 'America/Montreal',
  webhookSecret: 'whsec-very-secret-value',
  credentials: { accessToken: 'at-secret-1', refreshToken: 'rt-secret-1', expiresAt: '2026-11-24T00:00:00Z' },
};

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
});
afterAll(async () => ctx.cleanup());

describe('admin authentication', () => {
  it('refuses a missing token with 401', async () => {
    const res = await request(app).get('/admin/api/merchants/acme');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong token with 401', async () => {
    const res = await request(app).get('/admin/api/merchants/acme').set('Authorization', 'Bearer lw_not-a-real-token');
    expect(res.status).toBe(401);
  });

  it('refuses a viewer or support token on merchant creation with 403', async () => {
    for (const role of ['viewer', 'support'] as const) {
      const res = await request(app)
        .post('/admin/api/merchants')
        .set('Authorization', `Bearer ${await ctx.token(role)}`)
        .send(acme);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const { rows } = await ctx.pool.query(`SELECT count(*)::int AS n FROM merchants`);
    expect(rows[0].n).toBe(0);
  });
});

describe('merchants', () => {
  it('creates a merchant, never returns its secrets, and audits the change with secrets masked', async () => {
    const res = await request(app).post('/admin/api/merchants').set('Authorization', `Bearer ${admin}`).send(acme);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'acme', series: 'x', webhookSecretSet: true, credentials: { accessTokenSet: true } });
    expect(JSON.stringify(res.body)).not.toMatch(/secret-value|at-secret|rt-secret/);

    const audit = await ctx.pool.query(`SELECT actor, action, after FROM audit_log WHERE entity_id = 'acme'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].action).toBe('merchant.create');
    expect(JSON.stringify(audit.rows[0].after)).not.toMatch(/secret-value|at-secret|rt-secret/);
  });

  it('answers 409 for a duplicate id and 400 naming the bad field', async () => {
    const dup = await request(app).post('/admin/api/merchants').set('Authorization', `Bearer ${admin}`).send(acme);
    expect(dup.status).toBe(409);
    const bad = await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...acme, id: 'other', timezone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('timezone');
    const rseries = await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({ id: 'rr', name: 'R', series: 'r', timezone: 'UTC' });
    expect(rseries.status).toBe(400);
    expect(rseries.body.error.message).toContain('accountId');
  });

  it('lets a viewer read and only an admin patch, with before and after audited', async () => {
    const viewer = await ctx.token('viewer');
    expect((await request(app).get('/admin/api/merchants/acme').set('Authorization', `Bearer ${viewer}`)).status).toBe(200);
    const denied = await request(app).patch('/admin/api/merchants/acme').set('Authorization', `Bearer ${viewer}`).send({ paused: true });
    expect(denied.status).toBe(403);
    const ok = await request(app).patch('/admin/api/merchants/acme').set('Authorization', `Bearer ${admin}`).send({ paused: true });
    expect(ok.status).toBe(200);
    expect(ok.body.paused).toBe(true);
    const audit = await ctx.pool.query(`SELECT before, after FROM audit_log WHERE action = 'merchant.update'`);
    expect(audit.rows[0].before.paused).toBe(false);
    expect(audit.rows[0].after.paused).toBe(true);
  });

  it('refuses signedNeedsUrlToken on a merchant without a URL token (422) and changes nothing', async () => {
    const res = await request(app).patch('/admin/api/merchants/acme').set('Authorization', `Bearer ${admin}`).send({ signedNeedsUrlToken: true });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('URL_TOKEN_REQUIRED');
    const row = await ctx.pool.query(`SELECT signed_needs_url_token FROM merchants WHERE id = 'acme'`);
    expect(row.rows[0].signed_needs_url_token).toBe(false);
    const withToken = await request(app)
      .patch('/admin/api/merchants/acme')
      .set('Authorization', `Bearer ${admin}`)
      .send({ urlToken: 'acme-url-token-0123456789abcdef', signedNeedsUrlToken: true });
    expect(withToken.status).toBe(200);
    expect(withToken.body.signedNeedsUrlToken).toBe(true);
    await request(app).patch('/admin/api/merchants/acme').set('Authorization', `Bearer ${admin}`).send({ signedNeedsUrlToken: false }).expect(200);
  });

  it('hides other merchants from a merchant-scoped token (404) and lets it see its own', async () => {
    await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...acme, id: 'bobs', domainPrefix: 'bobs' })
      .expect(201);
    const scoped = await ctx.token('admin', 'bobs');
    expect((await request(app).get('/admin/api/merchants/bobs').set('Authorization', `Bearer ${scoped}`)).status).toBe(200);
    const other = await request(app).get('/admin/api/merchants/acme').set('Authorization', `Bearer ${scoped}`);
    expect(other.status).toBe(404);
    const patch = await request(app).patch('/admin/api/merchants/acme').set('Authorization', `Bearer ${scoped}`).send({ paused: false });
    expect(patch.status).toBe(404);
    const create = await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${scoped}`)
      .send({ ...acme, id: 'new1' });
    expect(create.status).toBe(403);
  });

  it('stores tokens hashed, never in clear', async () => {
    const { rows } = await ctx.pool.query(`SELECT token_hash FROM api_tokens`);
    for (const row of rows) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.token_hash)).not.toContain(admin);
  });
});
