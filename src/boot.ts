import { ensureDatabase, migrate } from './db/migrate.js';
import { pingRedis, redisHosts, type RedisConnection, type RedisTarget } from './queue/connections.js';

/** A dependency that is missing at boot: one clear line, no stack trace. */
export class BootError extends Error {
  override name = 'BootError';
}

const hint = 'Start it with `docker compose up -d` (see README), or set';

export async function preparePostgres(url: string): Promise<void> {
  const where = new URL(url);
  try {
    await ensureDatabase(url);
    await migrate(url);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) {
      throw new BootError(`PostgreSQL is not reachable at ${where.host} (${e.code ?? e.message}). ${hint} DATABASE_URL.`);
    }
    throw new BootError(`PostgreSQL at ${where.host}${where.pathname} refused to start the service: ${e.message}`);
  }
}

export async function checkRedis(redis: RedisConnection, target: RedisTarget): Promise<void> {
  try {
    await pingRedis(redis, 3_000);
  } catch (error) {
    throw new BootError(
      `Redis is not reachable at ${redisHosts(target)} (${(error as Error).message}). ${hint} ${target.REDIS_CLUSTER_NODES ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL'}.`,
    );
  }
}

export interface BootWait {
  /** Further attempts after the first failure; 0 fails at once. */
  retries: number;
  delayMs: number;
  log: (info: { dependency: string; attempt: number; retries: number; delayMs: number; error: string }) => void;
}

/**
 * Runs `step` until it succeeds or `retries` further attempts have failed, `delayMs` apart, logging each
 * wait: a container may start before its database (docker compose starts them in any order).
 */
export async function waitFor<T>(dependency: string, wait: BootWait, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof BootError) || attempt > wait.retries) throw error;
      wait.log({ dependency, attempt, retries: wait.retries, delayMs: wait.delayMs, error: error.message });
      await new Promise((r) => setTimeout(r, wait.delayMs));
    }
  }
}
