import axios, { type AxiosInstance } from 'axios';
import type { RedisConnection } from '../queue/connections.js';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Db } from '../db/pool.js';
import { apiBaseAllowed, type Merchant } from '../merchants/store/schema.js';
import { LightspeedRequestError, LightspeedUnavailableError, RateLimitedError, ReauthRequiredError, retryAfterMs } from './errors.js';
import { rSeriesLimiter, xSeriesLimiter, type RateLimiter } from './rateLimit.js';
import { refreshAccessToken, tokenIsFresh } from './tokens.js';

export interface ClientDeps {
  db: Db;
  redis: RedisConnection;
  config: Config;
  /** Called once per HTTP request sent, for metrics and the API-discipline benchmark. */
  onCall?: (series: 'x' | 'r', status: number | 'error') => void;
  /** Retries of timeouts and 5xx inside one call before the job itself is retried. */
  retries?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function apiBase(merchant: Merchant, config?: Pick<Config, 'NODE_ENV' | 'LIGHTSPEED_API_BASE_ALLOWLIST'>): string {
  // A row written before the allow-list existed (or edited by hand) still never sends a token elsewhere.
  if (merchant.apiBaseUrl && config && !apiBaseAllowed(merchant.apiBaseUrl, config)) {
    throw new LightspeedRequestError(400, `merchant ${merchant.id}: apiBaseUrl is not in LIGHTSPEED_API_BASE_ALLOWLIST`);
  }
  if (merchant.series === 'x') return merchant.apiBaseUrl ?? `https://${merchant.domainPrefix}.retail.lightspeed.app`;
  return `${merchant.apiBaseUrl ?? 'https://api.lightspeedapp.com'}/API/V3/Account/${merchant.accountId}`;
}

/**
 * One merchant's Lightspeed API: rate-limited across processes, refreshing its token before expiry and
 * on 401, retrying timeouts and 5xx with backoff and jitter. A wait the limit imposes is thrown as
 * RateLimitedError for the worker to hand the job back delayed.
 */
export class LightspeedClient {
  private readonly http: AxiosInstance;
  private readonly limiter: RateLimiter;
  /** How long, in all, this client may sleep for the account's rate limit before it throws RateLimitedError. */
  private rateWaitLeftMs = 0;

  constructor(
    private merchant: Merchant,
    private readonly deps: ClientDeps,
  ) {
    this.http = axios.create({ baseURL: apiBase(merchant, deps.config), timeout: deps.timeoutMs ?? 15_000, validateStatus: () => true });
    this.limiter =
      merchant.series === 'r'
        ? rSeriesLimiter(deps.redis, deps.config.QUEUE_PREFIX, merchant.accountId!, merchant.registers)
        : xSeriesLimiter(deps.redis, deps.config.QUEUE_PREFIX, merchant.id, merchant.registers);
  }

  /**
   * Lets this client wait out the rate limit (bucket full, or a 429's Retry-After), up to `budgetMs` in
   * all, instead of throwing at once. A poll run uses it: ended at the first full bucket, a run that
   * restarts at its cursor minus the overlap re-reads the same pages and a busy store never gets past
   * them. A wait beyond what is left still throws RateLimitedError.
   */
  waitForRateLimit(budgetMs: number): this {
    this.rateWaitLeftMs = Math.max(0, budgetMs);
    return this;
  }

  private async waited(waitMs: number): Promise<boolean> {
    if (waitMs > this.rateWaitLeftMs) return false;
    this.rateWaitLeftMs -= waitMs;
    await sleep(waitMs);
    return true;
  }

  /** `options.retries`: how often a timeout or 5xx is retried (default the client's); 0 for a best-effort read. */
  async get<S extends z.ZodType>(path: string, schema: S, params?: Record<string, string | number>, options: { retries?: number } = {}): Promise<z.infer<S>> {
    const data = await this.request(path, params, false, options.retries);
    const parsed = schema.safeParse(data);
    if (!parsed.success)
      throw new LightspeedRequestError(200, `unexpected response from ${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  private async request(path: string, params?: Record<string, string | number>, refreshed = false, retryLimit?: number): Promise<unknown> {
    if (this.merchant.needsReauth)
      throw new ReauthRequiredError(`merchant ${this.merchant.id} must re-authorize the app: ${this.merchant.needsReauthReason ?? 'refresh failed'}`);
    if (!tokenIsFresh(this.merchant)) await this.refresh();
    const retries = retryLimit ?? this.deps.retries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      const wait = await this.limiter.acquire(1);
      if (wait > 0) {
        if (await this.waited(wait)) {
          attempt -= 1;
          continue;
        }
        throw new RateLimitedError(wait, 'bucket full');
      }
      let status: number | 'error' = 'error';
      try {
        const res = await this.http.get(path, { params, headers: { Authorization: `Bearer ${this.merchant.accessToken}`, Accept: 'application/json' } });
        status = res.status;
        await this.limiter.observe(res.headers as Record<string, unknown>);
        if (res.status === 401 && !refreshed) {
          await this.refresh();
          return this.request(path, params, true, retryLimit);
        }
        if (res.status === 429) {
          const waitMs = retryAfterMs(res.headers['retry-after'] as string | undefined);
          await this.limiter.block(Date.now() + waitMs);
          if (await this.waited(waitMs)) return this.request(path, params, refreshed, retryLimit);
          throw new RateLimitedError(waitMs, '429 from Lightspeed');
        }
        if (res.status >= 500) throw new LightspeedUnavailableError(`Lightspeed answered ${res.status} for ${path}`);
        if (res.status >= 400) throw new LightspeedRequestError(res.status, `Lightspeed answered ${res.status} for ${path}`);
        return res.data;
      } catch (error) {
        const transient = error instanceof LightspeedUnavailableError || (axios.isAxiosError(error) && !error.response);
        if (!transient) throw error;
        if (attempt >= retries)
          throw error instanceof LightspeedUnavailableError ? error : new LightspeedUnavailableError(`${path}: ${(error as Error).message}`);
        const base = (this.deps.baseDelayMs ?? 200) * 2 ** attempt;
        await sleep(base / 2 + Math.random() * base);
      } finally {
        this.deps.onCall?.(this.merchant.series, status);
      }
    }
  }

  private async refresh(): Promise<void> {
    this.merchant = await refreshAccessToken(
      { db: this.deps.db, redis: this.deps.redis, config: this.deps.config, prefix: this.deps.config.QUEUE_PREFIX },
      this.merchant.id,
      this.merchant.accessToken,
    );
  }
}
