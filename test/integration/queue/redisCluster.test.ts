import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS, xRegisterSale } from '../../../bench/data.js';
import { FakeLightspeed } from '../../../bench/fakeLightspeed.js';
import { RedisCluster, redisBinariesPresent } from '../../../bench/redisCluster.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { createApp } from '../../../src/http/app.js';
import { saveRules } from '../../../src/ruleVersions/store/rulesRepo.js';
import { connectRedis, type RedisConnection } from '../../../src/queue/connections.js';
import { routeTable } from '../../../src/routes.js';
import { rulesSchema } from '../../../src/rules/rules.js';
import { startWorkers, type RunningWorkers } from '../../../workers/index.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { createXMerchant, SECRET } from '../../helpers/merchants.js';
import { waitFor } from '../../helpers/wait.js';
import { deliver } from '../../helpers/webhook.js';

/**
 * The whole X pipeline (webhook → inbox → BullMQ → batched worker → ledger) on a local 3-master Redis
 * Cluster: BullMQ's multi-key scripts only work there because QUEUE_PREFIX is hash-tagged.
 */
const present = redisBinariesPresent();
const SALES = 150;
const REPEATS = 30;

let cluster: RedisCluster;
let fake: FakeLightspeed;
let ctx: TestContext;
let workers: RunningWorkers | undefined;

describe.skipIf(!present)('on a 3-node Redis Cluster', () => {
  beforeAll(async () => {
    cluster = new RedisCluster();
    await cluster.start();
    fake = new FakeLightspeed({ xOutlets: ['outlet-1'] });
    await fake.start();
    ctx = await createTestContext({ REDIS_CLUSTER_NODES: cluster.nodes });
  }, 60_000);
  afterAll(async () => {
    await workers?.close(5_000);
    await ctx?.cleanup();
    await fake?.stop();
    await cluster?.stop();
  });

  it('credits every sale exactly once, duplicates included', async () => {
    await createXMerchant(ctx.pool, { id: 'cl', domainPrefix: 'cl', apiBaseUrl: fake.url });
    await saveRules(ctx.pool, 'cl', rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'test');
    workers = await startWorkers(ctx, { concurrency: 8 });
    const app = createApp(ctx, routeTable(ctx));
    const sales = Array.from({ length: SALES }, (_, i) => xRegisterSale(i + 1, { id: `cl-${i + 1}`, customer: (i + 1) % CUSTOMERS }));
    // The same delivery twice for some sales: Lightspeed retries, and the cluster must not credit twice.
    const deliveries = [...sales, ...sales.slice(0, REPEATS)];
    for (let i = 0; i < deliveries.length; i += 20) {
      await Promise.all(deliveries.slice(i, i + 20).map((sale) => deliver(app, 'cl', sale, { secret: SECRET }).expect(200)));
    }
    const earned = async () =>
      (
        await ctx.pool.query<{ n: number; sales: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT sale_id)::int AS sales FROM ledger_entries WHERE merchant_id = 'cl' AND kind = 'earn'`,
        )
      ).rows[0]!;
    await waitFor(async () => (await earned()).n >= SALES, 45_000, `${SALES} sales credited on the cluster`);
    await waitFor(
      async () =>
        (await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sale_events WHERE merchant_id = 'cl' AND processed_at IS NULL`)).rows[0]!.n === 0,
      15_000,
      'inbox processed',
    );
    expect(await earned()).toEqual({ n: SALES, sales: SALES });
  }, 90_000);

  it('keeps every key of the deployment in one hash slot, on one node', async () => {
    const byNode = await cluster.keysByNode(ctx.config.QUEUE_PREFIX);
    expect([...byNode.values()].flat().length).toBeGreaterThan(0);
    expect(byNode.size).toBe(1);
    const keys = [...byNode.values()][0]!;
    const probe = cluster.client();
    try {
      const slots = new Set(await Promise.all(keys.slice(0, 50).map((key) => probe.cluster('KEYSLOT', key))));
      expect(slots.size).toBe(1);
    } finally {
      probe.disconnect();
    }
  });

  it('fails without the hash tag (what the tag protects against)', async () => {
    const connection: RedisConnection = connectRedis({ REDIS_URL: ctx.config.REDIS_URL, REDIS_CLUSTER_NODES: cluster.nodes }, 'worker');
    const queue = new Queue('sales', { connection, prefix: `untagged-${ctx.schema}` });
    queue.on('error', () => undefined);
    try {
      await expect(queue.add('sale', { n: 1 })).rejects.toThrow(/CROSSSLOT/);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('needs a hash-tagged QUEUE_PREFIX', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', QUEUE_PREFIX: 'loyalty' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001', QUEUE_PREFIX: '{loyalty}' })).not.toThrow();
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1' })).toThrow(/host:port/);
  });
});
