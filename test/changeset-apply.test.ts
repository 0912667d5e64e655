// Applying changesets equals rebuilding, byte for byte, and its root is the reference root.
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { applyChangesets, appendInPlace, ChangesetApplier, collectGarbage, type ChangesetToApply, type HeightApplied } from '../src/checkpoint/apply.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { storeSource } from '../src/net/store-source.js';
import { writeChangeset, piecePath, openChangeset } from '../src/changeset/io.js';
import { encodeChangeset, decodeChangesetPiece } from '../src/format/changeset.js';
import { parseManifest, type ChunkingParams } from '../src/format/manifest.js';
import { decodeChunk } from '../src/format/chunk.js';
import { sha256 } from '../src/hash/sha256.js';
import {
  ChangesetPieceCorrupted, ChangesetPieceNotFound, ChangesetRootMismatch, InvalidArgument, PrevRootMismatch,
} from '../src/errors.js';
import type { Store } from '../src/store/store.js';
import type { Pair } from '../src/tree/pairs.js';
import { refRoot, refSha256 } from './jmt-reference.js';
import { hex, rng } from './helpers.js';

const enc = new TextEncoder();

/** Keys in groups whose SHA-256 share their first 16 bits (long shared prefixes in the tree). */
function clusteredKeys(seed: number, groups: number): Uint8Array[] {
  const buckets = new Map<number, Uint8Array[]>();
  for (let i = 0; i < 40_000; i++) {
    const key = enc.encode(`c${seed}-${i}`);
    const h = sha256(key);
    const b = (h[0] << 8) | h[1];
    const list = buckets.get(b) ?? [];
    list.push(key);
    buckets.set(b, list);
  }
  return [...buckets.values()].filter((l) => l.length >= 3).slice(0, groups).flat();
}

function applyTo(state: Map<string, Pair>, changes: Pair[]) {
  for (const c of changes) {
    if (c.value) state.set(hex(c.key), c);
    else state.delete(hex(c.key));
  }
}

/** A random height's changes against `state`: new keys, overwrites, deletes, absent deletes, no-op puts, clustered keys. */
function randomHeight(r: ReturnType<typeof rng>, state: Map<string, Pair>, n: number, clustered: Uint8Array[], h: number): Pair[] {
  const existing = [...state.values()];
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.int(7);
    const pick = existing.length ? existing[r.int(existing.length)] : undefined;
    if (kind === 0 || !pick) out.push({ key: enc.encode(`new-${h}-${i}-${r.int(1e6)}`), value: r.bytes(1 + r.int(150)) });
    else if (kind === 1) out.push({ key: pick.key, value: r.bytes(1 + r.int(150)) });
    else if (kind === 2) out.push({ key: pick.key, value: null });
    else if (kind === 3) out.push({ key: enc.encode(`absent-${r.int(1e9)}`), value: null });
    else if (kind === 4) out.push({ key: pick.key, value: pick.value });
    else out.push({ key: clustered[r.int(clustered.length)], value: r.int(3) === 0 ? null : r.bytes(1 + r.int(60)) });
  }
  return out;
}

async function files(store: Store): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const k of [...await store.keys('chunks/'), ...await store.keys('proofs/'), ...await store.keys('manifest')]) out.set(k, hex((await store.get(k))!));
  return out;
}

async function expectSameAsRebuild(store: Store, state: Map<string, Pair>, version: number, chunking: number | ChunkingParams) {
  const fresh = memoryStore();
  const rebuilt = await createCheckpoint([...state.values()], { store: fresh, version, ...typeof chunking === 'number' ? { maxChunkBytes: chunking } : { chunking } });
  const applied = parseManifest((await store.get('manifest.json'))!);
  expect(applied.root).toBe(hex(refRoot([...state.values()])));
  expect(hex((await store.get('manifest.json'))!)).toBe(hex(rebuilt.manifestBytes));
  expect(await files(store)).toEqual(await files(fresh));
}

