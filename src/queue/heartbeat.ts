import type { RedisConnection } from './connections.js';

const key = (prefix: string) => `${prefix}:worker-heartbeat`;
export const HEARTBEAT_TTL_MS = 30_000;

/** Workers refresh a short-lived key; readiness of any API process reads it. */
export function startHeartbeat(redis: RedisConnection, prefix: string, everyMs = 10_000): () => void {
  const beat = () => redis.set(key(prefix), String(Date.now()), 'PX', HEARTBEAT_TTL_MS).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export async function lastHeartbeat(redis: RedisConnection, prefix: string): Promise<number | null> {
  const value = await redis.get(key(prefix));
  return value ? Number(value) : null;
}
