import { testConfig, type Config } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { insertMerchant } from '../src/merchants/store/repo.js';
import { saveRules } from '../src/ruleVersions/store/rulesRepo.js';
import { createRedis, deleteKeysWithPrefix, pingRedis } from '../src/queue/connections.js';
import { createQueues } from '../src/queue/queues.js';
import { rulesSchema } from '../src/rules/rules.js';

/** What the in-process cases (bytes, catalog, merchants) get from bench/run.ts. */
export interface CaseEnv {
  databaseUrl: string;
  redisUrl: string;
  /** The fake Lightspeed's base URL (merchants' apiBaseUrl). */
  fakeUrl: string;
  scale: number;
}

export interface InProcess extends AppContext {
  close(): Promise<void>;
}

/**
 * The service's own code run inside the bench process, on a schema of its own in the scratch database
 * (its tables hold only this case's rows, so sizes and counts are this case's) and a queue prefix of its
 * own. What is measured is the code a worker runs (applySaleBatch, the sweep), without BullMQ's job
 * overhead, which is the same whatever the catalog or the number of merchants.
 */
export async function inProcess(env: Pick<CaseEnv, 'databaseUrl' | 'redisUrl'>, name: string, overrides: Partial<Config> = {}): Promise<InProcess> {
  const schema = `bench_${name}`;
  await migrate(env.databaseUrl, schema);
  const config = testConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: `{bench-${name}-${Date.now().toString(36)}}`,
    ...overrides,
  });
  const pool = createPool(env.databaseUrl, { schema });
  // The scratch database is dropped WITH (FORCE) at the end: a connection it ends must not crash the bench.
  pool.on('error', (err) => console.error(`bench ${name}: idle PostgreSQL connection: ${err.message}`));
  const redis = createRedis(env.redisUrl, 'producer');
  await pingRedis(redis, 5_000);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const ctx: AppContext = { config, pool, redis, queues, logger: createLogger('silent'), metrics: createMetrics(queues, pool) };
  return {
    ...ctx,
    async close() {
      await queues.close();
      await deleteKeysWithPrefix(env.redisUrl, config.QUEUE_PREFIX);
      redis.disconnect();
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  };
}

/** An X merchant on the fake Lightspeed with auto-rewards on (every bench sale earns points). */
export async function benchMerchant(ctx: Pick<AppContext, 'pool'>, id: string, fakeUrl: string): Promise<void> {
  await insertMerchant(ctx.pool, {
    id,
    name: id,
    series: 'x',
    domainPrefix: id,
    timezone: 'America/Montreal',
    webhookSecret: 'bench-webhook-secret',
    apiBaseUrl: fakeUrl,
    credentials: { accessToken: 'bench', refreshToken: 'bench', expiresAt: '2030-01-01T00:00:00Z' },
  });
  await saveRules(ctx.pool, id, rulesSchema.parse({ autoRewards: { startDate: '2026-01-01' } }), 'bench');
}

/**
 * Marks the merchant's Lightspeed reference data as loaded, as after its first sale: the fake's five
 * categories and one customer group, and `products` products `prod-0` … (so no sale asks the fake).
 */
export async function seedCatalog(ctx: Pick<AppContext, 'pool'>, merchantId: string, products: number): Promise<void> {
  await ctx.pool.query(
    `INSERT INTO lightspeed_refs (merchant_id, kind, ref_id, data)
     SELECT $1, 'category', 'cat-' || g, jsonb_build_object('name', 'Category ' || g, 'parentId', null) FROM generate_series(0, 4) g
     UNION ALL SELECT $1, 'segment', 'group-retail', '{"name": "Retail"}'::jsonb
     UNION ALL SELECT $1, 'product', 'prod-' || g,
            jsonb_build_object('categoryId', 'cat-' || (g % 5), 'isGiftCard', false, 'name', 'Product ' || g, 'codes', jsonb_build_array('SKU-' || g))
       FROM generate_series(0, $2 - 1) g`,
    [merchantId, products],
  );
  await ctx.pool.query(`INSERT INTO lightspeed_ref_loads (merchant_id, kind, loaded_at) VALUES ($1, 'category', now()), ($1, 'segment', now())`, [merchantId]);
}
