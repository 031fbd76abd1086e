import { LRUCache } from 'lru-cache';

/**
 * Values read on hot paths, kept for `ttlMs` and then read again: a change in the store takes effect
 * within `ttlMs`. A miss (null) is kept too, so a flood for an unknown key is not a flood of reads, and
 * callers missing the same key at once share one read. At most `maxEntries` keys are kept, the least
 * recently used leaving first (lru-cache), so memory stays bounded however many merchants there are.
 */
export class TtlCache<V> {
  private readonly entries: LRUCache<string, { value: V; at: number }>;
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The cached value of `key` if younger than the TTL and still `usable`, else what `load` reads (then cached). */
  async get(key: string, load: () => Promise<V>, usable: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs && usable(hit.value)) return hit.value;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          this.entries.set(key, { value, at: Date.now() });
          return value;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
