import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../../src/http/app.js';
import { inboxGroupInsert } from '../../../../src/inbox/groupInsert.js';
import { relayInbox } from '../../../../src/inbox/relay.js';
import { routeTable } from '../../../../src/routes.js';
import { createTestContext, fixture, type TestContext } from '../../../helpers/context.js';
import { createXMerchant, SECRET } from '../../../helpers/merchants.js';
import { deliver, formBody, sign } from '../../../helpers/webhook.js';

let ctx: TestContext;
let app: ReturnType<typeof createApp>;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const GAMMA_TOKEN = 'gamma-url-token-0123456789abcdef';
const DELTA_TOKEN = 'delta-url-token-0123456789abcdef';

const rows = async () => (await ctx.pool.query(`SELECT id, sale_id, version, signature_variant, source FROM sale_events ORDER BY id`)).rows;
// The webhook stores; the inbox relay (the worker role's) queues what was committed: one pass, then the jobs.
const jobs = async () => {
  await relayInbox(ctx);
  return ctx.queues.sales.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
};

beforeAll(async () => {
  ctx = await createTestContext();
  app = createApp(ctx, routeTable(ctx));
  await createXMerchant(ctx.pool);
  // Another store of the same Lightspeed app: same client secret, so the same signatures verify.
  await createXMerchant(ctx.pool, { id: 'beta', domainPrefix: 'beta' });
  await createXMerchant(ctx.pool, {
    id: 'manual',
    domainPrefix: 'manual',
    webhookSecret: undefined,
    allowUnsigned: true,
    urlToken: 'url-token-0123456789abcdef',
  });
  // Two stores connected through the connect flow: each webhook URL carries the merchant's own token.
  await createXMerchant(ctx.pool, { id: 'gamma', domainPrefix: 'gamma', urlToken: GAMMA_TOKEN, signedNeedsUrlToken: true });
  await createXMerchant(ctx.pool, { id: 'delta', domainPrefix: 'delta', urlToken: DELTA_TOKEN, signedNeedsUrlToken: true });
});
beforeEach(async () => {
  await ctx.pool.query('DELETE FROM sale_events');
  await ctx.pool.query('DELETE FROM sale_event_relay');
  await ctx.queues.sales.obliterate({ force: true });
});
afterAll(async () => ctx.cleanup());