/** A checkpoint of `size` random pairs (keys `${prefix}${seed}-i`), its state, and the random source and clustered keys for its heights. */
async function randomCheckpoint(seed: number, size: number, prefix: string, version: number, maxChunkBytes: number) {
  const r = rng(seed);
  const clustered = clusteredKeys(seed, 30);
  const state = new Map<string, Pair>();
  applyTo(state, Array.from({ length: size }, (_, i) => ({ key: enc.encode(`${prefix}${seed}-${i}`), value: r.bytes(1 + r.int(200)) })));
  const store = memoryStore();
  await createCheckpoint([...state.values()], { store, version, maxChunkBytes });
  return { r, clustered, state, store };
}

describe('applyChangesets', () => {
  for (const [seed, size, maxChunkBytes] of [[1, 400, 2048], [2, 900, 4096], [3, 60, 1024], [4, 1500, 8192]] as const) {
    it(`equals a rebuild byte for byte over random heights (seed ${seed}, ${size} keys, ${maxChunkBytes}-byte chunks)`, async () => {
      const { r, clustered, state, store } = await randomCheckpoint(seed, size, 'k', 10, maxChunkBytes);
      for (let h = 11; h <= 16; h++) {
        const before = parseManifest((await store.get('manifest.json'))!);
        const changes = randomHeight(r, state, 1 + r.int(h === 13 ? 3 : 80), clustered, h);
        applyTo(state, changes);
        const root = hex(refRoot([...state.values()]));
        const cs = encodeChangeset(h, changes, { prevRoot: before.root, root });
        const csStore = memoryStore();
        await writeChangeset(csStore, h, changes, { prevRoot: before.root, root });
        const result = await applyChangesets(store, [h % 2 ? await openChangeset(storeSource(csStore, 'cs')) : { metadata: cs.metadata, changes }]);
        expect(result.manifest.root).toBe(root);
        // Only chunk files whose leaves changed were written.
        const oldDigests = new Set(before.chunks.map((c) => c.digest));
        expect(result.heights[0].chunksWritten).toBe(new Set(result.manifest.chunks.filter((c) => !oldDigests.has(c.digest)).map((c) => c.digest)).size);
        await expectSameAsRebuild(store, state, h, maxChunkBytes);
      }
    });
  }

  it('applies several heights in one call, in height order, checking every root', async () => {
    const r = rng(7);
    const state = new Map<string, Pair>();
    applyTo(state, Array.from({ length: 300 }, (_, i) => ({ key: enc.encode(`m${i}`), value: r.bytes(40) })));
    const store = memoryStore();
    await createCheckpoint([...state.values()], { store, version: 1, maxChunkBytes: 2048 });
    let prevRoot = hex(refRoot([...state.values()]));
    const sets = [];
    for (let h = 2; h <= 5; h++) {
      const changes = randomHeight(r, state, 30, clusteredKeys(1, 5), h);
      applyTo(state, changes);
      const root = hex(refRoot([...state.values()]));
      sets.push(encodeChangeset(h, changes, { prevRoot, root }));
      prevRoot = root;
    }
    const result = await applyChangesets(store, sets.reverse().map((s) => ({ metadata: s.metadata, changes: decodeAll(s) })), { expectRoot: prevRoot });
    expect(result.heights.map((x) => x.height)).toEqual([2, 3, 4, 5]);
    await expectSameAsRebuild(store, state, 5, 2048);
    expect(await store.keys('manifests/')).toEqual(['manifests/5.json']);
  });

  // Heights of one call are held in memory and written once (or whenever they pass pendingBytes):
  // every height's root is still computed and checked, and the files are a rebuild's.
  for (const [seed, size, maxChunkBytes, pendingBytes] of [[11, 700, 2048, undefined], [12, 1200, 4096, 30_000], [13, 80, 1024, 0], [14, 500, 1024, 1], [15, 4000, 65536, undefined], [16, 3000, 65536, 60_000]] as const) {
    it(`many heights in one call equal a rebuild, every height's root the reference (seed ${seed}, ${maxChunkBytes}-byte chunks, pendingBytes ${pendingBytes})`, async () => {
      const { r, clustered, state, store } = await randomCheckpoint(seed, size, 'b', 100, maxChunkBytes);
      const roots: string[] = [];
      const sets = [];
      let prevRoot = hex(refRoot([...state.values()]));
      for (let h = 101; h <= 112; h++) {
        // A quiet height, one that deletes almost everything, and ordinary ones.
        const changes = h === 104 ? [] : h === 107 ? [...state.values()].slice(2).map((p) => ({ key: p.key, value: null })) : randomHeight(r, state, 1 + r.int(60), clustered, h);
        applyTo(state, changes);
        roots.push(hex(refRoot([...state.values()])));
        // Some changesets state their roots, some do not.
        sets.push({ metadata: encodeChangeset(h, changes, h % 3 ? { prevRoot, root: roots.at(-1)! } : {}).metadata, changes });
        prevRoot = roots.at(-1)!;
      }
      const seen: HeightApplied[] = [];
      const result = await applyChangesets(store, sets, { expectRoot: prevRoot, pendingBytes, onHeight: (x) => seen.push(x) });
      expect(seen.map((x) => x.root)).toEqual(roots);
      expect(result.heights).toEqual(seen);
      const writes = seen.filter((x) => x.bytesWritten > 0).length;
      if (pendingBytes === undefined) expect(writes).toBe(1);
      // pendingBytes 1: the first held height passes it, so that one and every later height are written.
      else if (pendingBytes <= 1) expect(writes).toBe(12);
      else expect(writes).toBeGreaterThan(1);
      if (pendingBytes === undefined) expect(seen.slice(0, -1).every((x) => x.chunksWritten === 0 && x.bytesWritten === 0)).toBe(true);
      await expectSameAsRebuild(store, state, 112, maxChunkBytes);
      expect(await store.keys('manifests/')).toEqual(['manifests/112.json']);
      // Nothing of the heights between is left behind.
      expect(await collectGarbage(store)).toBe(0);
    });
  }

  it('pendingBytes must be a non-negative integer', async () => {
    const { store } = await randomCheckpoint(22, 50, 'p', 1, 1024);
    for (const pendingBytes of [-1, 1.5, Number.NaN, '64' as unknown as number]) {
      await expect(applyChangesets(store, [], { pendingBytes })).rejects.toThrow(InvalidArgument);
      await expect(applyChangesets(store, [], { pendingBytes })).rejects.toThrow(/pendingBytes/);
    }
  });

  it('a wrong root at a height held in memory is refused naming that height; nothing is switched or left', async () => {
    const { r, clustered, state, store } = await randomCheckpoint(21, 400, 'w', 1, 2048);
    const before = await files(store);
    const sets: Array<{ h: number; changes: Pair[]; prevRoot: string; root: string }> = [];
    let prevRoot = hex(refRoot([...state.values()]));
    for (let h = 2; h <= 6; h++) {
      const changes = randomHeight(r, state, 25, clustered, h);
      applyTo(state, changes);
      const root = hex(refRoot([...state.values()]));
      sets.push({ h, changes, prevRoot, root });
      prevRoot = root;
    }
    const build = (bad: number, field: 'prevRoot' | 'root') => sets.map(({ h, changes, ...roots }) => ({
      metadata: encodeChangeset(h, changes, { ...roots, [field]: h === bad ? '0f'.repeat(32) : roots[field] }).metadata, changes,
    }));
    for (const [bad, field, cls] of [[3, 'root', ChangesetRootMismatch], [4, 'prevRoot', PrevRootMismatch], [6, 'root', ChangesetRootMismatch]] as const) {
      const err = await applyChangesets(store, build(bad, field)).then(() => undefined, (e) => e);
      expect(err, `${field} ${bad}`).toBeInstanceOf(cls);
      expect(err.height).toBe(bad);
      expect(err.message).toMatch(new RegExp(`height ${bad}|root`));
      expect(await files(store)).toEqual(before);
      // Only the old checkpoint's own index may have been built: nothing unreferenced is left.
      expect(await collectGarbage(store)).toBe(0);
    }
    await applyChangesets(store, build(0, 'root'), { expectRoot: prevRoot });
    await expectSameAsRebuild(store, state, 6, 2048);
  });

  it('deleting every key leaves the empty tree; then it grows again', async () => {
    const pairs = Array.from({ length: 50 }, (_, i) => ({ key: enc.encode(`e${i}`), value: enc.encode(`v${i}`) }));
    const store = memoryStore();
    await createCheckpoint(pairs, { store, version: 0, maxChunkBytes: 1024 });
    await applyChangesets(store, [{ metadata: encodeChangeset(1, []).metadata, changes: [] }]);
    const del = pairs.map((p) => ({ key: p.key, value: null }));
    await applyChangesets(store, [{ metadata: encodeChangeset(2, del).metadata, changes: del }]);
    await expectSameAsRebuild(store, new Map(), 2, 1024);
    await applyChangesets(store, [{ metadata: encodeChangeset(3, pairs).metadata, changes: pairs }]);
    await expectSameAsRebuild(store, new Map(pairs.map((p) => [hex(p.key), p])), 3, 1024);
  });

  it('a wrong prevRoot, root or expectRoot is refused naming the height; the old checkpoint is untouched', async () => {
    const pairs = Array.from({ length: 200 }, (_, i) => ({ key: enc.encode(`p${i}`), value: enc.encode(`v${i}`) }));
    const store = memoryStore();
    const created = await createCheckpoint(pairs, { store, version: 3, maxChunkBytes: 1024 });
    const before = await files(store);
    const changes = [{ key: enc.encode('p1'), value: enc.encode('changed') }, { key: enc.encode('q'), value: enc.encode('new') }];
    const good = hex(refRoot([...pairs, ...changes]));
    const cases: Array<[string, Parameters<typeof encodeChangeset>[2], { expectRoot?: string }, unknown, RegExp]> = [
      ['prevRoot', { prevRoot: 'ab'.repeat(32), root: good }, {}, PrevRootMismatch, /height 4/],
      ['root', { prevRoot: created.manifest.root, root: 'cd'.repeat(32) }, {}, ChangesetRootMismatch, /height 4/],
      ['expectRoot', { prevRoot: created.manifest.root, root: good }, { expectRoot: 'ef'.repeat(32) }, ChangesetRootMismatch, /height 4/],
    ];
    for (const [what, roots, opts, cls, msg] of cases) {
      const cs = encodeChangeset(4, changes, roots);
      const err = await applyChangesets(store, [{ metadata: cs.metadata, changes }], opts).then(() => undefined, (e) => e);
      expect(err, what).toBeInstanceOf(cls as any);
      expect(err.height, what).toBe(4);
      expect(err.message, what).toMatch(msg);
      expect(await files(store), what).toEqual(before);
    }
    const stale = encodeChangeset(3, changes);
    await expect(applyChangesets(store, [{ metadata: stale.metadata, changes }])).rejects.toThrow(/height 3 does not follow version 3/);
    await expect(applyChangesets(store, [{ metadata: stale.metadata, changes }])).rejects.toThrow(PrevRootMismatch);
    await applyChangesets(store, [{ metadata: encodeChangeset(4, changes, { prevRoot: created.manifest.root, root: good }).metadata, changes }], { expectRoot: good });
    expect(parseManifest((await store.get('manifest.json'))!).root).toBe(good);
  });

  it('a missing, corrupt or truncated piece is a typed error naming height and index; nothing switches', async () => {
    const pairs = Array.from({ length: 100 }, (_, i) => ({ key: enc.encode(`x${i}`), value: enc.encode(`v${i}`) }));
    const store = memoryStore();
    await createCheckpoint(pairs, { store, version: 1, maxChunkBytes: 1024 });
    const before = await files(store);
    const changes = Array.from({ length: 40 }, (_, i) => ({ key: enc.encode(`y${i}`), value: new Uint8Array(100).fill(i) }));
    const csStore = memoryStore();
    const written = await writeChangeset(csStore, 2, changes, {}, { maxPieceBytes: 1000 });
    const victim = piecePath(written.metadata.pieces[3].digest);
    const good = (await csStore.get(victim))!;
    for (const [bytes, cls] of [[undefined, ChangesetPieceNotFound], [good.map((b, i) => (i === 40 ? b ^ 1 : b)), ChangesetPieceCorrupted],
      [good.subarray(0, 500), ChangesetPieceCorrupted]] as const) {
      if (bytes) await csStore.put([[victim, bytes]]);
      else await csStore.delete([victim]);
      const err = await applyChangesets(store, [await openChangeset(storeSource(csStore, 'cs'))]).then(() => undefined, (e) => e);
      expect(err).toBeInstanceOf(cls);
      expect(err).toMatchObject({ height: 2, piece: 3 });
      expect(await files(store)).toEqual(before);
    }
  });
});

