import type { RedisConnection } from '../queue/connections.js';

/**
 * Per-account limits shared by every worker process through Redis. Each `acquire` either reserves
 * capacity (returns 0) or says how long to wait (ms), without sleeping.
 */
export interface RateLimiter {
  acquire(cost?: number): Promise<number>;
  /** What the response headers say about the bucket. */
  observe(headers: Record<string, unknown>): Promise<void>;
  /** A 429: nobody calls this account until `untilMs`. */
  block(untilMs: number): Promise<void>;
}

// Leaky bucket: level drains at `drip` per second; a call fits if level + cost ≤ size − headroom.
const leakyAcquire = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local defaultSize = tonumber(ARGV[3])
local defaultDrip = tonumber(ARGV[4])
local headroom = tonumber(ARGV[5])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then return blocked - now end
local state = redis.call('HMGET', key, 'level', 'at', 'size', 'drip')
local size = tonumber(state[3]) or defaultSize
local drip = tonumber(state[4]) or defaultDrip
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
level = math.max(0, level - (now - at) / 1000 * drip)
if level + cost > size - headroom then
  return math.ceil((level + cost - (size - headroom)) / drip * 1000)
end
redis.call('HSET', key, 'level', level + cost, 'at', now, 'size', size, 'drip', drip)
redis.call('PEXPIRE', key, 3600000)
return 0
`;

// The server's level is the truth; never lower ours below it (other calls may still be in flight).
const leakyObserve = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local reported = tonumber(ARGV[2])
local size = tonumber(ARGV[3])
local drip = tonumber(ARGV[4])
local state = redis.call('HMGET', key, 'level', 'at', 'drip')
local ourDrip = tonumber(state[3]) or drip
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
level = math.max(0, level - (now - at) / 1000 * ourDrip)
redis.call('HSET', key, 'level', math.max(level, reported), 'at', now, 'size', size, 'drip', drip)
redis.call('PEXPIRE', key, 3600000)
return 0
`;

// Fixed window: `limit` calls per window; over it, wait for the next window.
const windowAcquire = `
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
local now = tonumber(ARGV[1])
if blocked > now then return blocked - now end
local windowMs = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local start = now - (now % windowMs)
local key = KEYS[1] .. ':' .. start
local used = tonumber(redis.call('GET', key) or '0')
if used + cost > limit then return start + windowMs - now end
redis.call('INCRBY', key, cost)
redis.call('PEXPIRE', key, windowMs * 2)
return 0
`;

const header = (headers: Record<string, unknown>, name: string): string | undefined => {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined;
};

/** R-Series: bucket 90 (+10 per extra register), drip 1/s (+0.5 per extra register), corrected by headers. */
export function rSeriesLimiter(redis: RedisConnection, prefix: string, accountId: string, registers = 1, headroom = 2): RateLimiter {
  const key = `${prefix}:ratelimit:r:${accountId}`;
  const blockKey = `${key}:blocked`;
  const size = 90 + 10 * (registers - 1);
  const drip = 1 + 0.5 * (registers - 1);
  return {
    async acquire(cost = 1) {
      return Number(await redis.eval(leakyAcquire, 2, key, blockKey, Date.now(), cost, size, drip, headroom));
    },
    async observe(headers) {
      const level = header(headers, 'x-ls-api-bucket-level');
      if (!level) return;
      const [used, max] = level.split('/').map(Number);
      const dripRate = Number(header(headers, 'x-ls-api-drip-rate') ?? drip);
      if (!Number.isFinite(used) || !Number.isFinite(max)) return;
      await redis.eval(leakyObserve, 1, key, Date.now(), used!, max!, Number.isFinite(dripRate) && dripRate > 0 ? dripRate : drip);
    },
    async block(untilMs) {
      await redis.set(blockKey, String(untilMs), 'PX', Math.max(1, untilMs - Date.now()));
    },
  };
}

/** X-Series: 300 × registers + 50 requests per 5-minute window, per retailer and app. */
export function xSeriesLimiter(redis: RedisConnection, prefix: string, merchantId: string, registers = 1): RateLimiter {
  const key = `${prefix}:ratelimit:x:${merchantId}`;
  const blockKey = `${key}:blocked`;
  const limit = 300 * registers + 50;
  return {
    async acquire(cost = 1) {
      return Number(await redis.eval(windowAcquire, 2, key, blockKey, Date.now(), 5 * 60_000, limit, cost));
    },
    async observe() {},
    async block(untilMs) {
      await redis.set(blockKey, String(untilMs), 'PX', Math.max(1, untilMs - Date.now()));
    },
  };
}
