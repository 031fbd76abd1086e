/**
 * Lightspeed's two documented rate limits (see /work/shared/lightspeed.md, "Rate limit"), per retailer:
 * R-Series a leaky bucket (size 90 + 10 per extra register, drip 1/s + 0.5/s per extra register; 429 with
 * `Retry-After` in seconds), X-Series a fixed window (300 × registers + 50 requests per 5 minutes; 429
 * with `Retry-After` as an HTTP date).
 */
export interface Admission {
  ok: boolean;
  headers: Record<string, string>;
}

export class LeakyBucket {
  private level = 0;
  private at = Date.now();

  constructor(
    public size: number,
    public dripPerSec: number,
  ) {}

  admit(cost = 1, now = Date.now()): Admission {
    this.level = Math.max(0, this.level - ((now - this.at) / 1000) * this.dripPerSec);
    this.at = now;
    const common = { 'X-LS-API-Drip-Rate': String(this.dripPerSec) };
    if (this.level + cost > this.size) {
      const wait = Math.ceil((this.level + cost - this.size) / this.dripPerSec);
      return { ok: false, headers: { ...common, 'Retry-After': String(wait), 'X-LS-API-Bucket-Level': `${Math.ceil(this.level)}/${this.size}` } };
    }
    this.level += cost;
    return { ok: true, headers: { ...common, 'X-LS-API-Bucket-Level': `${Math.ceil(this.level)}/${this.size}`, 'X-LS-API-Request-Cost': String(cost) } };
  }

  reset(): void {
    this.level = 0;
    this.at = Date.now();
  }
}

export class FixedWindow {
  private count = 0;
  private windowStart = Date.now();

  constructor(
    public limit: number,
    public windowMs = 5 * 60_000,
  ) {}

  admit(now = Date.now()): Admission {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    const resetAt = new Date(this.windowStart + this.windowMs);
    if (this.count >= this.limit) return { ok: false, headers: { 'Retry-After': resetAt.toUTCString() } };
    this.count += 1;
    return { ok: true, headers: {} };
  }

  reset(): void {
    this.count = 0;
    this.windowStart = Date.now();
  }
}

/** The documented limits for a store with `registers` registers. */
export const rBucketFor = (registers: number) => ({ size: 90 + 10 * (registers - 1), dripPerSec: 1 + 0.5 * (registers - 1) });
export const xWindowFor = (registers: number) => 300 * registers + 50;