describe('X-Series webhook intake', () => {
  it('stores a valid delivery once and enqueues a job carrying only the event id', async () => {
    const res = await deliver(app, 'acme', closed, { secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
    const stored = await rows();
    expect(stored).toEqual([{ id: res.body.eventId, sale_id: closed.id, version: 8812345678, signature_variant: 'body-hex', source: 'webhook' }]);
    const queued = await jobs();
    expect(queued.map((j) => [j.id, j.data])).toEqual([[`event-${res.body.eventId}`, { eventId: res.body.eventId }]]);
  });

  it('names the job after the merchant, the sale and its receipt number, so an admin finds it on the queue dashboard', async () => {
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    expect((await jobs()).map((j) => j.name)).toEqual([`sale acme ${closed.id} #1042`]);
  });

  it('the same delivery 5 times: one row, one job', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(app, 'acme', closed, { secret: SECRET })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);
    expect(await rows()).toHaveLength(1);
    expect(await jobs()).toHaveLength(1);
  });

  it('40 deliveries at once, 20 sales each sent twice (stored in groups): 20 rows, 20 accepted, 20 duplicates, 20 jobs', async () => {
    const sales = Array.from({ length: 20 }, (_, i) => ({ ...closed, id: `grouped-${i}` }));
    const answers = await Promise.all([...sales, ...sales].map((sale) => deliver(app, 'acme', sale, { secret: SECRET })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(20);
    expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(20);
    const stored = await rows();
    expect(stored).toHaveLength(20);
    // Both deliveries of a sale answer with the stored row's id.
    for (const sale of sales) expect(new Set(answers.filter((a, i) => [...sales, ...sales][i]!.id === sale.id).map((a) => a.body.eventId)).size).toBe(1);
    expect(await jobs()).toHaveLength(20);
  });

  it('a NUL character in the payload (jsonb refuses \\u0000) is stored as U+FFFD instead of failing forever', async () => {
    const res = await deliver(app, 'acme', { ...closed, note: 'gift for Zo\u0000e' }, { secret: SECRET });
    expect(res.status).toBe(200);
    const { rows: stored } = await ctx.pool.query(`SELECT payload->>'note' AS note FROM sale_events WHERE id = $1`, [res.body.eventId]);
    expect(stored[0].note).toBe('gift for Zo\ufffde');
  });

  it('a lone surrogate in the payload (jsonb refuses \\ud800) is stored as U+FFFD, not answered 503', async () => {
    const res = await deliver(app, 'acme', { ...closed, note: 'Zo\ud800e' }, { secret: SECRET });
    expect(res.status).toBe(200);
    const { rows: stored } = await ctx.pool.query(`SELECT payload->>'note' AS note FROM sale_events WHERE id = $1`, [res.body.eventId]);
    expect(stored[0].note).toBe('Zo\ufffde');
  });

  it('the payload is stored as received: escapes as PHP writes them (an emoji as a surrogate pair, a lone one, NUL) and exact decimals', async () => {
    const text = JSON.stringify({ ...closed, note: 'NOTE', total_price: 'TOTAL' })
      .replace('"NOTE"', '"\\ud83d\\ude00 Zo\\u0000e \\ud800 \\\\u0000"')
      .replace('"TOTAL"', '49.400000000000000001');
    const res = await deliver(app, 'acme', null, { secret: SECRET, body: new URLSearchParams({ payload: text }).toString() });
    expect(res.status).toBe(200);
    const { rows: stored } = await ctx.pool.query(`SELECT payload->>'note' AS note, payload->>'total_price' AS total FROM sale_events WHERE id = $1`, [
      res.body.eventId,
    ]);
    expect(stored[0]).toEqual({ note: '\u{1F600} Zo\ufffde \ufffd \\u0000', total: '49.400000000000000001' });
  });

  it('a delivery PostgreSQL cannot store as sent is answered 400 with a stable code and no database text', async () => {
    const res = await deliver(app, 'acme', { ...closed, id: 'nul\u0000in-the-id' }, { secret: SECRET });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('UNSTORABLE_PAYLOAD');
    expect(JSON.stringify(res.body)).not.toMatch(/invalid byte|sale_events|0x00|UTF8/i);
    expect(await rows()).toHaveLength(0);
  });

  it('a signed delivery captured for one store and posted to another merchant is refused and stored for nobody', async () => {
    const body = formBody(closed, { domain_prefix: 'acme' });
    const replayed = await deliver(app, 'beta', closed, { secret: SECRET, body });
    expect(replayed.status).toBe(403);
    expect(replayed.body.error.code).toBe('WRONG_MERCHANT');
    expect(await rows()).toHaveLength(0);
    // The same delivery at its own store's URL is fine.
    expect((await deliver(app, 'acme', closed, { secret: SECRET, body })).status).toBe(200);
  });

  it('a row PostgreSQL refuses fails alone: the deliveries grouped with it are stored', async () => {
    const inbox = inboxGroupInsert(ctx.pool);
    const event = (saleId: string, version: number) => ({ merchantId: 'acme', saleId, version, source: 'webhook' as const, payload: closed });
    const first = inbox.add(event('alone', 1));
    // These three wait for the first write and go together; 1e20 does not fit a bigint.
    const [good, bad, alsoGood] = await Promise.allSettled([inbox.add(event('g1', 1)), inbox.add(event('bad', 1e20)), inbox.add(event('g2', 1))]);
    await first;
    expect([good.status, bad.status, alsoGood.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await rows()).map((r) => r.sale_id).sort()).toEqual(['alone', 'g1', 'g2']);
  });

  it.each(['body-hex', 'body-base64', 'payload-hex', 'payload-base64'] as const)('accepts the %s signature variant and records it', async (variant) => {
    const res = await deliver(app, 'acme', { ...closed, version: 1 }, { secret: SECRET, variant });
    expect(res.status).toBe(200);
    expect((await rows())[0]!.signature_variant).toBe(variant);
  });

  it('stores a later version of the same sale as its own event', async () => {
    await deliver(app, 'acme', closed, { secret: SECRET }).expect(200);
    await deliver(app, 'acme', fixture('lightspeed/x/sale-voided.json'), { secret: SECRET }).expect(200);
    expect((await rows()).map((r) => r.version)).toEqual([8812345678, 8812350000]);
  });

  it('tolerates unknown statuses and future fields', async () => {
    const res = await deliver(app, 'acme', { ...closed, status: 'TELEPORTED', hologram: { x: 1 } }, { secret: SECRET });
    expect(res.status).toBe(200);
  });

  it('a signed delivery without domain_prefix, captured for one store, is refused at another merchant with a URL token', async () => {
    // Nothing in the delivery names the store (Lightspeed may send no domain_prefix) and the signature is
    // the app's, valid for every store: only the URL token tells the merchants apart.
    const body = formBody(closed);
    for (const token of [undefined, GAMMA_TOKEN, '']) {
      const replayed = await deliver(app, 'delta', closed, { secret: SECRET, body, ...(token === undefined ? {} : { token }) });
      expect([replayed.status, replayed.body.error?.code]).toEqual([401, 'INVALID_URL_TOKEN']);
    }
    expect(await rows()).toHaveLength(0);
    expect(await jobs()).toHaveLength(0);
    // At its own merchant's URL, with that merchant's token, the same delivery is stored once.
    const own = await deliver(app, 'gamma', closed, { secret: SECRET, body, token: GAMMA_TOKEN });
    expect([own.status, own.body.status]).toEqual([200, 'accepted']);
    expect((await ctx.pool.query(`SELECT merchant_id FROM sale_events`)).rows).toEqual([{ merchant_id: 'gamma' }]);
  });

  it('a merchant with a URL token but no signedNeedsUrlToken (set up before the connect flow set it) keeps taking tokenless signed deliveries', async () => {
    // Its signed webhook was registered without the token: it keeps working until it is reconnected or an
    // admin sets signedNeedsUrlToken (README, "Binding a delivery to its merchant").
    await createXMerchant(ctx.pool, { id: 'legacy', domainPrefix: 'legacy', urlToken: 'legacy-url-token-0123456789abcdef', allowUnsigned: true });
    expect((await deliver(app, 'legacy', closed, { secret: SECRET })).status).toBe(200);
    await ctx.pool.query(`UPDATE merchants SET signed_needs_url_token = true WHERE id = 'legacy'`);
    // A new app: the route's merchant cache would hold the old row for 2 s.
    const refused = await deliver(createApp(ctx, routeTable(ctx)), 'legacy', { ...closed, version: 9 }, { secret: SECRET });
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'INVALID_URL_TOKEN']);
    await ctx.pool.query(`DELETE FROM merchants WHERE id = 'legacy'`);
  });

  it('a right URL token does not stand in for the signature', async () => {
    const res = await deliver(app, 'gamma', closed, { secret: 'not-the-secret', token: GAMMA_TOKEN });
    expect([res.status, res.body.error.code]).toEqual([401, 'INVALID_SIGNATURE']);
    expect(await rows()).toHaveLength(0);
  });

  describe('bad input changes nothing', () => {
    const body = formBody(closed);
    const cases: Array<[string, () => request.Test, number, string]> = [
      ['unknown merchant', () => deliver(app, 'nobody', closed, { secret: SECRET }), 404, 'NOT_FOUND'],
      ['missing signature', () => deliver(app, 'acme', closed), 401, 'INVALID_SIGNATURE'],
      ['wrong secret', () => deliver(app, 'acme', closed, { secret: 'not-the-secret' }), 401, 'INVALID_SIGNATURE'],
      [
        'one byte changed after signing',
        () =>
          request(app)
            .post('/webhooks/lightspeed/x/acme')
            .set('Content-Type', 'application/x-www-form-urlencoded')
            .set('X-Signature', sign(SECRET, body))
            .send(body.replace('Jane', 'Jand')),
        401,
        'INVALID_SIGNATURE',
      ],
      [
        'JSON content type',
        () =>
          request(app)
            .post('/webhooks/lightspeed/x/acme')
            .set('Content-Type', 'application/json')
            .send(JSON.stringify({ payload: closed })),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['no payload field', () => deliver(app, 'acme', null, { secret: SECRET, body: 'environment=prod' }), 400, 'MALFORMED_BODY'],
      ['payload not JSON', () => deliver(app, 'acme', null, { secret: SECRET, body: 'payload=%7Bnot-json' }), 400, 'MALFORMED_BODY'],
      ['payload without a version', () => deliver(app, 'acme', { ...closed, version: undefined }, { secret: SECRET }), 400, 'INVALID_PAYLOAD'],
      [
        'money that is not a number',
        () => deliver(app, 'acme', { ...closed, register_sale_payments: [{ amount: 'lots' }] }, { secret: SECRET }),
        400,
        'INVALID_PAYLOAD',
      ],
      [
        'JSON nested 10,000 deep',
        () => deliver(app, 'acme', null, { secret: SECRET, body: formBody(`{"id":"d","version":1,"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) }),
        400,
        'MALFORMED_BODY',
      ],
      ['a body over 256 KiB', () => deliver(app, 'acme', { ...closed, note: 'x'.repeat(300 * 1024) }, { secret: SECRET }), 413, 'PAYLOAD_TOO_LARGE'],
    ];
    it.each(cases)('%s → %i', async (_name, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(await rows()).toEqual([]);
      expect(await jobs()).toEqual([]);
    });

    it('an event type other than sale.update is acknowledged and ignored', async () => {
      const res = await deliver(app, 'acme', null, { secret: SECRET, body: formBody({ id: 'p1' }, { type: 'product.update' }) });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ignored');
      expect(await rows()).toEqual([]);
    });

    it('the 400 says what is wrong', async () => {
      const res = await deliver(app, 'acme', { ...closed, version: 'v2' }, { secret: SECRET });
      expect(res.body.error.message).toMatch(/^payload\.version: /);
    });
  });

  describe('unsigned deliveries (manually created webhooks)', () => {
    it('are accepted with the merchant URL token, refused without it', async () => {
      const body = formBody(closed);
      const send = (query: string) =>
        request(app).post(`/webhooks/lightspeed/x/manual${query}`).set('Content-Type', 'application/x-www-form-urlencoded').send(body);
      expect((await send('')).status).toBe(401);
      expect((await send('?token=wrong-token-0123456789ab')).status).toBe(401);
      const ok = await send('?token=url-token-0123456789abcdef');
      expect(ok.status).toBe(200);
      expect((await rows())[0]!.signature_variant).toBe('url-token');
    });

    it('a merchant that requires signatures does not accept the URL token instead', async () => {
      const res = await request(app)
        .post('/webhooks/lightspeed/x/acme?token=url-token-0123456789abcdef')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(formBody(closed));
      expect(res.status).toBe(401);
    });
  });

  it('is served before Express, reading its URL as Express did: case, trailing slash, percent-encoding, other methods', async () => {
    const signed = (path: string) =>
      request(app)
        .post(path)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('X-Signature', sign(SECRET, formBody(closed)))
        .send(formBody(closed));
    const accepted = await signed('/Webhooks/Lightspeed/X/acme/');
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    // Not through Express: none of the console's security headers, no ETag of the body.
    expect(accepted.headers['content-security-policy']).toBeUndefined();
    expect(accepted.headers.etag).toBeUndefined();
    expect(accepted.headers['x-request-id']).toBeTruthy();
    expect((await signed('/webhooks/lightspeed/x/%61cme')).body.status).toBe('duplicate');
    const undecodable = await signed('/webhooks/lightspeed/x/%E0%A4%A');
    expect([undecodable.status, undecodable.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    // What the hot route does not serve falls through to Express's 404.
    for (const res of [
      await request(app).get('/webhooks/lightspeed/x/acme'),
      await signed('/webhooks/lightspeed/x/acme/extra'),
      await signed('/webhooks/lightspeed/x/'),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect(await rows()).toHaveLength(1);
  });

  it('counts outcomes in /metrics', async () => {
    await deliver(app, 'acme', closed, { secret: SECRET });
    await deliver(app, 'acme', closed, { secret: SECRET });
    await deliver(app, 'acme', closed);
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(/loyalty_webhooks_total\{outcome="accepted"\} \d+/);
    expect(text).toMatch(/loyalty_webhooks_total\{outcome="duplicate"\} \d+/);
    expect(text).toMatch(/loyalty_webhooks_total\{outcome="unauthorized"\} \d+/);
  });

  it('answers 503 when Postgres is unavailable, so Lightspeed retries', async () => {
    const { createPool } = await import('../../../../src/db/pool.js');
    const deadPool = createPool('postgres://postgres@127.0.0.1:1/test');
    const res = await deliver(createApp({ ...ctx, pool: deadPool }, routeTable({ ...ctx, pool: deadPool })), 'acme', closed, { secret: SECRET });
    await deadPool.end();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('STORAGE_UNAVAILABLE');
  });
});
