import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { insertToken } from '../../../src/access/tokens.js';
import { applyFrequentBuyer } from '../../../src/frequentBuyer/applyFrequentBuyer.js';
import { loadCatalog } from '../../../src/frequentBuyer/catalogCache.js';
import {
  batchSummaryViewSchema,
  claimViewSchema,
  claimWithHistorySchema,
  distributorEnrollmentViewSchema,
  distributorRequestViewSchema,
  distributorViewSchema,
  gridCellSchema,
  holdingViewSchema,
  locationViewSchema,
  offerViewSchema,
  punchCardsAnswerSchema,
} from '../../../src/frequentBuyer/views.js';
import { createApp } from '../../../src/http/app.js';
import { routeTable } from '../../../src/routes.js';
import type { Sale } from '../../../src/rules/sale.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';

type Json = Record<string, unknown>;
const closed = fixture<Json>('lightspeed/x/sale-closed.json');
const OUTLET = closed.outlet_id as string;
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';
const KIBBLE = '0adaafb3-6583-11e5-fb60-050b7e8f0a01';
const TREE = '0adaafb3-6583-11e5-fb60-050b7e8f0a02';
const KIBBLE_UPC = '064992523107';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
let workers: RunningWorkers;
let admin: string;
let support: string;
let offerId: number;
const distributors: Record<string, number> = {};
const distributorTokens: Record<string, string> = {};

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const fb = (path: string) => `/admin/api/merchants/acme/frequent-buyer${path}`;

interface LineSpec {
  qty: number;
  price?: string;
  /** Rung up at zero with the merchant's redemption promotion. */
  free?: boolean;
  product?: string;
}
let n = 0;
/** A fixture-shaped X-Series register_sale: Jane at the fixture's outlet, kibble at 54.99 unless said otherwise. */
function xSale(lines: LineSpec[], over: Json = {}): Json {
  n += 1;
  const id = (over.id as string) ?? `fb-sale-${n}`;
  return {
    ...closed,
    id,
    version: 9_000_000_000 + n,
    register_sale_products: lines.map((l, i) => {
      const price = l.price ?? '54.99';
      const cents = Math.round(Number(price) * 100) * l.qty;
      return l.free
        ? {
            id: `${id}-l${i}`,
            product_id: l.product ?? KIBBLE,
            quantity: l.qty,
            price: '0.00',
            price_total: '0.00',
            discount: price,
            promotions: [{ id: 'promo-1', name: 'Frequent Buyer' }],
          }
        : { id: `${id}-l${i}`, product_id: l.product ?? KIBBLE, quantity: l.qty, price, price_total: (cents / 100).toFixed(2), discount: '0.00' };
    }),
    ...over,
  };
}

