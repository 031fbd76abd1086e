import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A single Redis or a Redis Cluster: BullMQ and every caller here take either. */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: `REDIS_CLUSTER_NODES` (host:port list) selects a cluster; its user, password and TLS come from `REDIS_URL`. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: string | undefined;
}

/** `host:port,host:port` → seed nodes (the client learns the rest of the cluster from them). */
export function parseClusterNodes(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      const port = Number(entry.slice(at + 1));
      if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not host:port: ${entry}`);
      return { host: entry.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
    });
}

/** The host(s) to name in an error message (never the password). */
export function redisHosts(target: RedisTarget): string {
  return target.REDIS_CLUSTER_NODES ? `cluster ${target.REDIS_CLUSTER_NODES}` : new URL(target.REDIS_URL).host;
}

const kindOptions = (kind: 'producer' | 'worker'): RedisOptions =>
  kind === 'producer' ? { maxRetriesPerRequest: 1, connectTimeout: 2_000 } : { maxRetriesPerRequest: null, enableReadyCheck: true };

/**
 * A connection to the deployment's Redis, single or cluster. On a cluster every key of a deployment
 * must share one hash slot: QUEUE_PREFIX is hash-tagged (`{loyalty}`), and every key here is built on it.
 */
export function connectRedis(target: RedisTarget, kind: 'producer' | 'worker', onError: (error: Error) => void = () => undefined): RedisConnection {
  if (!target.REDIS_CLUSTER_NODES) return createRedis(target.REDIS_URL, kind, {}, onError);
  const url = new URL(target.REDIS_URL);
  const redisOptions: RedisOptions = {
    ...kindOptions(kind),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const options: ClusterOptions = { redisOptions, enableOfflineQueue: kind !== 'producer', enableReadyCheck: true };
  const cluster = new Cluster(parseClusterNodes(target.REDIS_CLUSTER_NODES), options);
  cluster.on('error', onError);
  return cluster;
}

/**
 * Producer and probe connections fail fast while Redis is away (no offline queue), so a webhook
 * can still answer after its inbox row committed. Worker connections wait forever, as BullMQ requires.
 */
export function createRedis(url: string, kind: 'producer' | 'worker', extra: RedisOptions = {}, onError: (error: Error) => void = () => undefined): Redis {
  const options: RedisOptions = { ...(kind === 'producer' ? { enableOfflineQueue: false } : {}), ...kindOptions(kind), ...extra };
  const redis = new Redis(url, { lazyConnect: false, ...options });
  // Connection errors are reported by readiness, by the calls that fail and (throttled) by `onError`; an
  // unhandled 'error' event would print raw lines, or crash.
  redis.on('error', onError);
  return redis;
}

/** Waits until Redis answers or `timeoutMs` passes (a fresh connection is given time to connect). */
export async function pingRedis(redis: RedisConnection, timeoutMs = 1_000): Promise<void> {
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

/** Removes every key under a prefix (tests and benchmarks clean up after themselves); on a cluster, from every master. */
export async function deleteKeysWithPrefix(target: string | RedisTarget, prefix: string): Promise<void> {
  const redis = connectRedis(typeof target === 'string' ? { REDIS_URL: target } : target, 'worker');
  try {
    if (redis instanceof Cluster) await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        // One DEL per key in a pipeline: on a cluster the keys of one scan may sit in different slots.
        if (keys.length) await keys.reduce((p, key) => p.del(key), node.pipeline()).exec();
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
