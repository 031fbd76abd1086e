import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken } from '../../../src/access/tokens.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { appRoutes, mountedRoutes } from '../../helpers/routes.js';
import { expectedAnswer, personas, routeOwners, type Answer, type Persona } from './authorizationMatrix.table.js';

// The authorization matrix of the hardening issue: every mounted route × every persona against the
// expected-answer table kept beside this file.
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const tokens: Partial<Record<Persona, string>> = {};
let eventId = 0;
let claimId = 0;
let batchId = 0;
const endpoints = { merchant: 0, platform: 0 };
const deliveries = { merchant: 0, platform: 0 };

export { mountedRoutes };

/** Path parameters that exist for merchant A, so that what a persona gets says who it is, not what is missing. */
const fill = (path: string) =>
  path
    .replace(':merchantId', 'acme')
    .replace(':id', 'acme')
    .replace(':saleId', 'sale-1')
    .replace(':customerId', 'cust-1')
    .replace(':eventId', String(eventId))
    .replace(':shopId', '1')
    .replace(':offerId', '1')
    .replace(':claimId', String(claimId))
    .replace(':batchId', String(batchId))
    // Outbound events: the merchant's seeded endpoint under /merchants/:id, the platform-wide one elsewhere.
    .replace(':endpointId', String(path.includes('/merchants/') ? endpoints.merchant : endpoints.platform))
    .replace(':deliveryId', String(path.includes('/merchants/') ? deliveries.merchant : deliveries.platform));

/**
 * Valid bodies for the writes whose handlers check the body before the record: with `{}` they answer 400 to
 * everyone, which would hide whether the wall between distributors holds.
 */
const sampleBodies: Record<string, object> = {
  'POST /distributor/api/claims/:claimId/deny': { reason: 'other', note: 'matrix' },
  'POST /distributor/api/batches/:batchId/credit': { creditReference: 'CM-matrix' },
  'POST /distributor/api/enrollments/:merchantId/:offerId/:shopId/holding': { reason: 'matrix' },
};

const answerOf = (status: number): Answer => (status === 401 || status === 403 || status === 404 ? status : 'through');

