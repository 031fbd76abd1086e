import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from '../../src/ttlCache.js';

describe('TtlCache', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('reads once within the TTL, again after it, and keeps misses too', async () => {
    const cache = new TtlCache<string | null>(1_000);
    const load = vi.fn(async () => null as string | null);
    expect(await cache.get('a', load)).toBeNull();
    vi.setSystemTime(999);
    expect(await cache.get('a', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(1_000);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reads again a value that is no longer usable, and after forget', async () => {
    const cache = new TtlCache<{ timezone: string }>(1_000);
    let zone = 'America/Montreal';
    const load = vi.fn(async () => ({ timezone: zone }));
    await cache.get('m', load, (v) => v.timezone === zone);
    zone = 'Europe/Paris';
    expect(await cache.get('m', load, (v) => v.timezone === zone)).toEqual({ timezone: 'Europe/Paris' });
    cache.forget('m');
    await cache.get('m', load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('stays within maxEntries rather than growing (least recently used out first)', async () => {
    const cache = new TtlCache<number>(1_000, 2);
    const load = vi.fn(async () => 1);
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('c', load); // full: a, the least recently used, leaves
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(4);
    await cache.get('c', load);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
