/** The account's rate limit says wait: the job goes back to BullMQ delayed, it does not sleep holding a slot. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    readonly waitMs: number,
    reason: string,
  ) {
    super(`Lightspeed rate limit: wait ${waitMs} ms (${reason})`);
  }
}

/** Refreshing the token failed; the merchant must authorize the app again. Retrying will not help. */
export class ReauthRequiredError extends Error {
  override name = 'ReauthRequiredError';
}

/** A 4xx other than 401/429: the request itself is wrong, retrying will not help. */
export class LightspeedRequestError extends Error {
  override name = 'LightspeedRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Timeouts, network errors and 5xx that outlasted our retries: transient, BullMQ retries the job later. */
export class LightspeedUnavailableError extends Error {
  override name = 'LightspeedUnavailableError';
}

/** `Retry-After` is seconds (R-Series) or an HTTP date (X-Series); accept both on both series. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  if (!header) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 1_000;
}