beforeAll(async () => {
  // Wrong tokens are sent on purpose here: the brute-force limit is tested elsewhere.
  ctx = await createTestContext({ AUTH_FAILURES_PER_MINUTE: 1_000_000 });
  app = createApp(ctx, routeTable(ctx));
  await createXMerchant(ctx.pool);
  await createXMerchant(ctx.pool, { id: 'bobs', domainPrefix: 'bobs' });
  // A sale, its customer and its event of merchant A, so their routes answer for who asks, not for what is missing.
  eventId = (
    await ctx.pool.query(
      `INSERT INTO sale_events (merchant_id, sale_id, version, source, payload, status, last_error) VALUES ('acme', 'sale-1', 1, 'webhook', '{}', 'failed', 'drill') RETURNING id::int`,
    )
  ).rows[0].id;
  await ctx.pool.query(`INSERT INTO customers (merchant_id, customer_id) VALUES ('acme', 'cust-1')`);
  const { rows } = await ctx.pool.query(`INSERT INTO distributors (name, regions) VALUES ('D1', '{QC}'), ('D2', '{QC}') RETURNING id::int`);
  // A claim and a batch of distributor 1 (for merchant A's location 1 on offer 1): distributor 2 must not reach them.
  const [d1] = rows.map((r) => r.id as number);
  await ctx.pool.query(
    `INSERT INTO offers (id, manufacturer, brand, name, purchases_required, free_item_rule, starts_on, eligible_distributor_ids) VALUES (1, 'M', 'B', 'Buy 3', 3, 'least_value', '2026-01-01', $1)`,
    [[d1]],
  );
  await ctx.pool.query(`INSERT INTO locations (merchant_id, shop_id, name, region) VALUES ('acme', '1', 'Montréal', 'QC')`);
  await ctx.pool.query(`INSERT INTO enrollments (merchant_id, offer_id, shop_id, distributor_id, account_number) VALUES ('acme', 1, '1', $1, 'QC-1')`, [d1]);
  const redemption = (
    await ctx.pool.query(
      `INSERT INTO redemptions (merchant_id, source_key, customer_id, offer_id, shop_id, status, free_item_price, actor) VALUES ('acme', 'api:matrix', 'cust-1', 1, '1', 'accepted', 100, 'matrix') RETURNING id::int`,
    )
  ).rows[0].id;
  claimId = (
    await ctx.pool.query(
      `INSERT INTO claims (redemption_id, merchant_id, offer_id, shop_id, distributor_id, account_number, value, status) VALUES ($1, 'acme', 1, '1', $2, 'QC-1', 100, 'new') RETURNING id::int`,
      [redemption, d1],
    )
  ).rows[0].id;
  batchId = (await ctx.pool.query(`INSERT INTO claim_batches (distributor_id, created_by) VALUES ($1, 'matrix') RETURNING id::int`, [d1])).rows[0].id;
  // A webhook endpoint of merchant A and a platform-wide one, each with a delivery (of a test event).
  for (const scope of ['merchant', 'platform'] as const) {
    const m = scope === 'merchant' ? 'acme' : null;
    endpoints[scope] = (
      await ctx.pool.query(`INSERT INTO webhook_endpoints (merchant_id, url, secret) VALUES ($1, 'https://example.com/hook', 'unused') RETURNING id::int`, [m])
    ).rows[0].id;
    const seq = (
      await ctx.pool.query(
        `INSERT INTO outbound_events (id, source, merchant_id, type, data, body, dispatched_at) VALUES ($1, $1, $2, 'webhook.test', '{}', '{}', now()) RETURNING seq_id::int`,
        [`evt_matrix_${scope}`, m],
      )
    ).rows[0].seq_id;
    deliveries[scope] = (
      await ctx.pool.query(`INSERT INTO webhook_deliveries (event_seq, endpoint_id, status) VALUES ($1, $2, 'failed') RETURNING id::int`, [
        seq,
        endpoints[scope],
      ])
    ).rows[0].id;
  }
  const mint = async (role: 'admin' | 'support' | 'viewer' | 'distributor', merchantId: string | null, distributorId: number | null = null) =>
    (await insertToken(ctx.pool, { name: `matrix-${role}-${merchantId ?? distributorId ?? 'platform'}`, role, merchantId, distributorId })).token;
  tokens.wrong = 'lw_this-token-does-not-exist-000000';
  tokens.viewerA = await mint('viewer', 'acme');
  tokens.supportA = await mint('support', 'acme');
  tokens.adminA = await mint('admin', 'acme');
  tokens.adminB = await mint('admin', 'bobs');
  tokens.platformAdmin = await mint('admin', null);
  tokens.distributor1 = await mint('distributor', null, rows[0].id);
  tokens.distributor2 = await mint('distributor', null, rows[1].id);
});
afterAll(async () => ctx.cleanup());

describe('authorization matrix', () => {
  it('every mounted route has an owner in the table, and every row of the table is a mounted route', () => {
    const mounted = appRoutes(app);
    expect(
      mounted.filter((route) => !(route in routeOwners)),
      'routes without an owner row',
    ).toEqual([]);
    expect(
      Object.keys(routeOwners).filter((route) => !mounted.includes(route)),
      'rows for routes that do not exist',
    ).toEqual([]);
  });

  it('every protected route × every persona gets the answer the table says, and never a 5xx', async () => {
    const mismatches: string[] = [];
    let requests = 0;
    let fiveXx = 0;
    for (const [route, owner] of Object.entries(routeOwners)) {
      if (owner === 'public') continue;
      const [method, path] = route.split(' ') as [string, string];
      for (const persona of personas) {
        let req = request(app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](fill(path));
        const token = tokens[persona];
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        const res = await (method === 'GET' ? req : req.send(sampleBodies[route] ?? {}));
        requests += 1;
        if (res.status >= 500) fiveXx += 1;
        if (res.status >= 500) mismatches.push(`${route} as ${persona}: ${res.status}`);
        const expected = expectedAnswer(owner, persona, path);
        const got = answerOf(res.status);
        if (got !== expected) mismatches.push(`${route} as ${persona}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    const protectedRoutes = Object.values(routeOwners).filter((owner) => owner !== 'public').length;
    console.info(
      `authorization matrix: ${protectedRoutes} protected routes × ${personas.length} personas = ${requests} requests, ${fiveXx} × 5xx, ${mismatches.length} answers not as the table says`,
    );
    expect(mismatches).toEqual([]);
    expect(requests).toBeGreaterThan(300);
  });
});
