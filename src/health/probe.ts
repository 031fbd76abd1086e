/**
 * The container health check (Dockerfile HEALTHCHECK, docker-compose.yml): an API process is healthy
 * when its own `/readyz` answers 200; a worker or events process (no HTTP port) when PostgreSQL and Redis answer it.
 * Exit code 0 healthy, 1 not.
 */
import pg from 'pg';
import { loadConfig } from '../config.js';
import { connectRedis, pingRedis } from '../queue/connections.js';

async function probe(): Promise<void> {
  const config = loadConfig();
  if (config.ROLE === 'all' || config.ROLE === 'api') {
    const res = await fetch(`http://127.0.0.1:${config.PORT}/readyz`, { signal: AbortSignal.timeout(3_000) });
    if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
    return;
  }
  const client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
  const redis = connectRedis(config, 'producer');
  try {
    await pingRedis(redis, 3_000);
  } finally {
    redis.disconnect();
  }
}

probe().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`unhealthy: ${(error as Error).message}`);
    process.exit(1);
  },
);
