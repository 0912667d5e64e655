import { describe, expect, it } from 'vitest';
import { WriteWindow } from '../src/store/write-window.js';
import { memoryStore } from '../src/store/memory.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { StorageFailed } from '../src/errors.js';
import type { Store } from '../src/store/store.js';
import { rng } from './helpers.js';

/** A memory store whose writes take a few ticks, counting those in flight; write `failAt` fails. */
function slowStore(failAt = Infinity) {
  const inner = memoryStore();
  const stats = { inFlight: 0, most: 0, writes: 0 };
  const store: Store = {
    ...inner,
    async put(entries) {
      const n = ++stats.writes;
      stats.inFlight++;
      stats.most = Math.max(stats.most, stats.inFlight);
      try {
        for (let i = 0; i < 3 + (n % 5); i++) await new Promise((r) => setTimeout(r, 0));
        if (n === failAt) throw new StorageFailed(`write ${n} failed`);
        await inner.put(entries);
      } finally {
        stats.inFlight--;
      }
    },
  };
  return { store, stats, inner };
}

describe('a window of store writes', () => {
  it('keeps at most its limit in flight and writes everything', async () => {
    const { store, stats, inner } = slowStore();
    const w = new WriteWindow(store, 3);
    for (let i = 0; i < 20; i++) await w.put([[`k${i}`, new Uint8Array([i])]]);
    await w.drain();
    expect(stats.most).toBe(3);
    expect(stats.inFlight).toBe(0);
    expect((await inner.keys('k')).length).toBe(20);
  });

  it('reports a failure only once every write in flight has settled', async () => {
    const { store, stats } = slowStore(4);
    const w = new WriteWindow(store, 8);
    for (let i = 0; i < 6; i++) await w.put([[`k${i}`, new Uint8Array(1)]]);
    await expect(w.drain()).rejects.toThrow(/write 4 failed/);
    expect(stats.inFlight).toBe(0);
  });

  it('fails a create with the store\'s error, with no write still in flight', async () => {
    const r = rng(3);
    const pairs = Array.from({ length: 3000 }, () => ({ key: r.bytes(20), value: r.bytes(100) }));
    const { store, stats } = slowStore(5);
    await expect(createCheckpoint(pairs, { store, version: 1, maxChunkBytes: 4096 })).rejects.toThrow(/write 5 failed/);
    expect(stats.inFlight).toBe(0);
    expect(stats.most).toBeGreaterThan(1);
  });
});
