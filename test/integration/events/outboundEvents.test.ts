import nock from 'nock';
import request from 'supertest';
import type { Job } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../../src/events/catalogue.js';
import { startEventDelivery, type EventDelivery } from '../../../src/events/deliveryWorker.js';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { withTransaction } from '../../../src/db/pool.js';
import { applyDetectorResult, changeAlert } from '../../../src/insights/alerts/transitions.js';
import { systemActor } from '../../../src/access/authenticate.js';
import { releaseDue } from '../../../src/ledger/release.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { saleJobId } from '../../../src/queue/jobs.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { serviceApp } from '../../../src/routes.js';
import { processSaleJob } from '../../../workers/sales.js';
import { salesDeps } from '../../../workers/index.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';
import { startReceiver, type Received } from '../../helpers/webhookReceiver.js';

// Outbound events end to end: ledger changes → outbox (same transaction) → signed deliveries to a local
// receiver, each verified with the official `standardwebhooks` package as a merchant's receiver would.
let ctx: TestContext;
let app: ReturnType<typeof serviceApp>;
let delivery: EventDelivery;
let admin: string;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';

async function merchant(id: string, rules: Record<string, unknown> = {}) {
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await seedRefs(ctx.pool, id, {
    segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
    products: [
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', null, false],
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a02', null, false],
    ],
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' }, ...rules }), 'test');
}

async function applySaleOf(merchantId: string) {
  const eventId = (
    await insertSaleEvent(ctx.pool, { merchantId, saleId: String(closed.id), version: Number(closed.version), source: 'webhook', payload: closed })
  ).id;
  const job = { name: 'sale', data: { eventId }, id: saleJobId(eventId) } as unknown as Job;
  return processSaleJob(salesDeps(ctx), job);
}

const events = async (merchantId: string) =>
  (
    await ctx.pool.query<{ type: string; source: string; customer_seq: number | null }>(
      `SELECT type, source, customer_seq::int FROM outbound_events WHERE merchant_id = $1 ORDER BY seq_id`,
      [merchantId],
    )
  ).rows;

const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': r.headers['webhook-id']!,
    'webhook-timestamp': r.headers['webhook-timestamp']!,
    'webhook-signature': r.headers['webhook-signature']!,
  });

/**
 * The outbox writes only what an enabled endpoint wants (migration 1732600000200): the outbox tests give
 * their merchant a receiver first. Closed after all.
 */
const quietReceivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];
async function withReceiver(merchantId: string) {
  const receiver = await startReceiver();
  quietReceivers.push(receiver);
  return addEndpoint(merchantId, receiver.url);
}

async function addEndpoint(merchantId: string, url: string, eventTypes: string[] = []) {
  const res = await request(app)
    .post(`/admin/api/merchants/${merchantId}/webhook-endpoints`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ url, eventTypes, description: 'test receiver' })
    .expect(201);
  return res.body as { endpoint: { id: number }; secret: string };
}

