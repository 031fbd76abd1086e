import type { RedisConnection } from '../queue/connections.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors.js';

/**
 * Failed sign-ins and unknown tokens, counted per key (an address, an account) in Redis so the count holds
 * across processes (rate-limiter-flexible). After `failures` failures in `windowSeconds` the key is blocked for a
 * window: every attempt then gets 429 with Retry-After, right or wrong. If Redis is away, counting goes on
 * in this process's memory rather than failing open or shut.
 */
export class AuthThrottle {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisConnection,
    prefix: string,
    private readonly failures: number,
    windowSeconds = 60,
  ) {
    const options = { points: failures, duration: windowSeconds, blockDuration: windowSeconds };
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      keyPrefix: `${prefix}:authfail`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** 429 when `key` is blocked now. */
  async assertAllowed(key: string): Promise<void> {
    const state = await this.limiter.get(key).catch(() => null);
    if (state && state.consumedPoints >= this.failures) throw tooMany(state.msBeforeNext);
  }

  /** Counts one failure of `key`. */
  async failed(key: string): Promise<void> {
    await this.limiter.consume(key).catch((rejection: unknown) => {
      if (!(rejection instanceof RateLimiterRes)) return; // the store failed: nothing to count with
    });
  }

  async succeeded(key: string): Promise<void> {
    await this.limiter.delete(key).catch(() => undefined);
  }
}

export function tooMany(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(429, 'TOO_MANY_ATTEMPTS', `too many failed attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** The service's throttle, from its settings. */
export const authThrottleFor = (deps: { redis: RedisConnection; config: { QUEUE_PREFIX: string; AUTH_FAILURES_PER_MINUTE: number } }) =>
  new AuthThrottle(deps.redis, deps.config.QUEUE_PREFIX, deps.config.AUTH_FAILURES_PER_MINUTE);
