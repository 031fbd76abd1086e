import { randomUUID } from 'node:crypto';
import axios from 'axios';
import type { RedisConnection } from '../queue/connections.js';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db } from '../db/pool.js';
import { getMerchant, markNeedsReauth, saveRefreshedTokens } from '../merchants/store/repo.js';
import { DOMAIN_PREFIX, type Merchant } from '../merchants/store/schema.js';
import { LightspeedUnavailableError, RateLimitedError, ReauthRequiredError, retryAfterMs } from './errors.js';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  /** R-Series: seconds to live. */
  expires_in: z.coerce.number().optional(),
  /** X-Series: expiry as a unix timestamp. */
  expires: z.coerce.number().optional(),
});

const LOCK_TTL_MS = 30_000;
const REFRESH_MARGIN_MS = 60_000;
const releaseLock = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Where a refresh token (and the app's client secret) is sent. Never derived from `apiBaseUrl` or any other
 * value an admin can type: X-Series from the configured URL or the store's validated domain prefix on
 * Lightspeed's own host, R-Series from the configured URL only.
 */
export function tokenUrl(merchant: Merchant, config: Config): string {
  if (merchant.series === 'x') {
    if (config.X_OAUTH_TOKEN_URL) return config.X_OAUTH_TOKEN_URL;
    if (!merchant.domainPrefix || !DOMAIN_PREFIX.test(merchant.domainPrefix))
      throw new ReauthRequiredError(`merchant ${merchant.id} has no valid domain prefix for its token endpoint`);
    return `https://${merchant.domainPrefix}.retail.lightspeed.app/api/1.0/token`;
  }
  return config.R_OAUTH_TOKEN_URL;
}

export const tokenIsFresh = (m: Merchant, now = Date.now()) =>
  m.accessToken !== null && (m.tokenExpiresAt === null || m.tokenExpiresAt.getTime() - now > REFRESH_MARGIN_MS);

/**
 * Refreshes a merchant's access token once across all processes: a Redis lock per merchant; whoever
 * waits re-reads the merchant and uses what the holder stored. The rotated refresh token is written to
 * Postgres before the new access token is used, so a crash cannot lose it.
 */
export async function refreshAccessToken(
  deps: { db: Db; redis: RedisConnection; config: Config; prefix: string },
  merchantId: string,
  staleToken: string | null,
): Promise<Merchant> {
  const lockKey = `${deps.prefix}:lock:token-refresh:${merchantId}`;
  const owner = randomUUID();
  const deadline = Date.now() + LOCK_TTL_MS;
  for (;;) {
    const current = await getMerchant(deps.db, merchantId);
    if (!current) throw new ReauthRequiredError(`merchant ${merchantId} no longer exists`);
    if (current.needsReauth)
      throw new ReauthRequiredError(`merchant ${merchantId} must re-authorize the app: ${current.needsReauthReason ?? 'refresh failed'}`);
    // Someone else refreshed while we waited.
    if (current.accessToken !== staleToken && tokenIsFresh(current)) return current;
    if ((await deps.redis.set(lockKey, owner, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') {
      try {
        return await doRefresh(deps, current);
      } finally {
        await deps.redis.eval(releaseLock, 1, lockKey, owner);
      }
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the token refresh of ${merchantId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function doRefresh(deps: { db: Db; config: Config }, merchant: Merchant): Promise<Merchant> {
  // Re-read under the lock: the previous holder may have just finished.
  const fresh = (await getMerchant(deps.db, merchant.id))!;
  if (fresh.accessToken !== merchant.accessToken && tokenIsFresh(fresh)) return fresh;
  if (!fresh.refreshToken) return markReauth(deps.db, fresh.id, 'no refresh token stored');
  let data: z.infer<typeof tokenResponseSchema>;
  try {
    const res = await axios.post(
      tokenUrl(fresh, deps.config),
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: fresh.refreshToken,
        ...(deps.config.LIGHTSPEED_CLIENT_ID ? { client_id: deps.config.LIGHTSPEED_CLIENT_ID } : {}),
        ...(deps.config.LIGHTSPEED_CLIENT_SECRET ? { client_secret: deps.config.LIGHTSPEED_CLIENT_SECRET } : {}),
      }).toString(),
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeout: 10_000 },
    );
    data = tokenResponseSchema.parse(res.data);
  } catch (error) {
    const status = axios.isAxiosError(error) ? error.response?.status : undefined;
    // A rate limit or a timeout says "later", not "this token is refused": flagging re-authorization on
    // those would stop a store for good over a passing outage (found by `npm run chaos`, drill lightspeed).
    if (status === 429 || status === 408) {
      const header = axios.isAxiosError(error) ? (error.response?.headers['retry-after'] as string | undefined) : undefined;
      throw new RateLimitedError(retryAfterMs(header), `token endpoint answered ${status}`);
    }
    if (status !== undefined && status >= 400 && status < 500) {
      // A process that held the lock before us may have stored the rotated token after its lock expired
      // (paused past LOCK_TTL_MS on a loaded machine): then the refusal is of a token already replaced.
      const now = (await getMerchant(deps.db, fresh.id))!;
      if (now.refreshToken !== fresh.refreshToken && !now.needsReauth) return now;
      return markReauth(deps.db, fresh.id, `token refresh refused with ${status}`);
    }
    // The endpoint's path names what failed in the logs (never its query or body: they hold secrets).
    const where = new URL(tokenUrl(fresh, deps.config)).pathname;
    if (axios.isAxiosError(error)) throw new LightspeedUnavailableError(`token refresh (POST ${where}): ${status ? `answered ${status}` : error.message}`);
    throw error;
  }
  const expiresAt =
    data.expires_in !== undefined ? new Date(Date.now() + data.expires_in * 1000) : data.expires !== undefined ? new Date(data.expires * 1000) : null;
  await saveRefreshedTokens(deps.db, fresh.id, { accessToken: data.access_token, refreshToken: data.refresh_token, expiresAt });
  return (await getMerchant(deps.db, fresh.id))!;
}

async function markReauth(db: Db, merchantId: string, reason: string): Promise<never> {
  await markNeedsReauth(db, merchantId, reason);
  throw new ReauthRequiredError(`merchant ${merchantId} must re-authorize the app: ${reason}`);
}