describe('ChangesetApplier', () => {
  it('applies heights one at a time, holding them; commit writes and switches and it goes on; discard drops what came since', async () => {
    const { r, clustered, state, store } = await randomCheckpoint(31, 900, 'a', 1, 4096);
    const applier = await ChangesetApplier.open(store);
    const step = async (h: number) => {
      const changes = randomHeight(r, state, 1 + r.int(50), clustered, h);
      const prevRoot = applier.root;
      applyTo(state, changes);
      const applied = await applier.apply({ metadata: encodeChangeset(h, changes, { prevRoot, root: hex(refRoot([...state.values()])) }).metadata, changes });
      expect(applied).toMatchObject({ height: h, root: hex(refRoot([...state.values()])), bytesWritten: 0 });
      expect([applier.version, applier.root]).toEqual([h, applied.root]);
    };
    for (let h = 2; h <= 4; h++) await step(h);
    expect(applier.heldBytes).toBeGreaterThan(0);
    expect(parseManifest((await store.get('manifest.json'))!).version).toBe(1); // nothing switched yet
    expect((await applier.commit()).manifest.version).toBe(4);
    expect(applier.heldBytes).toBe(0);
    await expectSameAsRebuild(store, state, 4, 4096);
    const at4 = new Map(state);
    for (let h = 5; h <= 6; h++) await step(h);
    await applier.apply({ metadata: encodeChangeset(7, []).metadata, changes: [] }, { hold: false }); // written, not switched
    expect(applier.unswitched).toBe(true);
    await applier.discard();
    expect([applier.version, applier.heldBytes, applier.unswitched]).toEqual([4, 0, false]);
    await expectSameAsRebuild(store, at4, 4, 4096);
    expect(await collectGarbage(store)).toBe(0);
    state.clear();
    for (const [k, v] of at4) state.set(k, v);
    for (let h = 5; h <= 7; h++) await step(h);
    expect((await applier.commit()).manifest.version).toBe(7);
    await expectSameAsRebuild(store, state, 7, 4096);
    await expect(applier.apply({ metadata: encodeChangeset(7, []).metadata, changes: [] })).rejects.toThrow(PrevRootMismatch);
  });

  it('open refuses a store without a checkpoint and a bad pendingBytes; apply refuses a changeset without metadata', async () => {
    await expect(ChangesetApplier.open(memoryStore())).rejects.toThrow(/no checkpoint/);
    await expect(ChangesetApplier.open({} as Store)).rejects.toThrow(InvalidArgument);
    const { store } = await randomCheckpoint(32, 40, 'o', 1, 1024);
    await expect(ChangesetApplier.open(store, { pendingBytes: -5 })).rejects.toThrow(/pendingBytes/);
    const applier = await ChangesetApplier.open(store);
    await expect(applier.apply({ changes: [] } as unknown as ChangesetToApply)).rejects.toThrow(InvalidArgument);
  });
});

