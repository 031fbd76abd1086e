import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/batcher.js';

/** A write that stays in flight until released, recording the batches it was given. */
function gatedWrite() {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return items.map((n) => (n < 0 ? new Error(`refused ${n}`) : n * 10));
  };
  return { batches, write, release: () => release() };
}

describe('Batcher (group commit)', () => {
  it('writes an item alone at once, and groups what arrives while a write is in flight', async () => {
    const g = gatedWrite();
    const batcher = new Batcher(g.write, 3);
    const first = batcher.add(1);
    expect(g.batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((n) => batcher.add(n));
    g.release();
    await expect(first).resolves.toBe(10);
    await new Promise((r) => setImmediate(r));
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
    g.release();
    await new Promise((r) => setImmediate(r));
    expect(g.batches).toEqual([[1], [2, 3, 4], [5]]);
    g.release();
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40, 50]);
  });

  it('an Error result fails that item alone; a thrown error fails its whole batch, and the next batch still runs', async () => {
    const g = gatedWrite();
    const batcher = new Batcher(g.write);
    const ok = batcher.add(1);
    const bad = batcher.add(-1);
    g.release();
    await expect(ok).resolves.toBe(10);
    await new Promise((r) => setImmediate(r));
    g.release();
    await expect(bad).rejects.toThrow('refused -1');

    let calls = 0;
    const flaky = new Batcher<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
      return items;
    });
    await expect(flaky.add(1)).rejects.toThrow('database down');
    await expect(flaky.add(2)).resolves.toBe(2);
  });
});
