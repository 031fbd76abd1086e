/**
 * Values read on hot paths, kept for `ttlMs` and then read again: a change in the store takes effect
 * within `ttlMs`. A miss (null) is kept too, so a flood for an unknown key is not a flood of reads. When
 * `maxEntries` is reached the map is emptied rather than tracked per entry (the next reads refill it).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value of `key` if younger than the TTL and still `usable`, else what `load` reads (then cached). */
  async get(key: string, load: () => Promise<V>, usable: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs && usable(hit.value)) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
