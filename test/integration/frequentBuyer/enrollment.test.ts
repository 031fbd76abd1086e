import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let admin: string;
let offerId: number;
const ids: Record<string, number> = {};

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const enroll = (token: string, body: object, merchant = 'acme', shop = '1') =>
  request(app).put(`/admin/api/merchants/${merchant}/frequent-buyer/enrollments/${offerId}/${shop}`).set(as(token)).send(body);

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  await createXMerchant(ctx.pool);
  await createXMerchant(ctx.pool, { id: 'other', domainPrefix: 'other' });
  for (const [key, body] of Object.entries({
    quebec: { name: 'Distribution Québec', regions: ['QC'], requiresAccountNumber: true },
    ontario: { name: 'Ontario Pet Supply', regions: ['ON'] },
    notInOffer: { name: 'Unlisted Foods', regions: ['QC'] },
  })) {
    ids[key] = (await request(app).post('/admin/api/frequent-buyer/distributors').set(as(admin)).send(body).expect(201)).body.id;
  }
  const offer = await request(app)
    .post('/admin/api/frequent-buyer/offers')
    .set(as(admin))
    .send({
      manufacturer: 'Acana',
      brand: 'Acana',
      name: 'Buy 10 bags, get 1 free',
      purchasesRequired: 10,
      products: [{ upc: '064992523107' }],
      freeItemRule: 'lesser_or_equal_value',
      startsOn: '2026-01-01',
      eligibleDistributorIds: [ids.quebec, ids.ontario],
    })
    .expect(201);
  offerId = offer.body.id;
  await request(app).put('/admin/api/merchants/acme/locations/1').set(as(admin)).send({ name: 'Montréal', region: 'QC' }).expect(200);
});
afterAll(async () => ctx.cleanup());

describe('frequent-buyer enrollment', () => {
  it('refuses a distributor not eligible for the offer, one that does not serve the region, and a missing account number (422, naming why)', async () => {
    const notEligible = await enroll(admin, { distributorId: ids.notInOffer });
    expect(notEligible.status).toBe(422);
    expect(notEligible.body.error.message).toBe("distributor 'Unlisted Foods' is not eligible for offer 'Buy 10 bags, get 1 free'");
    const wrongRegion = await enroll(admin, { distributorId: ids.ontario });
    expect(wrongRegion.status).toBe(422);
    expect(wrongRegion.body.error.message).toContain('does not serve region QC');
    const noAccount = await enroll(admin, { distributorId: ids.quebec });
    expect(noAccount.status).toBe(422);
    expect(noAccount.body.error.message).toContain('requires the retailer');
    expect((await ctx.pool.query('SELECT * FROM enrollments')).rows).toEqual([]);
  });

  it('enrolls with a valid distributor and account number, audits old → new, and shows it in the grid', async () => {
    await enroll(admin, { distributorId: ids.quebec, accountNumber: 'QC-1001' }).expect(200);
    await enroll(admin, { distributorId: ids.quebec, accountNumber: 'QC-1002' }).expect(200);
    const audit = await ctx.pool.query(`SELECT before, after FROM audit_log WHERE action = 'enrollment.set' ORDER BY id`);
    expect(audit.rows.map((r) => [r.before?.accountNumber ?? null, r.after.accountNumber])).toEqual([
      [null, 'QC-1001'],
      ['QC-1001', 'QC-1002'],
    ]);
    const grid = await request(app)
      .get('/admin/api/merchants/acme/frequent-buyer/enrollments?shopId=1')
      .set(as(await ctx.token('viewer')));
    expect(grid.body).toEqual([
      {
        shopId: '1',
        locationName: 'Montréal',
        region: 'QC',
        offerId,
        offerName: 'Buy 10 bags, get 1 free',
        distributorId: ids.quebec,
        distributorName: 'Distribution Québec',
        accountNumber: 'QC-1002',
        inHolding: false,
        holdingReason: null,
      },
    ]);
  });

  it('only admins change enrollments (403), and another merchant is invisible (404)', async () => {
    expect((await enroll(await ctx.token('support'), { distributorId: ids.quebec, accountNumber: 'X' })).status).toBe(403);
    expect((await enroll(await ctx.token('admin', 'other'), { distributorId: ids.quebec, accountNumber: 'X' })).status).toBe(404);
    const own = await ctx.token('admin', 'acme');
    expect((await enroll(own, { distributorId: ids.quebec, accountNumber: 'QC-1003' })).status).toBe(200);
  });

  it('distributors and offers are platform-admin only', async () => {
    const scoped = await ctx.token('admin', 'acme');
    expect(
      (
        await request(app)
          .post('/admin/api/frequent-buyer/distributors')
          .set(as(scoped))
          .send({ name: 'X', regions: ['QC'] })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .post('/admin/api/frequent-buyer/distributors')
          .set(as(await ctx.token('support')))
          .send({ name: 'X', regions: ['QC'] })
      ).status,
    ).toBe(403);
  });
});