describe('applyChangesets: the stored covers (nodes/<checkpoint id>)', () => {
  /** A checkpoint of `size` random keys and a function applying one random height to it. */
  async function setup(seed: number, size: number, maxChunkBytes: number | ChunkingParams, valueBytes: number) {
    const r = rng(seed);
    const state = new Map<string, Pair>();
    applyTo(state, Array.from({ length: size }, (_, i) => ({ key: enc.encode(`s${seed}-${i}`), value: r.bytes(1 + r.int(valueBytes)) })));
    const store = memoryStore();
    await createCheckpoint([...state.values()], { store, version: 1, ...typeof maxChunkBytes === 'number' ? { maxChunkBytes } : { chunking: maxChunkBytes } });
    const clustered = clusteredKeys(seed, 10);
    let height = 1;
    const step = async (target: Store, changes: Pair[]) => {
      const before = parseManifest((await target.get('manifest.json'))!);
      return applyChangesets(target, [{ metadata: encodeChangeset(height + 1, changes, { prevRoot: before.root }).metadata, changes }]);
    };
    const next = async (count: number) => {
      const changes = randomHeight(r, state, count, clustered, height + 1);
      await step(store, changes);
      applyTo(state, changes);
      height++;
      await expectSameAsRebuild(store, state, height, maxChunkBytes);
    };
    return { r, state, store, step, next, clustered, get height() { return height; }, set height(h: number) { height = h; } };
  }

  const coversOf = async (store: Store) => (await store.keys('nodes/')).sort();

  it('one covers file, of the current checkpoint: ~2 KB per chunk against its leaves', async () => {
    const t = await setup(21, 1500, 4096, 120);
    await t.next(20);
    const manifestBytes = (await t.store.get('manifest.json'))!;
    const manifest = parseManifest(manifestBytes);
    expect(await coversOf(t.store)).toEqual([`nodes/${hex(sha256(manifestBytes))}`]);
    const size = (await t.store.get(`nodes/${hex(sha256(manifestBytes))}`))!.length;
    // Each chunk's record: a 176-byte header and trailer plus 72 bytes per subtree, O(depth) subtrees.
    expect(size).toBeLessThan(manifest.chunks.length * (176 + 72 * 2 * 16));
    expect(size).toBeGreaterThanOrEqual(manifest.chunks.length * 176);
  });

  it('a missing, damaged, truncated or foreign covers file is recomputed; apply still equals rebuild', async () => {
    const t = await setup(22, 1200, 2048, 100);
    await t.next(10);
    const damages: Array<[string, (b: Uint8Array) => Uint8Array | undefined]> = [
      ['missing', () => undefined],
      ['one bit flipped', (b) => b.map((x, i) => (i === b.length >> 1 ? x ^ 4 : x))],
      ['truncated', (b) => b.subarray(0, b.length - 100)],
      ['empty', () => new Uint8Array(0)],
    ];
    let foreign: Uint8Array | undefined;
    for (const [what, damage] of [...damages, ['another checkpoint\'s', () => foreign] as [string, () => Uint8Array | undefined]]) {
      const [key] = await coversOf(t.store);
      const bytes = (await t.store.get(key))!;
      foreign = bytes;
      await t.store.delete([key]);
      const damaged = damage(bytes);
      if (damaged) await t.store.put([[key, damaged]]);
      await t.next(1 + t.r.int(12));
      expect(await coversOf(t.store), what).toHaveLength(1);
    }
  });

  it('chunks cut at the size limit: an untouched chunk before a changed one is re-split exactly', async () => {
    // A content boundary is rare against the size limit: most chunks end at the limit, which the
    // next leaf decides. A small leaf inserted just before a chunk's first leaf may now fit in
    // the untouched chunk before it.
    const chunking = { maxChunkBytes: 1024, minChunkBytes: 128, avgChunkBytes: 8192 };
    const t = await setup(23, 400, chunking, 100);
    for (let round = 0; round < 5; round++) {
      const manifest = parseManifest((await t.store.get('manifest.json'))!);
      const k = 1 + t.r.int(manifest.chunks.length - 2);
      const [firstOfNext] = decodeChunk((await t.store.get(`chunks/${manifest.chunks[k + 1].digest}`))!);
      const lo = BigInt('0x' + manifest.chunks[k].hi);
      const hi = BigInt('0x' + hex(sha256(firstOfNext.key)));
      let key: Uint8Array;
      for (let i = 0; ; i++) {
        key = enc.encode(`gap-${round}-${i}`);
        const at = BigInt('0x' + hex(sha256(key)));
        if (at > lo && at < hi) break;
      }
      const changes = [{ key, value: new Uint8Array([round]) }];
      await t.step(t.store, changes);
      applyTo(t.state, changes);
      t.height++;
      await expectSameAsRebuild(t.store, t.state, t.height, chunking);
    }
  });

  it('killed between any two writes: the old or the new checkpoint stays whole and verifies; applying again gives the rebuild', async () => {
    const t = await setup(24, 700, 2048, 100);
    await t.next(5);
    const changes = randomHeight(t.r, t.state, 30, t.clustered, t.height + 1);
    // Count the writes one apply makes, on a copy.
    const copy = async () => {
      const c = memoryStore();
      for (const k of await t.store.keys('')) await c.put([[k, (await t.store.get(k))!]]);
      return c;
    };
    let puts = 0;
    const counting = await copy();
    await t.step({ ...counting, put: async (e) => { puts++; return counting.put(e); } }, changes);
    expect(puts).toBeGreaterThan(3);
    const oldRoot = parseManifest((await t.store.get('manifest.json'))!).root;
    const state = new Map(t.state);
    applyTo(state, changes);
    const newRoot = hex(refRoot([...state.values()]));
    for (let crashAt = 0; crashAt <= puts; crashAt++) {
      const target = await copy();
      let n = 0;
      // Dead after `crashAt` writes: nothing more reaches the store, not even the cleanup.
      const dying: Store = {
        get: (k) => target.get(k), keys: (p) => target.keys(p),
        put: async (e) => { if (n++ >= crashAt) throw new Error('killed'); return target.put(e); },
        delete: async (k) => { if (n >= crashAt) throw new Error('killed'); return target.delete(k); },
      };
      const err = await t.step(dying, changes).then(() => undefined, (e) => e);
      expect(err?.message, `crash after ${crashAt} writes`).toBe('killed');
      // The old checkpoint, or (killed after the switch, before the cleanup) the new one: whole either way.
      const { root } = parseManifest((await target.get('manifest.json'))!);
      expect([oldRoot, newRoot]).toContain(root);
      await verifyCheckpoint({ sources: [storeSource(target, 'crashed')], root });
      if (root === oldRoot) await t.step(target, changes);
      else {
        // What the killed apply had left to do: drop the replaced version's manifest, collect.
        await target.delete([`manifests/${t.height}.json`]);
        await collectGarbage(target);
      }
      await expectSameAsRebuild(target, state, t.height + 1, 2048);
    }
  });
});

