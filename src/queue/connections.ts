import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producer and probe connections fail fast while Redis is away (no offline queue), so a webhook
 * can still answer after its inbox row committed. Worker connections wait forever, as BullMQ requires.
 */
export function createRedis(url: string, kind: 'producer' | 'worker', extra: RedisOptions = {}, onError: (error: Error) => void = () => undefined): Redis {
  const options: RedisOptions =
    kind === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, ...extra }
      : { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra };
  const redis = new Redis(url, { lazyConnect: false, ...options });
  // Connection errors are reported by readiness, by the calls that fail and (throttled) by `onError`; an
  // unhandled 'error' event would print raw lines, or crash.
  redis.on('error', onError);
  return redis;
}

/** Waits until Redis answers or `timeoutMs` passes (a fresh connection is given time to connect). */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready =
    redis.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          redis.once('ready', () => resolve());
        });
  try {
    await Promise.race([
      ready.then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Removes every key under a prefix (tests and benchmarks clean up after themselves). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url, 'worker');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
