/**
 * `node dist/bench/relayLatency.js`: the inbox relay's own latency, an inbox row's commit → its BullMQ job
 * added (the job's timestamp), at RATE rows/s (default 300) for SECONDS (default 20), the relay in this
 * process, on a scratch schema of BENCH_DATABASE_URL's `ingest_probe` database (created if missing) and a
 * scratch queue prefix on REDIS_URL. Before the relay, the webhook added the job itself right after its commit.
 */
import { randomBytes } from 'node:crypto';
import { testConfig } from '../src/config.js';
import { ensureDatabase, migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { inboxGroupInsert } from '../src/inbox/groupInsert.js';
import { startInboxRelay } from '../src/inbox/relay.js';
import { createLogger } from '../src/logger.js';
import { connectRedis, deleteKeysWithPrefix } from '../src/queue/connections.js';
import { createQueues } from '../src/queue/queues.js';
import { percentile } from './stats.js';

const url = `${process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432'}/ingest_probe`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE = Number(process.env.RATE ?? 300);
const SECONDS = Number(process.env.SECONDS ?? 20);
const schema = `relay_${randomBytes(4).toString('hex')}`;
await ensureDatabase(url);
await migrate(url, schema);
const config = testConfig({ DATABASE_URL: url, REDIS_URL, QUEUE_PREFIX: `{${schema}}`, LOG_LEVEL: 'warn' });
const pool = createPool(url, { schema });
const redis = connectRedis(config, 'producer');
const queues = createQueues(redis, config.QUEUE_PREFIX);
await pool.query(`INSERT INTO merchants (id, name, series, timezone, domain_prefix) VALUES ('m', 'm', 'x', 'UTC', 'm')`);
const relay = startInboxRelay({ pool, queues, logger: createLogger('warn') });
await new Promise((r) => setTimeout(r, 500));
const inbox = inboxGroupInsert(pool);
const committedAt = new Map<number, number>();
const sends: Array<Promise<unknown>> = [];
const started = Date.now();
for (let i = 0; i < RATE * SECONDS; i += 1) {
  const wait = started + (i * 1000) / RATE - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const payloadText = `{"id":"s${i}","pad":"${'x'.repeat(1200)}"}`;
  sends.push(
    inbox.add({ merchantId: 'm', saleId: `s${i}`, version: 1, source: 'webhook', payload: null, payloadText }).then((e) => committedAt.set(e.id, Date.now())),
  );
}
await Promise.all(sends);
await new Promise((r) => setTimeout(r, 2_000));
const jobs = await queues.sales.getJobs(['waiting']);
const ms = jobs
  .map((j) => j.timestamp - (committedAt.get((j.data as { eventId: number }).eventId) ?? NaN))
  .filter(Number.isFinite)
  .sort((a, b) => a - b);
console.log(
  JSON.stringify({
    rate: RATE,
    seconds: SECONDS,
    rows: committedAt.size,
    jobs: jobs.length,
    p50: percentile(ms, 50),
    p90: percentile(ms, 90),
    p99: percentile(ms, 99),
    max: ms.at(-1),
  }),
);
await relay.close();
await queues.close();
await deleteKeysWithPrefix(REDIS_URL, config.QUEUE_PREFIX).catch(() => undefined);
redis.disconnect();
await pool.query(`DROP SCHEMA ${schema} CASCADE`);
await pool.end();