function decodeAll(cs: ReturnType<typeof encodeChangeset>): Pair[] {
  return cs.pieces.flatMap((p) => decodeChangesetPiece(p.bytes, { height: cs.metadata.height, index: p.index }));
}

describe('appendInPlace', () => {
  it('keeps the version; every old and new key proves membership, absent keys non-membership; verify passes', async () => {
    const r = rng(11);
    const pairs = Array.from({ length: 500 }, (_, i) => ({ key: enc.encode(`a${i}`), value: r.bytes(1 + r.int(100)) }));
    const store = memoryStore();
    await createCheckpoint(pairs, { store, version: 9, maxChunkBytes: 2048 });
    const added = [...Array.from({ length: 80 }, (_, i) => ({ key: enc.encode(`migrated-${i}`), value: r.bytes(30) })),
      { key: enc.encode('a3'), value: enc.encode('rewritten') }, { key: enc.encode('a4'), value: null }];
    const state = new Map(pairs.map((p) => [hex(p.key), p as Pair]));
    applyTo(state, added);
    const root = hex(refRoot([...state.values()]));

    const before = await files(store);
    const dry = await appendInPlace(store, added, { dryRun: true });
    expect(dry.manifest.root).toBe(root);
    expect(await files(store)).toEqual(before);

    const result = await appendInPlace(store, added);
    expect(result.manifest.root).toBe(root);
    expect(result.manifest.version).toBe(9);
    await expectSameAsRebuild(store, state, 9, 2048);
    await verifyCheckpoint({ sources: [storeSource(store, 'appended')], root });
    const view = await openCheckpoint(store);
    for (const p of state.values()) {
      const proof = await view.prove(p.key);
      expect(proof.valueHash && hex(proof.valueHash)).toBe(hex(refSha256(p.value!)));
    }
    for (const key of [enc.encode('a4'), enc.encode('never-there')]) expect((await view.prove(key)).valueHash).toBeUndefined();
    expect(await collectGarbage(store)).toBe(0);
  });
});
