import type { Db } from '../../db/pool.js';
import { TtlCache } from '../../ttlCache.js';
import { getMerchant } from './repo.js';
import type { Merchant } from './schema.js';

/**
 * Merchants read on hot paths (every webhook, every job), cached for a moment: a change (pause,
 * new secret, new credentials) takes effect within `ttlMs`. Misses are cached too, briefly, so a flood
 * for an unknown merchant id does not become a flood of queries.
 */
export class MerchantCache {
  private readonly entries: TtlCache<Merchant | null>;

  constructor(
    private readonly db: Db,
    ttlMs = 2_000,
    maxEntries = 10_000,
  ) {
    this.entries = new TtlCache(ttlMs, maxEntries);
  }

  get(id: string): Promise<Merchant | null> {
    return this.entries.get(id, () => getMerchant(this.db, id));
  }

  forget(id: string): void {
    this.entries.forget(id);
  }
}
