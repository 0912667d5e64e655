import { describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { sortPairs } from '../src/checkpoint/external-sort.js';
import { sweepStaleSorts } from '../src/checkpoint/sort-space.js';
import { InvalidArgument } from '../src/errors.js';
import type { Pair } from '../src/tree/pairs.js';
import type { Store } from '../src/store/store.js';
import type { LeafBatch } from '../src/checkpoint/writer.js';
import { hex, rng } from './helpers.js';
import { refCompare, refRoot, refSha256 } from './jmt-reference.js';

const enc = new TextEncoder();

/** Pairs with repeated keys (later wins) and deletes, some deleting keys of earlier runs. */
function churn(seed: number, n: number, keys: number): Pair[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const key = enc.encode(`k${r.int(keys)}`);
    return { key, value: r.int(5) === 0 ? null : r.bytes(r.int(60)) };
  });
}

/** The surviving state by the rules, from a plain map: the oracle. */
function finalState(pairs: Pair[]): Array<{ key: string; value: string }> {
  const m = new Map<string, Pair>();
  for (const p of pairs) m.set(hex(p.key), p);
  return [...m.values()].filter((p) => p.value)
    .map((p) => ({ kh: refSha256(p.key), key: hex(p.key), value: hex(p.value!) }))
    .sort((a, b) => refCompare(a.kh, b.kh)).map(({ key, value }) => ({ key, value }));
}

/** The leaves of a packed batch, as views. */
function leavesOf(b: LeafBatch) {
  return Array.from({ length: b.count }, (_, i) => ({
    keyHash: b.hashes.subarray(64 * i, 64 * i + 32), valueHash: b.hashes.subarray(64 * i + 32, 64 * i + 64),
    key: b.data.subarray(b.keyAt[i], b.keyAt[i] + b.keyLength[i]),
    value: b.data.subarray(b.keyAt[i] + b.keyLength[i], b.keyAt[i] + b.keyLength[i] + b.valueLength[i]),
  }));
}

async function* slowly(pairs: Pair[]): AsyncGenerator<Pair> {
  for (const p of pairs) yield p;
}

describe('the external merge sort of pairs', () => {
  it('gives the map oracle\'s state in key-hash order, whatever the run size, and cleans up', async () => {
    for (const [seed, runBytes, pieceBytes] of [[1, 1 << 30, 1 << 20], [2, 2000, 1 << 20], [3, 300, 50], [4, 97, 7]]) {
      const pairs = churn(seed, 600, 200);
      const store = memoryStore();
      const got: Array<{ key: string; value: string }> = [];
      for await (const batch of sortPairs(slowly(pairs), { store, runBytes, pieceBytes })) {
        for (const l of leavesOf(batch)) {
          expect(hex(l.keyHash)).toBe(hex(refSha256(l.key)));
          expect(hex(l.valueHash)).toBe(hex(refSha256(l.value)));
          got.push({ key: hex(l.key), value: hex(l.value) });
        }
      }
      expect(got, `run bytes ${runBytes}, piece bytes ${pieceBytes}`).toEqual(finalState(pairs));
      expect(await store.keys('')).toEqual([]);
    }
  });

  it('spills runs to the store while sorting (memory holds one run)', async () => {
    const inner = memoryStore();
    let most = 0;
    const watching: Store = { ...inner, put: async (entries) => {
      await inner.put(entries);
      most = Math.max(most, (await inner.keys('tmp/')).length);
    } };
    const pairs = churn(5, 3000, 2500);
    let n = 0;
    for await (const batch of sortPairs(pairs, { store: watching, runBytes: 4096 })) n += batch.count;
    expect(n).toBe(finalState(pairs).length);
    expect(most).toBeGreaterThan(5);
    expect(await inner.keys('tmp/')).toEqual([]);
  });

  it('makes the same checkpoint as sorting in one run, with the reference root', async () => {
    const pairs = churn(6, 2000, 700);
    const one = await createCheckpoint(pairs, { store: memoryStore(), version: 1, maxChunkBytes: 2048 });
    const many = await createCheckpoint(slowly(pairs), { store: memoryStore(), version: 1, maxChunkBytes: 2048, sortRunBytes: 512 });
    expect(hex(many.manifestBytes)).toBe(hex(one.manifestBytes));
    expect(many.manifest.root).toBe(hex(refRoot(pairs)));
  });

  it('names the pair of a bad key, and removes its runs', async () => {
    const pairs = churn(7, 500, 300);
    pairs[321] = { key: new Uint8Array(0), value: enc.encode('v') };
    const store = memoryStore();
    await expect(createCheckpoint(pairs, { store, version: 1, sortRunBytes: 300 })).rejects.toThrow(/pair 321/);
    await expect(createCheckpoint([{ key: 'x' as unknown as Uint8Array, value: null }], { store, version: 1 })).rejects.toThrow(InvalidArgument);
    expect(await store.keys('tmp/')).toEqual([]);
  });

  it('sweeps the runs of crashed creates (no lease, or a stale one), never those of a live one', async () => {
    const store = memoryStore();
    const piece = new Uint8Array(100);
    const lease = (ms: number) => enc.encode(String(ms));
    await store.put([
      ['tmp/sort-old/0/0', piece], ['tmp/sort-old/1/0', piece], // an older version's runs: no lease
      ['tmp/sort-stale/lease', lease(Date.now() - 10 * 60_000)], ['tmp/sort-stale/0/0', piece],
      ['tmp/sort-live/lease', lease(Date.now())], ['tmp/sort-live/0/0', piece],
    ]);
    const pairs = churn(9, 300, 200);
    const created = await createCheckpoint(pairs, { store, version: 1 }); // one run: no spill of its own
    expect(created.manifest.root).toBe(hex(refRoot(pairs)));
    expect((await store.keys('tmp/')).sort()).toEqual(['tmp/sort-live/0/0', 'tmp/sort-live/lease']);
  });

  it('renews its lease while the merge waits on a slow consumer, so a later sweep keeps its runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const store = memoryStore();
      const pairs = churn(12, 1000, 800);
      const sorted = sortPairs(pairs, { store, runBytes: 2048 });
      let n = (await sorted.next()).value!.count;
      const runs = (await store.keys('tmp/')).filter((k) => !k.endsWith('/lease'));
      expect(runs.length).toBeGreaterThan(5);
      for (let minute = 0; minute < 5; minute++) {
        await vi.advanceTimersByTimeAsync(60_000);
        await sweepStaleSorts(store);
      }
      expect((await store.keys('tmp/')).filter((k) => !k.endsWith('/lease'))).toEqual(runs);
      for await (const batch of sorted) n += batch.count;
      expect(n).toBe(finalState(pairs).length);
      expect(await store.keys('tmp/')).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs two creates into one store at once, each with its own runs', async () => {
    const store = memoryStore();
    const a = churn(10, 2000, 1200);
    const b = churn(11, 2000, 1200);
    const [x, y] = await Promise.all([
      createCheckpoint(slowly(a), { store, version: 1, sortRunBytes: 1024, maxChunkBytes: 4096 }),
      createCheckpoint(slowly(b), { store, version: 2, sortRunBytes: 1024, maxChunkBytes: 4096 }),
    ]);
    expect(x.manifest.root).toBe(hex(refRoot(a)));
    expect(y.manifest.root).toBe(hex(refRoot(b)));
    expect(await store.keys('tmp/')).toEqual([]);
  });
});
