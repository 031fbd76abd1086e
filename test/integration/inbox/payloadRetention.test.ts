import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { dropOldPayloads } from '../../../src/inbox/payloadRetention.js';
import { insertSaleEvent, recordEventFailure, reopenEvents } from '../../../src/inbox/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { routeTable } from '../../../src/routes.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { RETENTION_SCHEDULER_ID, salesDeps, startWorkers } from '../../../workers/index.js';
import { applySaleBatch } from '../../../workers/sales.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';

let ctx: TestContext;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');

async function merchant(id: string): Promise<void> {
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await seedRefs(ctx.pool, id, {
    segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
    products: [
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', null, false],
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a02', null, false],
    ],
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
}

const event = async (merchantId: string, saleId: string, receipt = `R-${saleId}`) =>
  (
    await insertSaleEvent(ctx.pool, {
      merchantId,
      saleId,
      version: 1,
      source: 'webhook',
      payload: { ...structuredClone(closed), id: saleId, version: 1 },
      receipt,
    })
  ).id;
const apply = async (eventId: number, reevaluate = false) => (await applySaleBatch(salesDeps(ctx), [{ eventId, reevaluate, jobId: undefined }]))[0]!;
const backdate = (eventId: number, days: number) =>
  ctx.pool.query(`UPDATE sale_events SET processed_at = now() - make_interval(days => $2), received_at = now() - make_interval(days => $2) WHERE id = $1`, [
    eventId,
    days,
  ]);
const payloadKept = async (eventId: number) =>
  (await ctx.pool.query(`SELECT payload IS NOT NULL AS kept FROM sale_events WHERE id = $1`, [eventId])).rows[0]!.kept;
const earned = async (merchantId: string) =>
  (await ctx.pool.query(`SELECT sale_id, points FROM ledger_entries WHERE merchant_id = $1 AND kind = 'earn' ORDER BY sale_id`, [merchantId])).rows;

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('payload retention', () => {
  it('drops only the payloads of versions done longer ago than the retention; every other version keeps its payload', async () => {
    await merchant('keep');
    const oldDone = await event('keep', 'old-done');
    const recentDone = await event('keep', 'recent-done');
    expect((await apply(oldDone)).result).toMatchObject({ outcome: 'applied' });
    expect((await apply(recentDone)).result).toMatchObject({ outcome: 'applied' });
    await backdate(oldDone, 100);
    await backdate(recentDone, 10);
    // Old but never done: received (the sweeper will queue it), failed (support may replay it), waiting (merchant paused).
    const received = await event('keep', 'old-received');
    const failed = await event('keep', 'old-failed');
    await recordEventFailure(ctx.pool, failed, 'product not found', 'may-heal');
    const waiting = await event('keep', 'old-waiting');
    await ctx.pool.query(`UPDATE sale_events SET status = 'waiting' WHERE id = $1`, [waiting]);
    await ctx.pool.query(`UPDATE sale_events SET received_at = now() - interval '200 days' WHERE id = ANY($1)`, [[received, failed, waiting]]);

    expect(await dropOldPayloads(ctx.pool, { days: 90 })).toEqual({ dropped: 1, batches: 1, more: false });
    expect(await payloadKept(oldDone)).toBe(false);
    for (const id of [recentDone, received, failed, waiting]) expect(await payloadKept(id)).toBe(true);
    // 0 is off: nothing is dropped, however old.
    expect(await dropOldPayloads(ctx.pool, { days: 0 })).toEqual({ dropped: 0, batches: 0, more: false });
    expect(await payloadKept(recentDone)).toBe(true);
  });

  it('works in bounded batches: a run stops after maxBatches and the next one goes on', async () => {
    await merchant('batches');
    const ids: number[] = [];
    for (const saleId of ['b1', 'b2', 'b3', 'b4', 'b5']) {
      const id = await event('batches', saleId);
      await apply(id);
      await backdate(id, 400);
      ids.push(id);
    }
    expect(await dropOldPayloads(ctx.pool, { days: 365, batchSize: 2, maxBatches: 2 })).toEqual({ dropped: 4, batches: 2, more: true });
    expect(await dropOldPayloads(ctx.pool, { days: 365, batchSize: 2, maxBatches: 2 })).toEqual({ dropped: 1, batches: 1, more: false });
    for (const id of ids) expect(await payloadKept(id)).toBe(false);
  });

  it('a failed version is never dropped, so its replay after the retention age still applies it', async () => {
    await merchant('replay');
    const id = await event('replay', 'late');
    await recordEventFailure(ctx.pool, id, 'product not found', 'may-heal');
    await ctx.pool.query(`UPDATE sale_events SET received_at = now() - interval '1 year' WHERE id = $1`, [id]);
    await dropOldPayloads(ctx.pool, { days: 1 });
    // The table refuses a NULL payload on anything not done, whoever writes it.
    await expect(ctx.pool.query(`UPDATE sale_events SET payload = NULL, payload_dropped_at = now() WHERE id = $1`, [id])).rejects.toThrow(
      /sale_events_payload_kept/,
    );
    expect(await reopenEvents(ctx.pool, 'replay', { eventIds: [id] })).toEqual([{ id, saleId: 'late' }]);
    expect((await apply(id)).result).toMatchObject({ outcome: 'applied' });
    expect(await earned('replay')).toEqual([{ sale_id: 'late', points: 49 }]);
  });

  it('the sale page still answers for a dropped payload, says so, and keeps decisions, ledger and receipt', async () => {
    await merchant('page');
    const id = await event('page', 'gone', 'RCPT-77');
    await apply(id);
    await backdate(id, 100);
    expect((await dropOldPayloads(ctx.pool, { days: 90 })).dropped).toBe(1);

    const app = createApp(ctx, routeTable(ctx));
    const res = await request(app)
      .get('/admin/api/merchants/page/sales/gone')
      .set('Authorization', `Bearer ${await ctx.token('support')}`)
      .expect(200);
    expect(res.body.receipt).toBe('RCPT-77');
    expect(res.body.events).toHaveLength(1);
    expect(res.body.events[0]).toMatchObject({ status: 'done', payloadDroppedAt: expect.any(String) });
    expect(res.body.decisions).toHaveLength(1);
    expect(res.body.decisions[0]).toMatchObject({ applied: true, points: 49 });
    expect(res.body.ledger.map((e: { points: number }) => e.points)).toEqual([49]);
    expect(res.body.current).toMatchObject({ points: 49 });
  });

  it('a re-evaluation of a sale whose payload was dropped changes nothing and says why', async () => {
    await merchant('reeval');
    const id = await event('reeval', 'old');
    await apply(id);
    await backdate(id, 100);
    await dropOldPayloads(ctx.pool, { days: 90 });
    const done = await apply(id, true);
    expect(done.error).toBeUndefined();
    expect(done.result).toEqual({ outcome: 'payload dropped by retention' });
    expect(await earned('reeval')).toEqual([{ sale_id: 'old', points: 49 }]);
  });

  it('the worker role schedules the retention job, and removes it when PAYLOAD_RETENTION_DAYS and EVENT_RETENTION_DAYS are 0', async () => {
    const running = await startWorkers(ctx);
    await running.close(1_000);
    expect(await ctx.queues.maintenance.getJobScheduler(RETENTION_SCHEDULER_ID)).toMatchObject({ name: 'retention', every: 3_600_000 });
    // The outbox's retention alone keeps the job.
    const eventsOnly = await startWorkers({ ...ctx, config: { ...ctx.config, PAYLOAD_RETENTION_DAYS: 0 } });
    await eventsOnly.close(1_000);
    expect(await ctx.queues.maintenance.getJobScheduler(RETENTION_SCHEDULER_ID)).toMatchObject({ name: 'retention' });
    const off = await startWorkers({ ...ctx, config: { ...ctx.config, PAYLOAD_RETENTION_DAYS: 0, EVENT_RETENTION_DAYS: 0 } });
    await off.close(1_000);
    expect(await ctx.queues.maintenance.getJobScheduler(RETENTION_SCHEDULER_ID)).toBeUndefined();
  });
});