const send = (payload: Json) => deliver(app, 'acme', payload, { secret: SECRET }).expect(200);
const settled = () =>
  waitFor(
    async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = 'acme' AND processed_at IS NULL AND status <> 'waiting'`,
      );
      return rows[0].n === 0;
    },
    15_000,
    'inbox processed',
  );
const card = async () => {
  const body = (
    await request(app)
      .get(fb(`/customers/${JANE}/cards`))
      .set(as(support))
      .expect(200)
  ).body;
  return body.cards.find((c: Json) => c.offerId === offerId) ?? { available: 0 };
};
const saleView = async (saleId: string) => (await request(app).get(`/admin/api/merchants/acme/sales/${saleId}`).set(as(support)).expect(200)).body;
/** Brings Jane's card to exactly `units` available, with plain purchases. */
async function fillCardTo(units: number) {
  const missing = units - (await card()).available;
  if (missing > 0) {
    await send(xSale([{ qty: missing }]));
    await settled();
  }
  expect((await card()).available).toBe(units);
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  admin = await ctx.token('admin');
  support = await ctx.token('support');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await createXMerchant(ctx.pool, { apiBaseUrl: 'http://x-api.test' });
  await seedRefs(ctx.pool, 'acme', {
    products: [
      [KIBBLE, null, false, ['KB-5', KIBBLE_UPC]],
      [TREE, null, false],
    ],
  });
  for (const [key, body] of Object.entries({
    quebec: { name: 'Distribution Québec', regions: ['QC'], requiresAccountNumber: true },
    laurentides: { name: 'Laurentides Pet Supply', regions: ['QC', 'ON'] },
  })) {
    distributors[key] = (await request(app).post('/admin/api/frequent-buyer/distributors').set(as(admin)).send(body).expect(201)).body.id;
    distributorTokens[key] = (await insertToken(ctx.pool, { name: `${key}-desk`, role: 'distributor', distributorId: distributors[key] })).token;
  }
  offerId = (
    await request(app)
      .post('/admin/api/frequent-buyer/offers')
      .set(as(admin))
      .send({
        manufacturer: 'Champion',
        brand: 'Acana',
        name: 'Buy 3 bags, get 1 free',
        purchasesRequired: 3,
        products: [{ upc: KIBBLE_UPC }],
        freeItemRule: 'least_value',
        startsOn: '2026-01-01',
        eligibleDistributorIds: [distributors.quebec, distributors.laurentides],
      })
      .expect(201)
  ).body.id;
  await request(app).put(`/admin/api/merchants/acme/locations/${OUTLET}`).set(as(admin)).send({ name: 'Montréal', region: 'QC' }).expect(200);
  await request(app)
    .put(fb(`/enrollments/${offerId}/${OUTLET}`))
    .set(as(admin))
    .send({ distributorId: distributors.quebec, accountNumber: 'QC-1001' })
    .expect(200);
  await request(app).put(fb('/settings')).set(as(admin)).send({ redemptionDiscount: 'frequent buyer' }).expect(200);
  workers = await startWorkers(ctx, { concurrency: 4 });
});
afterAll(async () => {
  await workers.close(5_000);
  nock.cleanAll();
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('punch cards from the sale stream', () => {
  it('counts purchases, takes back returns, undoes voids, and counts a sale delivered twice once', async () => {
    const a = xSale([{ qty: 2 }, { qty: 1, product: TREE, price: '25.40' }]);
    const b = xSale([{ qty: 1 }]);
    await send(a);
    await send(a);
    await send(b);
    await settled();
    expect(await card()).toMatchObject({ bought: 3, used: 0, available: 3, complete: true });

    // One bag of sale a back, as its own X return sale; no customer on the return: the card is a's.
    const ret = xSale([{ qty: -1 }], { return_for: a.id, customer: null, customer_id: null });
    await send(ret);
    await settled();
    expect(await card()).toMatchObject({ bought: 2, available: 2, complete: false });

    await send({ ...b, status: 'VOIDED', version: (b.version as number) + 1 });
    await settled();
    expect(await card()).toMatchObject({ bought: 1 });
    // The older, closed version arriving late changes nothing.
    await send({ ...b, id: b.id, version: (b.version as number) - 1 + 1 - 1 });
    await settled();
    expect(await card()).toMatchObject({ bought: 1 });

    const view = await saleView(a.id as string);
    expect(view.frequentBuyer.punches).toEqual([{ lineId: `${a.id}-l0`, offerId, offerName: 'Buy 3 bags, get 1 free', customerId: JANE, units: 2 }]);
    expect((await saleView(ret.id as string)).frequentBuyer.punches).toMatchObject([{ customerId: JANE, units: -1 }]);
    expect((await saleView(b.id as string)).frequentBuyer.punches).toEqual([]);
  });

  it('records a redemption with an incomplete card as rejected, with the reason in the sale view, and makes no claim', async () => {
    await fillCardTo(1);
    const sale = xSale([{ qty: 1, free: true }]);
    await send(sale);
    await settled();
    const view = await saleView(sale.id as string);
    expect(view.frequentBuyer.redemptions).toMatchObject([
      { status: 'rejected', reasonCode: 'CARD_INCOMPLETE', reason: "the card has 1 of the 3 purchases offer 'Buy 3 bags, get 1 free' requires", claimId: null },
    ]);
    expect((await card()).available).toBe(1);
  });

  it('two redemptions racing for one complete card: one is accepted, the other finds the card used', async () => {
    await fillCardTo(3);
    const catalog = await loadCatalog(ctx.pool, 'acme', 'America/Montreal');
    const redemptionSale = (saleId: string): Sale => ({
      merchantId: 'acme',
      series: 'x',
      saleId,
      version: 1,
      state: 'completed',
      completedAt: '2026-11-21T10:00:00.000Z',
      shopId: OUTLET,
      customer: { id: JANE, segmentId: null, exempt: false },
      payments: [],
      lines: [
        {
          lineId: `${saleId}-l0`,
          productId: KIBBLE,
          categoryPath: [],
          quantity: 1,
          net: 0,
          isGiftCard: false,
          productCodes: [KIBBLE_UPC],
          unitPrice: 4999,
          discountRef: 'Frequent Buyer',
        },
      ],
    });
    const results = await Promise.all(
      ['race-1', 'race-2'].map((id) => applyFrequentBuyer(ctx.pool, { merchantId: 'acme', sale: redemptionSale(id), catalog })),
    );
    expect(results.map((r) => r.redemptions![0]!.status).sort()).toEqual(['accepted', 'rejected']);
    expect((await card()).available).toBe(0);
  });
});

describe('credit claims', () => {
  const distributorGet = (who: string, path: string) => request(app).get(`/distributor/api${path}`).set(as(distributorTokens[who]!));
  const distributorPost = (who: string, path: string, body: object = {}) =>
    request(app).post(`/distributor/api${path}`).set(as(distributorTokens[who]!)).send(body);

  it('goes new → denied (incorrect account number) → corrected and resubmitted → batched → credited, with every step in its history', async () => {
    await fillCardTo(3);
    const sale = xSale([{ qty: 1, free: true, price: '49.99' }]);
    await send(sale);
    await settled();
    const redemption = (await saleView(sale.id as string)).frequentBuyer.redemptions[0];
    expect(redemption).toMatchObject({ status: 'accepted', freeItemPrice: 4999, claimStatus: 'new' });
    const claimId = redemption.claimId as number;

    const listed = (await distributorGet('quebec', '/claims').expect(200)).body;
    expect(listed.map((c: Json) => c.id)).toContain(claimId);
    expect(listed.find((c: Json) => c.id === claimId)).toMatchObject({
      merchantId: 'acme',
      shopId: OUTLET,
      locationName: 'Montréal',
      accountNumber: 'QC-1001',
      value: 4999,
      saleId: sale.id,
      customerId: JANE,
    });

    await distributorPost('quebec', `/claims/${claimId}/deny`, { reason: 'incorrect_account_number', note: 'No account QC-1001 here' }).expect(200);
    // Resubmitting without correcting the account number is refused, and changes nothing.
    const unchanged = await request(app)
      .post(fb(`/claims/${claimId}/resubmit`))
      .set(as(admin))
      .send({});
    expect(unchanged.status).toBe(422);
    expect(unchanged.body.error.message).toContain('incorrect_account_number');
    expect(
      (
        await request(app)
          .post(fb(`/claims/${claimId}/resubmit`))
          .set(as(support))
          .send({ accountNumber: 'QC-2002' })
      ).status,
    ).toBe(403);

    // The retailer fixes the enrollment (audited), then resubmits: the claim takes the corrected number.
    await request(app)
      .put(fb(`/enrollments/${offerId}/${OUTLET}`))
      .set(as(admin))
      .send({ distributorId: distributors.quebec, accountNumber: 'QC-2002' })
      .expect(200);
    const resubmitted = (
      await request(app)
        .post(fb(`/claims/${claimId}/resubmit`))
        .set(as(admin))
        .send({ note: 'Account number corrected' })
        .expect(200)
    ).body;
    expect(resubmitted).toMatchObject({ status: 'resubmitted', accountNumber: 'QC-2002', denialReason: null });

    expect((await distributorGet('quebec', '/claims').expect(200)).body.find((c: Json) => c.id === claimId)).toMatchObject({ status: 'resubmitted' });
    const batch = (await distributorPost('quebec', '/batches', { claimIds: [claimId] }).expect(201)).body;
    expect(batch.claimIds).toEqual([claimId]);
    const csv = (
      await distributorGet('quebec', `/batches/${batch.id}/export.csv`)
        .expect(200)
        .expect('content-type', /text\/csv/)
    ).text;
    // Every cell is quoted (issue 23 item 7: with `;` as the list separator, an unquoted `;=…` in a name
    // would start a live formula in the next cell).
    expect(csv.split('\n')[0]).toBe('"claim_id","merchant_id","location","account_number","offer","sale_id","redeemed_at","value","status"');
    expect(csv.split('\n')[1]).toMatch(
      new RegExp(`^"${claimId}","acme","Montréal","QC-2002","Buy 3 bags, get 1 free","${sale.id}","[0-9T:.Z-]+","49.99","batched"$`),
    );

    await distributorPost('quebec', `/batches/${batch.id}/credit`, { creditReference: 'CM-88812' }).expect(200);
    expect((await distributorPost('quebec', `/batches/${batch.id}/credit`, { creditReference: 'again' })).status).toBe(409);

    const detail = (
      await request(app)
        .get(fb(`/claims/${claimId}`))
        .set(as(support))
        .expect(200)
    ).body;
    expect(detail.status).toBe('credited');
    expect(detail.history.map((h: Json) => [h.from, h.to])).toEqual([
      [null, 'new'],
      ['new', 'denied'],
      ['denied', 'resubmitted'],
      ['resubmitted', 'batched'],
      ['batched', 'credited'],
    ]);
    expect(detail.history[1]).toMatchObject({ actor: 'quebec-desk', note: 'No account QC-1001 here', details: { reason: 'incorrect_account_number' } });
    expect(detail.history[2]).toMatchObject({
      note: 'Account number corrected',
      details: { before: { accountNumber: 'QC-1001' }, after: { accountNumber: 'QC-2002' } },
    });
    expect(detail.history[4].details).toEqual({ batchId: batch.id, creditReference: 'CM-88812' });
    // The distributor's deny, batch and credit are in audit_log too, with who did them and the merchant
    // whose claims they touched (the refused second credit wrote nothing).
    const audited = await ctx.pool.query(
      `SELECT actor, merchant_id, action, entity, entity_id, after FROM audit_log WHERE action IN ('claim.deny', 'batch.create', 'batch.credit') ORDER BY id`,
    );
    expect(audited.rows.map((r) => [r.actor, r.merchant_id, r.action, r.entity, r.entity_id, r.after.claimIds])).toEqual([
      ['quebec-desk', 'acme', 'claim.deny', 'claim', String(claimId), [claimId]],
      ['quebec-desk', 'acme', 'batch.create', 'batch', String(batch.id), [claimId]],
      ['quebec-desk', 'acme', 'batch.credit', 'batch', String(batch.id), [claimId]],
    ]);
    expect(audited.rows[0].after).toMatchObject({ distributorId: distributors.quebec, reason: 'incorrect_account_number', note: 'No account QC-1001 here' });
    expect(audited.rows[2].after).toMatchObject({ distributorId: distributors.quebec, creditReference: 'CM-88812' });
  });

  it('a distributor token sees only its own claims and batches, and only the distributor API', async () => {
    const ours = (await distributorGet('quebec', '/claims?status=credited').expect(200)).body;
    expect(ours.length).toBeGreaterThan(0);
    expect((await distributorGet('laurentides', '/claims?status=new,resubmitted,batched,credited,denied').expect(200)).body).toEqual([]);
    expect((await distributorGet('laurentides', `/claims/${ours[0].id}`)).status).toBe(404);
    expect((await distributorGet('laurentides', `/batches/${ours[0].batchId}/export.csv`)).status).toBe(404);
    expect((await distributorPost('laurentides', `/claims/${ours[0].id}/deny`, { reason: 'other' })).status).toBe(404);
    expect((await request(app).get('/admin/api/merchants/acme/frequent-buyer/claims').set(as(distributorTokens.quebec!))).status).toBe(403);
    expect((await request(app).get('/admin/queues/api/queues').set(as(distributorTokens.quebec!))).status).toBe(403);
    expect((await request(app).get('/distributor/api/claims').set(as(admin))).status).toBe(403);
    expect((await distributorGet('quebec', '/claims?status=paid')).status).toBe(400);
    expect((await distributorPost('quebec', `/claims/${ours[0].id}/deny`, { reason: 'we felt like it' })).status).toBe(400);
  });

  it('Temporary Holding: the distributor moves the enrollment there, its open claims and new ones wait (held), and move when the retailer picks a distributor', async () => {
    await fillCardTo(3);
    const open = await request(app)
      .post(fb('/redemptions'))
      .set(as(support))
      .send({ customerId: JANE, offerId, shopId: OUTLET, freeItemPrice: '54.99', idempotencyKey: 'counter-1' })
      .expect(201);
    expect(open.body).toMatchObject({ status: 'accepted', claimStatus: 'new' });
    // The same key again: the same redemption, no second claim.
    const again = await request(app)
      .post(fb('/redemptions'))
      .set(as(support))
      .send({ customerId: JANE, offerId, shopId: OUTLET, freeItemPrice: '54.99', idempotencyKey: 'counter-1' })
      .expect(200);
    expect(again.body.id).toBe(open.body.id);
    // A person's redemption (it creates a credit claim) is audited, once per key.
    const audited = await ctx.pool.query(`SELECT actor, action, entity_id FROM audit_log WHERE action = 'redemption.create'`);
    expect(audited.rows).toHaveLength(1);
    expect(audited.rows[0].entity_id).toBe(String(open.body.id));

    const waiting = (await distributorGet('quebec', '/claims').expect(200)).body.map((c: Json) => c.id as number);
    expect(waiting).toContain(open.body.claimId);
    const holding = await distributorPost('quebec', `/enrollments/acme/${offerId}/${OUTLET}/holding`, { reason: 'We stopped delivering to Montréal' }).expect(
      200,
    );
    expect(holding.body.heldClaims).toEqual(waiting);
    expect((await distributorGet('quebec', '/claims').expect(200)).body).toEqual([]);
    const grid = (
      await request(app)
        .get(fb(`/enrollments?shopId=${OUTLET}`))
        .set(as(support))
        .expect(200)
    ).body;
    expect(grid[0]).toMatchObject({
      inHolding: true,
      distributorName: 'Temporary Holding',
      holdingReason: 'We stopped delivering to Montréal',
      accountNumber: null,
    });

    await fillCardTo(3);
    const sale = xSale([{ qty: 1, free: true }]);
    await send(sale);
    await settled();
    const heldClaim = (await saleView(sale.id as string)).frequentBuyer.redemptions[0];
    expect(heldClaim).toMatchObject({ status: 'accepted', claimStatus: 'held' });
    expect((await distributorGet('quebec', '/claims').expect(200)).body.map((c: Json) => c.id)).not.toContain(heldClaim.claimId);

    const chosen = await request(app)
      .put(fb(`/enrollments/${offerId}/${OUTLET}`))
      .set(as(admin))
      .send({ distributorId: distributors.laurentides })
      .expect(200);
    const moved = [...waiting, heldClaim.claimId].sort((x, y) => x - y);
    expect(chosen.body.releasedClaims).toEqual(moved);
    const theirs = (await distributorGet('laurentides', '/claims').expect(200)).body;
    expect(theirs.map((c: Json) => [c.id, c.status, c.distributorName, c.accountNumber])).toEqual(
      moved.map((id) => [id, 'new', 'Laurentides Pet Supply', null]),
    );
    const history = (
      await request(app)
        .get(fb(`/claims/${open.body.claimId}`))
        .set(as(support))
        .expect(200)
    ).body.history;
    expect(history.map((h: Json) => [h.from, h.to])).toEqual([
      [null, 'new'],
      ['new', 'held'],
      ['held', 'new'],
    ]);
  });

  it('voiding a redemption sale gives the punches back and cancels its unpaid claim', async () => {
    await fillCardTo(3);
    const sale = xSale([{ qty: 1, free: true }]);
    await send(sale);
    await settled();
    expect((await card()).available).toBe(0);
    await send({ ...sale, status: 'VOIDED', version: (sale.version as number) + 1 });
    await settled();
    expect((await card()).available).toBe(3);
    const { frequentBuyer } = await saleView(sale.id as string);
    expect(frequentBuyer.redemptions[0]).toMatchObject({ status: 'voided', claimStatus: 'cancelled' });
    expect(frequentBuyer.lastApplied).toMatchObject({ state: 'voided', voidedRedemptions: [frequentBuyer.redemptions[0].id] });
  });
});

describe('"my distributor is not listed"', () => {
  it('a retailer files a request that platform admins see', async () => {
    const own = await ctx.token('admin', 'acme');
    await request(app)
      .post(fb('/distributor-requests'))
      .set(as(own))
      .send({ offerId, distributorName: 'Nutri-Nord', contact: 'orders@nutri-nord.example' })
      .expect(201);
    expect((await request(app).get('/admin/api/frequent-buyer/distributor-requests').set(as(own))).status).toBe(403);
    const list = (await request(app).get('/admin/api/frequent-buyer/distributor-requests').set(as(admin)).expect(200)).body;
    expect(list).toMatchObject([
      { merchantId: 'acme', offerId, offerName: 'Buy 3 bags, get 1 free', distributorName: 'Nutri-Nord', contact: 'orders@nutri-nord.example' },
    ]);
    const audited = await ctx.pool.query(`SELECT merchant_id, entity_id FROM audit_log WHERE action = 'distributor_request.create'`);
    expect(audited.rows).toEqual([{ merchant_id: 'acme', entity_id: String(list[0].id) }]);
  });
});

describe('the answers the console reads are the contract’s (src/contract/frequentBuyer.ts)', () => {
  it('cards, claims, requests, offers, locations, holding and the portal parse with the shared schemas, receipts and merchant names included', async () => {
    const get = async (path: string, token = admin) => (await request(app).get(path).set(as(token)).expect(200)).body;
    const cards = punchCardsAnswerSchema.parse(await get(fb(`/customers/${JANE}/punch-cards`)));
    expect(cards.cards.length).toBeGreaterThan(0);
    // A person reads a sale by its receipt (the fixture's invoice number), not by its Sale ID.
    expect(cards.cards.flatMap((c) => c.purchases.map((p) => p.receipt)).filter(Boolean).length).toBeGreaterThan(0);
    const claims = z.array(claimWithHistorySchema).parse(await get(fb('/claims-with-history')));
    expect(claims[0]).toMatchObject({ merchantName: 'Acme Pets', merchantTimezone: expect.any(String) });
    z.array(distributorRequestViewSchema).parse(await get('/admin/api/frequent-buyer/distributor-requests'));
    z.array(distributorRequestViewSchema).parse(await get(fb('/distributor-requests')));
    z.array(offerViewSchema).parse(await get('/admin/api/frequent-buyer/offers'));
    z.array(distributorViewSchema).parse(await get('/admin/api/frequent-buyer/distributors'));
    z.array(locationViewSchema).parse(await get('/admin/api/merchants/acme/locations'));
    z.array(holdingViewSchema).parse(await get(fb('/holding')));
    z.array(gridCellSchema).parse(await get(fb('/enrollments')));
    const portal = Object.values(distributorTokens)[0]!;
    z.array(claimViewSchema).parse(await get('/distributor/api/claims?status=new,batched,credited,denied,resubmitted,held,cancelled', portal));
    const enrollments = z.array(distributorEnrollmentViewSchema).parse(await get('/distributor/api/enrollments', portal));
    for (const e of enrollments) expect(e.merchantName).toBe('Acme Pets');
    z.array(batchSummaryViewSchema).parse(await get('/distributor/api/batches', portal));
  });
});
