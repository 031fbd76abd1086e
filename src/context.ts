import type { RedisConnection } from './queue/connections.js';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import type { Metrics } from './metrics.js';
import type { Logger } from './logger.js';
import type { Queues } from './queue/queues.js';

/** What every role shares: built once in main.ts (or a test), passed in, never imported. */
export interface AppContext {
  config: Config;
  pool: Pool;
  /** Fail-fast connection for producers and probes. */
  redis: RedisConnection;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
}
