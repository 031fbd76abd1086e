import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../../src/http/app.js';
import { routeTable } from '../../../../src/routes.js';
import { createTestContext, fixture, type TestContext } from '../../../helpers/context.js';
import { createXMerchant, SECRET, seedOutlets, X_OUTLET, X_REGISTER } from '../../../helpers/merchants.js';
import { deliver } from '../../../helpers/webhook.js';

/**
 * Issue 23 item 4: every store of the app shares its signing secret, so a delivery captured at one store
 * verifies at another's URL. A merchant without `signedNeedsUrlToken` (set up by hand) used to store it
 * as its own sale. The sale's outlet (or register) must be one the merchant's Lightspeed lists.
 */
let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const ACME = 'http://acme.outlets.test';
const BETA = 'http://beta.outlets.test';
const BETA_OUTLET = 'beta-outlet-0000-0000-000000000001';
const stored = async () => Number((await ctx.pool.query(`SELECT count(*)::int AS n FROM sale_events`)).rows[0].n);
const list = (items: Array<Record<string, unknown>>) => ({ data: items.map((i, n) => ({ ...i, version: n + 1 })), version: { min: 1, max: items.length } });
/** Lightspeed's outlet and register lists for a store (the pager asks again after the last version: empty). */
function outletsAt(base: string, outlets: string[], registers: Array<[string, string]>) {
  const scope = nock(base);
  scope
    .get('/api/2.0/outlets')
    .query({ after: '0' })
    .reply(200, list(outlets.map((id) => ({ id }))));
  scope
    .get('/api/2.0/outlets')
    .query((q) => q.after !== '0')
    .reply(200, { data: [], version: null });
  scope
    .get('/api/2.0/registers')
    .query({ after: '0' })
    .reply(200, list(registers.map(([id, outlet]) => ({ id, outlet_id: outlet }))));
  scope
    .get('/api/2.0/registers')
    .query((q) => q.after !== '0')
    .reply(200, { data: [], version: null });
  return scope;
}

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM merchants');
  // Both set up by hand: no URL token, the same app secret; their outlets are read from Lightspeed.
  await createXMerchant(ctx.pool, { apiBaseUrl: ACME }, { outlets: false });
  await createXMerchant(ctx.pool, { id: 'beta', domainPrefix: 'beta', apiBaseUrl: BETA }, { outlets: false });
  app = createApp(ctx, routeTable(ctx));
});
afterEach(() => nock.cleanAll());
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('a signed delivery is bound to the merchant by its outlet', () => {
  it("refuses acme's sale at beta's URL (403 WRONG_MERCHANT, nothing stored) and accepts it at acme's", async () => {
    outletsAt(BETA, [BETA_OUTLET], [['beta-register', BETA_OUTLET]]);
    const wrong = await deliver(app, 'beta', closed, { secret: SECRET });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('WRONG_MERCHANT');
    expect(await stored()).toBe(0);

    outletsAt(ACME, [X_OUTLET], [[X_REGISTER, X_OUTLET]]);
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect(await stored()).toBe(1);
  });

  it("reads the merchant's outlets again when a sale names one it does not know (a new shop)", async () => {
    await seedOutlets(ctx.pool, 'acme', ['old-outlet'], []);
    // A known outlet needs no request (nock would refuse one: nothing is mocked yet).
    await deliver(app, 'acme', { ...closed, id: 'a-1', outlet_id: 'old-outlet' }, { secret: SECRET }).expect(200);
    const read = outletsAt(ACME, ['old-outlet', X_OUTLET], [[X_REGISTER, X_OUTLET]]);
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect(read.isDone()).toBe(true);
    expect(await stored()).toBe(2);
    const kept = await ctx.pool.query(`SELECT kind, ref_id FROM merchant_outlets WHERE merchant_id = 'acme' ORDER BY kind, ref_id`);
    expect(kept.rows).toEqual([
      { kind: 'outlet', ref_id: X_OUTLET },
      { kind: 'outlet', ref_id: 'old-outlet' },
      { kind: 'register', ref_id: X_REGISTER },
    ]);
  });

  it('binds by register when the sale names no outlet', async () => {
    outletsAt(BETA, [BETA_OUTLET], [['beta-register', BETA_OUTLET]]);
    const { outlet_id: _omitted, ...noOutlet } = closed;
    const wrong = await deliver(app, 'beta', noOutlet, { secret: SECRET });
    expect(wrong.status).toBe(403);
    await deliver(app, 'beta', { ...noOutlet, register_id: 'beta-register' }, { secret: SECRET }).expect(200);
  });

  it("answers 503 (Lightspeed retries) and stores nothing when the merchant's outlets cannot be read", async () => {
    nock(ACME).get('/api/2.0/outlets').query(true).reply(500, {});
    const res = await deliver(app, 'acme', closed, { secret: SECRET });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('OUTLETS_UNAVAILABLE');
    expect(await stored()).toBe(0);
  });
});
