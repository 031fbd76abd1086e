import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { getMerchant } from '../../../src/merchants/store/repo.js';
import { seedOutlets } from '../../helpers/merchants.js';
import { routeTable } from '../../../src/routes.js';
import { DEVELOPMENT_KEYS, installKeyring } from '../../../src/secrets/keyring.js';
import { sealMerchantSecrets } from '../../../src/merchants/sealMerchantSecrets.js';
import { createTestContext, fixture, TEST_DATABASE_URL, type TestContext } from '../../helpers/context.js';
import { deliver, formBody } from '../../helpers/webhook.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let admin: string;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');

// Distinct markers, so a dump containing any of them is a secret stored in clear.
const WEBHOOK_SECRET = 'whsec-MARKER-7f3a9c1e5b';
const URL_TOKEN = 'urltok-MARKER-2d8e4b6a0c';
const ACCESS = 'access-MARKER-91c2e7f0aa';
const REFRESH = 'refresh-MARKER-4b5d6e7f88';
const LEGACY = ['legacy-whsec-MARKER-0001', 'legacy-url-MARKER-000002', 'legacy-access-MARKER-03', 'legacy-refresh-MARKER-4'];
const MARKERS = [WEBHOOK_SECRET, URL_TOKEN, ACCESS, REFRESH, ...LEGACY];

/** Every row of every table of the test's schema as text: what a database dump would show. */
async function dumpAll(): Promise<string> {
  const { rows: tables } = await ctx.pool.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [ctx.schema],
  );
  let out = '';
  for (const { t } of tables) {
    const { rows } = await ctx.pool.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
    out += rows.map((r) => r.j).join('\n') + '\n';
  }
  return out;
}

/** The real thing too, when the machine has pg_dump (CI installs the PostgreSQL client). */
function pgDump(): string | null {
  try {
    return execFileSync('pg_dump', ['--data-only', '--schema', ctx.schema, TEST_DATABASE_URL], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
});
afterAll(async () => {
  installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS });
  await ctx.cleanup();
});

describe('merchant secrets at rest', () => {
  it('a merchant created through the admin API leaves no token or secret in clear anywhere in the database', async () => {
    const res = await request(app)
      .post('/admin/api/merchants')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        id: 'acme',
        name: 'Acme',
        series: 'x',
        domainPrefix: 'acme',
        timezone: 'America/Montreal',
        webhookSecret: WEBHOOK_SECRET,
        allowUnsigned: true,
        urlToken: URL_TOKEN,
        credentials: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: '2030-01-01T00:00:00Z' },
      });
    expect(res.status).toBe(201);
    await seedOutlets(ctx.pool, 'acme');
    // A delivery signed with the secret and one carrying the URL token both get in (and are stored).
    expect((await deliver(app, 'acme', closed, { secret: WEBHOOK_SECRET })).status).toBe(200);
    const byToken = await request(app)
      .post(`/webhooks/lightspeed/x/acme?token=${URL_TOKEN}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(formBody({ ...closed, id: 'by-token' }));
    expect(byToken.status).toBe(200);
    expect(
      (
        await request(app)
          .post('/webhooks/lightspeed/x/acme?token=urltok-MARKER-wrong00000')
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send(formBody(closed))
      ).status,
    ).toBe(401);

    const dump = await dumpAll();
    expect(dump).toContain('"id":"acme"');
    for (const marker of MARKERS) expect(dump).not.toContain(marker);
    const real = pgDump();
    if (real !== null) {
      expect(real).toContain('acme');
      for (const marker of MARKERS) expect(real).not.toContain(marker);
    }
    const m = (await getMerchant(ctx.pool, 'acme'))!;
    expect([m.webhookSecret, m.urlToken, m.accessToken, m.refreshToken]).toEqual([WEBHOOK_SECRET, URL_TOKEN, ACCESS, REFRESH]);
  });

  it('rows stored in clear before encryption are sealed by the boot step (idempotent) and keep working', async () => {
    await ctx.pool.query(
      `INSERT INTO merchants (id, name, series, domain_prefix, timezone, webhook_secret, allow_unsigned, url_token, access_token, refresh_token)
       VALUES ('legacy', 'Legacy', 'x', 'legacy', 'UTC', $1, true, $2, $3, $4)`,
      LEGACY,
    );
    await seedOutlets(ctx.pool, 'legacy');
    expect(await dumpAll()).toContain(LEGACY[0]);
    const ring = installKeyring({ NODE_ENV: 'test', SECRETS_KEY: DEVELOPMENT_KEYS });
    expect(await sealMerchantSecrets(ctx.pool, ring)).toBe(1);
    expect(await sealMerchantSecrets(ctx.pool, ring)).toBe(0);
    const dump = await dumpAll();
    for (const marker of MARKERS) expect(dump).not.toContain(marker);
    const m = (await getMerchant(ctx.pool, 'legacy'))!;
    expect([m.webhookSecret, m.urlToken, m.accessToken, m.refreshToken]).toEqual(LEGACY);
    expect((await deliver(app, 'legacy', { ...closed, id: 'legacy-sale' }, { secret: LEGACY[0] })).status).toBe(200);
    const byToken = await request(app)
      .post(`/webhooks/lightspeed/x/legacy?token=${LEGACY[1]}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(formBody({ ...closed, id: 'legacy-by-token' }));
    expect(byToken.status).toBe(200);
  });

  it('rotation re-encrypts every row under the new key; webhooks still verify once the old key is gone', async () => {
    const k2 = `k2:${randomBytes(32).toString('base64')}`;
    const before = (await ctx.pool.query(`SELECT id, webhook_secret, access_token FROM merchants ORDER BY id`)).rows;
    expect(before.every((r) => String(r.webhook_secret).startsWith('enc:v1:dev:'))).toBe(true);
    const rotating = installKeyring({ NODE_ENV: 'test', SECRETS_KEY: `${k2},${DEVELOPMENT_KEYS}` });
    expect(await sealMerchantSecrets(ctx.pool, rotating)).toBe(2);
    const after = (await ctx.pool.query(`SELECT webhook_secret, url_token, access_token, refresh_token FROM merchants`)).rows;
    for (const row of after) for (const value of Object.values(row)) expect(String(value)).toMatch(/^enc:v1:k2:/);
    // The old key retired: everything still reads and verifies.
    installKeyring({ NODE_ENV: 'test', SECRETS_KEY: k2 });
    const fresh = createApp(ctx, routeTable(ctx));
    expect((await deliver(fresh, 'acme', { ...closed, id: 'after-rotation' }, { secret: WEBHOOK_SECRET })).body.status).toBe('accepted');
    expect((await deliver(fresh, 'legacy', { ...closed, id: 'legacy-after-rotation' }, { secret: LEGACY[0] })).body.status).toBe('accepted');
    expect((await getMerchant(ctx.pool, 'acme'))!.refreshToken).toBe(REFRESH);
    const dump = await dumpAll();
    for (const marker of MARKERS) expect(dump).not.toContain(marker);
  });
});
