import nock from 'nock';
import { Queue, Worker, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSaleEvent } from '../../../src/inbox/repo.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { createRedis } from '../../../src/queue/connections.js';
import { saleJobId } from '../../../src/queue/jobs.js';
import { processSaleJob } from '../../../workers/sales.js';
import { salesDeps } from '../../../workers/index.js';
import { sweepInbox } from '../../../workers/sweep.js';
import { createTestContext, fixture, type TestContext } from '../../helpers/context.js';
import { createXMerchant } from '../../helpers/merchants.js';
import { seedRefs } from '../../helpers/refs.js';
import { waitFor } from '../../helpers/wait.js';

let ctx: TestContext;
const closed = fixture<Record<string, unknown>>('lightspeed/x/sale-closed.json');
const JANE = '0242ac12-0002-11e9-e8c4-5b3a1f6e7711';

async function merchant(id: string) {
  await createXMerchant(ctx.pool, { id, domainPrefix: id });
  await seedRefs(ctx.pool, id, {
    segments: [['0adaafb3-6583-11e5-fb60-050b7e8c0001', 'Retail']],
    products: [
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a01', null, false],
      ['0adaafb3-6583-11e5-fb60-050b7e8f0a02', null, false],
    ],
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
  return (await insertSaleEvent(ctx.pool, { merchantId: id, saleId: String(closed.id), version: Number(closed.version), source: 'webhook', payload: closed }))
    .id;
}

const balance = async (id: string) =>
  (await ctx.pool.query(`SELECT available::int, pending::int FROM customers WHERE merchant_id = $1 AND customer_id = $2`, [id, JANE])).rows[0];
const entries = async (id: string) => (await ctx.pool.query(`SELECT points FROM ledger_entries WHERE merchant_id = $1`, [id])).rows;

beforeAll(async () => {
  ctx = await createTestContext();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await ctx.cleanup();
});

describe('exactly once under concurrency and crashes', () => {
  it('the same sale processed by 4 workers at once credits once', async () => {
    const eventId = await merchant('race');
    // Four independent workers (own reference caches), each handed the same job.
    const job = { name: 'sale', data: { eventId }, id: saleJobId(eventId) } as unknown as Job;
    const results = await Promise.all(Array.from({ length: 4 }, () => processSaleJob(salesDeps(ctx), job)));
    expect(results.filter((r) => (r as { outcome: string }).outcome === 'applied')).toHaveLength(1);
    expect(await balance('race')).toEqual({ available: 49, pending: 0 });
    expect(await entries('race')).toEqual([{ points: 49 }]);
  });

  it('a worker killed mid-job: the stalled job runs again and credits once', async () => {
    const eventId = await merchant('crash');
    const prefix = ctx.config.QUEUE_PREFIX;
    const queue = new Queue('crash-sales', { connection: ctx.redis, prefix });
    await queue.add('sale', { eventId }, { jobId: saleJobId(eventId) });

    // First worker: does the work, commits, and "dies" before telling BullMQ (its lock is never renewed).
    const dyingConnection = createRedis(ctx.config.REDIS_URL, 'worker');
    let committed!: () => void;
    const didCommit = new Promise<void>((r) => (committed = r));
    const dying = new Worker(
      'crash-sales',
      async (job, token) => {
        await processSaleJob(salesDeps(ctx), job, token);
        committed();
        await new Promise(() => undefined);
      },
      // Same stalled-check interval as the live worker: the check is throttled per queue by the shortest-lived marker.
      { connection: dyingConnection, prefix, lockDuration: 1_000, skipLockRenewal: true, stalledInterval: 300 },
    );
    await didCommit;
    void dying.close(true).catch(() => undefined);
    dyingConnection.disconnect();

    // A second worker picks the job up as stalled and runs it again.
    const liveConnection = createRedis(ctx.config.REDIS_URL, 'worker');
    const outcomes: unknown[] = [];
    const live = new Worker(
      'crash-sales',
      async (job, token) => {
        const result = await processSaleJob(salesDeps(ctx), job, token);
        outcomes.push(result);
        return result;
      },
      { connection: liveConnection, prefix, stalledInterval: 300, lockDuration: 1_000 },
    );
    await waitFor(async () => outcomes.length > 0, 20_000, 'the stalled job to run again');
    await live.close();
    liveConnection.disconnect();
    await queue.close();

    expect(outcomes).toEqual([{ outcome: 'already processed' }]);
    expect(await balance('crash')).toEqual({ available: 49, pending: 0 });
    expect(await entries('crash')).toEqual([{ points: 49 }]);
  });

  it('two returns of the same original applied at once never reverse more than the line earned', async () => {
    const eventId = await merchant('returns');
    const job = (id: number) => ({ name: 'sale', data: { eventId: id }, id: saleJobId(id) }) as unknown as Job;
    await processSaleJob(salesDeps(ctx), job(eventId));
    expect(await balance('returns')).toEqual({ available: 49, pending: 0 });
    const returned = fixture<Record<string, unknown>>('lightspeed/x/sale-return.json');
    // Each return gives back both kibbles (24 points): together they would reverse 48 without the guard.
    const both = async (id: string) =>
      (
        await insertSaleEvent(ctx.pool, {
          merchantId: 'returns',
          saleId: id,
          version: 1,
          source: 'webhook',
          payload: {
            ...returned,
            id,
            version: 1,
            register_sale_products: [
              { ...(returned.register_sale_products as Record<string, unknown>[])[0], id: `${id}-l`, quantity: -2, price_total: '-24.00000' },
            ],
          },
        })
      ).id;
    const [a, b] = [await both('ret-a'), await both('ret-b')];
    await Promise.all([processSaleJob(salesDeps(ctx), job(a)), processSaleJob(salesDeps(ctx), job(b))]);
    expect(await balance('returns')).toEqual({ available: 25, pending: 0 });
  });

  it('a paused merchant: the sale waits with MERCHANT_PAUSED and is credited once resumed', async () => {
    const eventId = await merchant('sleepy');
    await ctx.pool.query(`UPDATE merchants SET paused = true WHERE id = 'sleepy'`);
    const job = { name: 'sale', data: { eventId }, id: saleJobId(eventId) } as unknown as Job;
    expect(await processSaleJob(salesDeps(ctx), job)).toEqual({ outcome: 'merchant paused' });
    const { rows } = await ctx.pool.query(`SELECT status, decision->'reasons'->0->>'code' AS code FROM decisions WHERE merchant_id = 'sleepy'`);
    expect(rows).toEqual([{ status: 'none', code: 'MERCHANT_PAUSED' }]);
    expect(await balance('sleepy')).toBeUndefined();

    await ctx.pool.query(`UPDATE merchants SET paused = false WHERE id = 'sleepy'`);
    expect(await sweepInbox(ctx, 0)).toBeGreaterThanOrEqual(1);
    const queued = await ctx.queues.sales.getJob(saleJobId(eventId));
    expect(queued).toBeTruthy();
    await processSaleJob(salesDeps(ctx), queued!);
    expect(await balance('sleepy')).toEqual({ available: 49, pending: 0 });
  });
});
