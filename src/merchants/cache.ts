import type { Db } from '../db/pool.js';
import { getMerchant } from './repo.js';
import type { Merchant } from './schema.js';

/**
 * Merchants read on hot paths (every webhook, every job), cached for a moment: a change (pause,
 * new secret, new credentials) takes effect within `ttlMs`. Misses are cached too, briefly, so a flood
 * for an unknown merchant id does not become a flood of queries.
 */
export class MerchantCache {
  private readonly entries = new Map<string, { merchant: Merchant | null; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 2_000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(id: string): Promise<Merchant | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.merchant;
    const merchant = await getMerchant(this.db, id);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(id, { merchant, at: Date.now() });
    return merchant;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
