import type { RedisConnection } from '../queue/connections.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors.js';

/**
 * Failed sign-ins and unknown tokens, counted per key (an address, an account) in Redis so the count holds
 * across processes (rate-limiter-flexible). Each attempt takes a point **before** its credential is
 * checked (`attempt`: one atomic increment in Redis), so a burst of concurrent guesses cannot all pass a
 * check that sees none of the others: at most `failures` credentials are checked per key and window. A
 * right credential gives its point back (`succeeded`), so only failures stay counted; once `failures` are
 * counted, every attempt gets 429 with Retry-After, right or wrong, until the window (started by the first
 * of them) ends. If Redis is away, counting goes on in this process's memory rather than failing open or shut.
 */
export class AuthThrottle {
  private readonly limiter: RateLimiterRedis;

  /**
   * `blockSeconds`: how long a key that went over stays refused. 0 (the default) refuses only until the
   * window ends: then a burst of right credentials over the limit, which the count sees while in flight,
   * blocks nobody for long.
   */
  constructor(redis: RedisConnection, prefix: string, failures: number, windowSeconds = 60, blockSeconds = 0) {
    const options = { points: failures, duration: windowSeconds, blockDuration: blockSeconds };
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      keyPrefix: `${prefix}:authfail`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** Takes one attempt for `key`, before the credential is checked; 429 when the key has none left. */
  async attempt(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection.msBeforeNext);
      // The store failed (and its in-memory insurance too): nothing to count with, so nothing to refuse.
    }
  }

  /** The credential was right: its attempt is given back (the failures before it stay counted). */
  async succeeded(key: string): Promise<void> {
    await this.limiter.reward(key, 1).catch(() => undefined);
  }

  /** Forgets the key's failures ("wrong passwords in a row" start again after a right one). */
  async reset(key: string): Promise<void> {
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
