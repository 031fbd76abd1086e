import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testConfig, type Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { createMetrics } from '../../src/metrics.js';
import { createLogger } from '../../src/logger.js';
import type { Role } from '../../src/access/role.js';
import { insertToken } from '../../src/access/tokens.js';
import { connectRedis, deleteKeysWithPrefix, pingRedis } from '../../src/queue/connections.js';
import { createQueues } from '../../src/queue/queues.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestContext extends AppContext {
  schema: string;
  token(role: Role, merchantId?: string | null): Promise<string>;
  cleanup(): Promise<void>;
}

/** A private schema and queue prefix per test file: files run in parallel and leave nothing behind. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await migrate(TEST_DATABASE_URL, schema);
  const config = testConfig({
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `{${schema}}`,
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL as Config['LOG_LEVEL']) ?? 'silent',
    ...overrides,
  });
  const pool = createPool(config.DATABASE_URL, { schema });
  const redis = connectRedis(config, 'producer');
  await pingRedis(redis, 5_000);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const logger = createLogger(config.LOG_LEVEL);
  let n = 0;
  return {
    schema,
    config,
    pool,
    redis,
    queues,
    logger,
    metrics: createMetrics(queues, pool),
    async token(role, merchantId = null) {
      n += 1;
      return (await insertToken(pool, { name: `${role}-${n}`, role, merchantId })).token;
    },
    async cleanup() {
      await queues.close();
      await deleteKeys(config, config.QUEUE_PREFIX);
      redis.disconnect();
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  };
}

export const deleteKeys = deleteKeysWithPrefix;

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

export function fixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(fixturesDir, relative), 'utf8')) as T;
}