beforeAll(async () => {
  ctx = await createTestContext({
    AUTH_FAILURES_PER_MINUTE: 1_000_000,
    WEBHOOK_ALLOW_CIDRS: ['127.0.0.1'],
    WEBHOOK_DISPATCH_EVERY_MS: 20,
    WEBHOOK_TIMEOUT_MS: 60_000,
  });
  app = serviceApp(ctx);
  admin = await ctx.token('admin');
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  delivery = startEventDelivery(ctx);
});
afterAll(async () => {
  await delivery.close();
  await Promise.all(quietReceivers.map((r) => r.close()));
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('the outbox', () => {
  it('a credited sale writes sale.decided, points.available and customer.balance_changed once; a repeat writes none', async () => {
    await merchant('credit');
    await withReceiver('credit');
    expect(await applySaleOf('credit')).toMatchObject({ outcome: 'applied' });
    const first = await events('credit');
    expect(first.map((e) => e.type)).toEqual(['sale.decided', 'points.available', 'customer.balance_changed']);
    // One sequence per customer, in order.
    expect(first.map((e) => e.customer_seq)).toEqual([1, 2, 3]);
    // The same version delivered again (a duplicate webhook): no new ledger row, so no new event.
    await applySaleOf('credit');
    expect(await events('credit')).toEqual(first);
  });

  it('pending points: points.pending at the sale, points.available (released) once at release, and an adjustment', async () => {
    await merchant('later', { delayDays: 30 });
    await withReceiver('later');
    await applySaleOf('later');
    expect((await events('later')).map((e) => e.type)).toEqual(['sale.decided', 'points.pending', 'customer.balance_changed']);
    const future = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    expect(await releaseDue(ctx.pool, 'later', future)).toBe(1);
    expect(await releaseDue(ctx.pool, 'later', future)).toBe(0);
    await request(app)
      .post(`/admin/api/merchants/later/customers/${JANE}/adjustments`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ points: 5, reason: 'goodwill', idempotencyKey: 'adjust-0001' })
      .expect((res) => expect(res.status).toBeLessThan(300));
    // The same adjustment sent twice (its idempotency key): one entry, one event.
    await request(app)
      .post(`/admin/api/merchants/later/customers/${JANE}/adjustments`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ points: 5, reason: 'goodwill', idempotencyKey: 'adjust-0001' });
    expect((await events('later')).map((e) => e.type).slice(3)).toEqual([
      'points.available',
      'customer.balance_changed',
      'points.adjusted',
      'customer.balance_changed',
    ]);
  });
});

describe('frequent-buyer claims', () => {
  it('every claim transition (a claim_events row) writes one frequent_buyer.claim.status_changed', async () => {
    await merchant('claims');
    await withReceiver('claims');
    const [d1] = (await ctx.pool.query(`INSERT INTO distributors (name, regions) VALUES ('D1', '{QC}') RETURNING id::int`)).rows.map((r) => r.id as number);
    const offer = (
      await ctx.pool.query(
        `INSERT INTO offers (manufacturer, brand, name, purchases_required, free_item_rule, starts_on, eligible_distributor_ids) VALUES ('M', 'B', 'Buy 3', 3, 'least_value', '2026-01-01', $1) RETURNING id::int`,
        [[d1]],
      )
    ).rows[0].id;
    const redemption = (
      await ctx.pool.query(
        `INSERT INTO redemptions (merchant_id, source_key, customer_id, offer_id, shop_id, status, free_item_price, actor) VALUES ('claims', 'api:x', 'c1', $1, '1', 'accepted', 1299, 't') RETURNING id::int`,
        [offer],
      )
    ).rows[0].id;
    const claim = (
      await ctx.pool.query(
        `INSERT INTO claims (redemption_id, merchant_id, offer_id, shop_id, distributor_id, account_number, value, status) VALUES ($1, 'claims', $2, '1', $3, 'QC-1', 1299, 'new') RETURNING id::int`,
        [redemption, offer, d1],
      )
    ).rows[0].id;
    await ctx.pool.query(`INSERT INTO claim_events (claim_id, actor, from_status, to_status) VALUES ($1, 't', NULL, 'new'), ($1, 't', 'new', 'batched')`, [
      claim,
    ]);
    const rows = (await ctx.pool.query(`SELECT type, data FROM outbound_events WHERE merchant_id = 'claims' AND type LIKE 'frequent_buyer%' ORDER BY seq_id`))
      .rows;
    expect(rows.map((r) => [r.data.from, r.data.to, r.data.value])).toEqual([
      [null, 'new', 1299],
      ['new', 'batched', 1299],
    ]);
  });
});

describe('deliveries', () => {
  it('every event reaches a local receiver, signed so that standardwebhooks verifies it, with the documented payload', async () => {
    const receiver = await startReceiver();
    try {
      await merchant('shop');
      const { endpoint, secret } = await addEndpoint('shop', receiver.url);
      expect(secret).toMatch(/^whsec_/);
      await applySaleOf('shop');
      await waitFor(async () => receiver.received.length >= 3, 15_000, 'three deliveries');
      const bodies = receiver.received.map((r) => verify(secret, r) as { id: string; type: string; data: Record<string, unknown> });
      expect(bodies.map((b) => b.type).sort()).toEqual(['customer.balance_changed', 'points.available', 'sale.decided']);
      for (const [i, r] of receiver.received.entries()) expect(r.headers['webhook-id']).toBe(bodies[i]!.id);
      const decided = bodies.find((b) => b.type === 'sale.decided')!.data;
      expect(decided).toMatchObject({
        merchant: { id: 'shop', name: 'Acme Pets' },
        customer: { lightspeedId: JANE, consoleUrl: `/console/merchants/shop/customers/${JANE}` },
        sale: { id: String(closed.id), consoleUrl: `/console/merchants/shop/sales/${String(closed.id)}` },
        outcome: 'credited',
        points: 49,
        eligible: { minor: expect.any(Number), currency: null },
      });
      const credited = (decided.reasons as Array<{ code: string; messages: { en: string; fr: string } }>).find((r) => r.code === 'CREDITED')!;
      expect(credited.messages).toEqual({ en: '49 points credited.', fr: '49 points crédités.' });
      // No secret ever travels in an event.
      expect(receiver.received.some((r) => r.body.includes(secret.slice(6)) || r.body.includes('x-access'))).toBe(false);

      // A tampered body, or a timestamp older than the receiver's tolerance, fails verification.
      const r = receiver.received[0]!;
      expect(() => verify(secret, { ...r, body: r.body.replace('"shop"', '"shoq"') })).toThrow(/signature/i);
      const old = String(Math.floor(Date.now() / 1000) - 3600);
      expect(() => verify(secret, { ...r, headers: { ...r.headers, 'webhook-timestamp': old } })).toThrow(/too old/i);

      const log = await request(app)
        .get(`/admin/api/merchants/shop/webhook-endpoints/${endpoint.id}/deliveries`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      expect(log.body.length).toBe(3);
      expect(log.body[0]).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 204 });
      expect(typeof log.body[0].latencyMs).toBe('number');
    } finally {
      await receiver.close();
    }
  });

  it('after a rotation both secrets verify during the overlap; a test event and a replay arrive with the same id', async () => {
    const receiver = await startReceiver();
    try {
      await merchant('rot');
      const { endpoint, secret: oldSecret } = await addEndpoint('rot', receiver.url);
      const rotated = await request(app)
        .post(`/admin/api/merchants/rot/webhook-endpoints/${endpoint.id}/rotate-secret`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      const newSecret = rotated.body.secret as string;
      expect(newSecret).not.toBe(oldSecret);
      expect(rotated.body.endpoint.previousSecretValidUntil).toEqual(expect.any(String));
      // The secret is shown once: never in a read.
      const read = await request(app).get(`/admin/api/merchants/rot/webhook-endpoints/${endpoint.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
      expect(JSON.stringify(read.body)).not.toContain('whsec_');
      const stored = (await ctx.pool.query(`SELECT secret, previous_secret FROM webhook_endpoints WHERE id = $1`, [endpoint.id])).rows[0];
      expect(stored.secret).toMatch(/^enc:v1:/);
      expect(stored.previous_secret).toMatch(/^enc:v1:/);

      const test = await request(app)
        .post(`/admin/api/merchants/rot/webhook-endpoints/${endpoint.id}/test`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(202);
      const got = await waitFor(async () => receiver.received.find((r) => r.headers['webhook-id'] === test.body.eventId), 15_000, 'the test event');
      expect(got.headers['webhook-signature']!.split(' ')).toHaveLength(2);
      expect(verify(newSecret, got)).toMatchObject({ type: 'webhook.test' });
      expect(verify(oldSecret, got)).toMatchObject({ type: 'webhook.test' });

      const log = await request(app)
        .get(`/admin/api/merchants/rot/webhook-endpoints/${endpoint.id}/deliveries`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(200);
      await request(app)
        .post(`/admin/api/merchants/rot/webhook-endpoints/${endpoint.id}/deliveries/${log.body[0].id}/replay`)
        .set('Authorization', `Bearer ${admin}`)
        .expect(202);
      await waitFor(async () => receiver.received.filter((r) => r.headers['webhook-id'] === test.body.eventId).length === 2, 15_000, 'the replay');
      const audit = await ctx.pool.query(`SELECT action FROM audit_log WHERE entity = 'webhook_endpoint' AND entity_id = $1 ORDER BY id`, [
        String(endpoint.id),
      ]);
      expect(audit.rows.map((r) => r.action)).toEqual([
        'webhook_endpoint.create',
        'webhook_endpoint.rotate_secret',
        'webhook_endpoint.test',
        'webhook_endpoint.replay',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('replay since a time sends the stored events an endpoint added later never had', async () => {
    const receiver = await startReceiver();
    try {
      await merchant('late');
      // The merchant's first endpoint makes the sale's events stored; the second, added after, gets them by replay.
      await withReceiver('late');
      const since = new Date(Date.now() - 1000).toISOString();
      await applySaleOf('late');
      await delivery.dispatchNow();
      const { endpoint, secret } = await addEndpoint('late', receiver.url, ['sale.decided']);
      const res = await request(app)
        .post(`/admin/api/merchants/late/webhook-endpoints/${endpoint.id}/replay`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ since })
        .expect(202);
      expect(res.body).toEqual({ replayed: 1 });
      const got = await waitFor(async () => receiver.received[0], 15_000, 'the replayed event');
      expect(verify(secret, got)).toMatchObject({ type: 'sale.decided' });
    } finally {
      await receiver.close();
    }
  });

  it('a hanging endpoint does not delay another: every event reaches the live one while the dead one still holds its requests', async () => {
    const dead = await startReceiver(() => 'hang');
    const live = await startReceiver();
    try {
      await merchant('iso');
      await addEndpoint('iso', dead.url);
      const { secret } = await addEndpoint('iso', live.url);
      // Many events at once (adjustments for many customers): more than one batch of the dead endpoint's drain.
      const writes = Array.from({ length: 60 }, (_, i) =>
        request(app)
          .post(`/admin/api/merchants/iso/customers/c${i}/adjustments`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ points: 1, reason: 'isolation' }),
      );
      await Promise.all(writes);
      await waitFor(async () => live.received.length >= 120, 30_000, 'all events at the live endpoint');
      for (const r of live.received) verify(secret, r);
      // The dead endpoint got its first requests and has not answered any (timeout 60 s): still hanging.
      expect(dead.hanging.size).toBeGreaterThan(0);
      expect(dead.hanging.size).toBe(dead.received.length);
    } finally {
      await dead.close();
      await live.close();
    }
  });

  it('410 Gone disables the endpoint; a notice is in the audit log', async () => {
    const gone = await startReceiver(() => 410);
    try {
      await merchant('gone');
      const { endpoint } = await addEndpoint('gone', gone.url);
      await request(app).post(`/admin/api/merchants/gone/webhook-endpoints/${endpoint.id}/test`).set('Authorization', `Bearer ${admin}`).expect(202);
      const row = await waitFor(
        async () => (await ctx.pool.query(`SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = $1 AND NOT enabled`, [endpoint.id])).rows[0],
        15_000,
        'the endpoint disabled',
      );
      expect(row).toEqual({ enabled: false, disabled_reason: 'gone' });
      const notice = await ctx.pool.query(`SELECT actor, after FROM audit_log WHERE action = 'webhook_endpoint.disabled' AND entity_id = $1`, [
        String(endpoint.id),
      ]);
      expect(notice.rows).toEqual([{ actor: 'system', after: { enabled: false, reason: 'gone' } }]);
    } finally {
      await gone.close();
    }
  });
});

describe('alerts', () => {
  it("an alert opening and resolving sends alert.opened and alert.resolved in the transition's transaction, verified by standardwebhooks", async () => {
    const receiver = await startReceiver();
    try {
      await merchant('alerting');
      const { secret } = await addEndpoint('alerting', receiver.url, ['alert.opened', 'alert.resolved']);
      const stalled = { merchantId: 'alerting', kind: 'POLLING_STALLED' as const, subject: '', evidence: { hours: 6 } };
      // A transition whose transaction rolls back leaves no event behind.
      await expect(
        withTransaction(ctx.pool, async (db) => {
          await applyDetectorResult(db, ['alerting'], [stalled]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await events('alerting')).toEqual([]);
      const [opened] = await withTransaction(ctx.pool, (db) => applyDetectorResult(db, ['alerting'], [stalled]));
      // Still holding: no second event; acknowledged by a person: none either; the condition gone: resolved.
      await withTransaction(ctx.pool, (db) => applyDetectorResult(db, ['alerting'], [stalled]));
      await withTransaction(ctx.pool, (db) => changeAlert(db, 'alerting', opened!.alert.id, 'acknowledged', { ...systemActor, name: 'ann@example.com' }));
      await withTransaction(ctx.pool, (db) => applyDetectorResult(db, ['alerting'], []));
      expect((await events('alerting')).map((e) => e.type)).toEqual(['alert.opened', 'alert.resolved']);
      await waitFor(async () => receiver.received.length >= 2, 15_000, 'two alert deliveries');
      const bodies = receiver.received.map((r) => verify(secret, r) as { type: string; data: Record<string, unknown> });
      expect(bodies.map((b) => b.type).sort()).toEqual(['alert.opened', 'alert.resolved']);
      const resolved = bodies.find((b) => b.type === 'alert.resolved')!.data;
      expect(resolved).toMatchObject({
        merchant: { id: 'alerting' },
        customer: null,
        sale: null,
        alertId: opened!.alert.id,
        kind: 'POLLING_STALLED',
        evidence: { hours: 6 },
        resolvedBy: 'system',
        resolvedAt: expect.any(String),
        consoleUrl: '/console/merchants/alerting/insights',
      });
      // The payload matches the catalogue's published schema.
      expect(envelopeSchema('alert.resolved').safeParse(bodies.find((b) => b.type === 'alert.resolved')).success).toBe(true);
      expect(envelopeSchema('alert.opened').safeParse(bodies.find((b) => b.type === 'alert.opened')).success).toBe(true);
      const doc = await request(app).get('/admin/api/openapi.json').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(Object.keys(doc.body.webhooks)).toEqual(expect.arrayContaining(['alert.opened', 'alert.resolved']));
      expect(doc.body.webhooks['alert.resolved'].post.requestBody.content['application/json'].schema.properties.data.properties.resolvedBy).toBeDefined();
    } finally {
      await receiver.close();
    }
  });
});

describe('endpoint URLs (SSRF)', () => {
  it.each([
    ['http://127.0.0.2/hook', 'URL_ADDRESS'],
    ['http://[::1]/hook', 'URL_ADDRESS'],
    ['http://10.1.2.3/hook', 'URL_ADDRESS'],
    ['http://169.254.169.254/latest/meta-data', 'URL_ADDRESS'],
    ['http://[::ffff:127.0.0.1]/hook', 'URL_ADDRESS'],
    ['http://localhost/hook', 'URL_ADDRESS'],
    ['ftp://example.com/hook', 'URL_SCHEME'],
    ['http://user:pw@example.com/hook', 'URL_INVALID'],
  ])('refuses %s (%s) with 422', async (url, code) => {
    await createXMerchant(ctx.pool, { id: 'ssrf', domainPrefix: 'ssrf' }).catch(() => undefined);
    // Without the allow-list the tests' receivers need.
    const strict = serviceApp({ ...ctx, config: { ...ctx.config, WEBHOOK_ALLOW_CIDRS: [] } });
    const res = await request(strict).post('/admin/api/merchants/ssrf/webhook-endpoints').set('Authorization', `Bearer ${admin}`).send({ url });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
  });
});
