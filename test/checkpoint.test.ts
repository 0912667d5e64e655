import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import { restoreCheckpoint, verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { Restorer } from '../src/checkpoint/restorer.js';
import { encodeManifest, parseManifest, type Manifest } from '../src/format/manifest.js';
import { encodeChunk } from '../src/format/chunk.js';
import {
  ChunkAlreadyRestored, ChunkCorrupted, ChunkProofVerificationFailed, KeyNotFound, ManifestInvalid,
  NoRestoreInProgress, RestoreAlreadyInProgress, RootMismatch,
} from '../src/errors.js';
import { sha256 } from '../src/hash/sha256.js';
import { toHex } from '../src/hex.js';
import type { Source } from '../src/net/source.js';
import { refCompare, refProof, refRoot, refSha256 } from './jmt-reference.js';
import { hex, manifestFiles, proofBytes } from './helpers.js';
import { samplePairs, sampleCheckpoint, spySource } from './checkpoint-fixtures.js';

const enc = new TextEncoder();

/**
 * A copy of `source`'s checkpoint with `edit` applied to its manifest (re-encoded canonically),
 * as a liar would serve it: its proof packs are rebuilt for the edited table from the proofs
 * `source` and `others` hold, so the edit meets the proof check, not a pack digest.
 */
async function withManifest(source: Source, edit: (m: Manifest) => void, others: Source[] = []): Promise<Source> {
  const store = memoryStore();
  const read = (s: Source) => (p: string) => s.fetch(p, { maxBytes: 1 << 26 }).catch(() => undefined);
  const proofs = new Map<string, Uint8Array>();
  let original: Manifest | undefined;
  for (const s of [source, ...others]) {
    const m = parseManifest((await read(s)('manifest.json'))!);
    original ??= m;
    for (const i of m.chunks.keys()) proofs.set(m.chunks[i].proof, await proofBytes(read(s), m, i));
  }
  const m: Manifest = JSON.parse(JSON.stringify(original));
  edit(m);
  if (m.proofPacks) {
    m.proofPacks = [];
    for (let first = 0; first < m.chunks.length; first += 256) {
      const pack = concat(m.chunks.slice(first, first + 256).map((c) => proofs.get(c.proof) ?? new Uint8Array(c.proofSize)));
      m.proofPacks.push(toHex(sha256(pack)));
      await store.put([[`proofs/${m.proofPacks.at(-1)}`, pack]]);
    }
  }
  await store.put([['manifest.json', encodeManifest(m)]]);
  for (const path of new Set([...manifestFiles(original!), ...manifestFiles(m)])) {
    const bytes = (await read(source)(path)) ?? (await Promise.all(others.map((o) => read(o)(path)))).find(Boolean);
    if (bytes && !(await store.get(path))) await store.put([[path, bytes]]);
  }
  return storeSource(store, 'edited');
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('checkpoints end to end', () => {
  it('creates, verifies, restores and answers queries; the root is the reference JMT root', async () => {
    const s = await sampleCheckpoint(samplePairs(600));
    expect(s.root).toBe(hex(refRoot(s.pairs)));
    const m = parseManifest(s.manifestBytes);
    expect(m.chunks.length).toBeGreaterThan(5);
    expect(m.leaves).toBe(600);
    const events: string[] = [];
    const v = await verifyCheckpoint({ sources: [s.source], root: s.root, onProgress: (e) => e.state && events.push(e.state) });
    expect(v.fetched).toBe(m.chunks.length);
    expect(events.filter((e) => e === 'verified').length).toBe(m.chunks.length);
    const target = memoryStore();
    const r = await restoreCheckpoint({ sources: [s.source], root: s.root, store: target });
    expect(r.fetched).toBe(m.chunks.length);
    const view = await openCheckpoint(target);
    for (const p of s.pairs.slice(0, 100)) expect(hex(await view.get(p.key))).toBe(hex(p.value!));
    await expect(view.get(enc.encode('absent'))).rejects.toThrow(KeyNotFound);
  });

  it('proves membership and non-membership offline, exactly as the reference tree does', async () => {
    const s = await sampleCheckpoint(samplePairs(400, 3));
    const target = memoryStore();
    await restoreCheckpoint({ sources: [s.source], root: s.root, store: target });
    const view = await openCheckpoint(target);
    const leaves = s.pairs.map((p) => ({ keyHash: refSha256(p.key), valueHash: refSha256(p.value!) }))
      .sort((a, b) => refCompare(a.keyHash, b.keyHash));
    const keys = [...s.pairs.map((p) => p.key), ...Array.from({ length: 200 }, (_, i) => enc.encode(`absent-${i}`))];
    for (const key of keys) {
      const got = await view.prove(key);
      const want = refProof(leaves, refSha256(key));
      expect(got.siblings.map(hex), new TextDecoder().decode(key)).toEqual(want.siblings.map(hex));
      expect(got.leaf && hex(got.leaf.keyHash)).toBe(want.leaf && hex(want.leaf.keyHash));
    }
  });

  it('a transfer warms its verifier up once, before it asks for the manifest', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    for (const transfer of [verifyCheckpoint, restoreCheckpoint]) {
      const events: string[] = [];
      const spy = spySource(s.source, 'mirror');
      const source: Source = { name: spy.name, fetch: (path, opts) => (events.push(path), spy.fetch(path, opts)) };
      const verifier = { verifyChunk: () => (events.push('verify'), Promise.resolve()), warmUp: () => void events.push('warm up') };
      await transfer({ sources: [source], root: s.root, verifier, store: memoryStore() });
      expect(events.slice(0, 2)).toEqual(['warm up', 'manifest.json']);
      expect(events.filter((e) => e === 'warm up')).toHaveLength(1);
      expect(events.filter((e) => e === 'verify')).toHaveLength(parseManifest(s.manifestBytes).chunks.length);
    }
  });

  it('checkpoints the empty state and a one-key state', async () => {
    for (const pairs of [[], samplePairs(1)]) {
      const s = await sampleCheckpoint(pairs);
      expect(s.root).toBe(hex(refRoot(pairs)));
      const target = memoryStore();
      await restoreCheckpoint({ sources: [s.source], root: s.root, store: target });
      const proof = await (await openCheckpoint(target)).prove(enc.encode('nothing here'));
      expect(proof.valueHash).toBeUndefined();
    }
  });

  it('changing one key changes at most two chunk files', async () => {
    const pairs = samplePairs(2000, 5);
    const a = parseManifest((await sampleCheckpoint(pairs)).manifestBytes);
    const changed = pairs.slice();
    changed[1234] = { key: changed[1234].key, value: enc.encode('a new value') };
    const b = parseManifest((await sampleCheckpoint(changed)).manifestBytes);
    const before = new Set(a.chunks.map((c) => c.digest));
    const fresh = b.chunks.filter((c) => !before.has(c.digest));
    expect(a.chunks.length).toBeGreaterThan(20);
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(fresh.length).toBeLessThanOrEqual(2);
    const inserted = [...pairs, { key: enc.encode('one more key'), value: enc.encode('v') }];
    const c = parseManifest((await sampleCheckpoint(inserted)).manifestBytes);
    expect(c.chunks.filter((x) => !before.has(x.digest)).length).toBeLessThanOrEqual(2);
  });
});

describe('queries on a stored checkpoint', () => {
  /** The checkpoint restored into a store that counts reads of chunk files. */
  async function countedStore(pairs = samplePairs(600, 9)) {
    const s = await sampleCheckpoint(pairs);
    const store = memoryStore();
    await restoreCheckpoint({ sources: [s.source], root: s.root, store });
    const reads: string[] = [];
    const counted = { ...store, get: (key: string) => {
      if (key.startsWith('chunks/')) reads.push(key);
      return store.get(key);
    } };
    return { s, store, counted, reads };
  }

  it('load a chunk once for get, prove and lookup of keys in it, even concurrently', async () => {
    const { s, counted, reads } = await countedStore();
    const view = await openCheckpoint(counted);
    const key = s.pairs[5].key;
    const proof = await view.prove(key);
    expect(hex(await view.get(key))).toBe(hex(s.pairs[5].value!));
    const both = await view.lookup(key);
    expect(hex(both.value!)).toBe(hex(s.pairs[5].value!));
    expect(both.proof.siblings.map(hex)).toEqual(proof.siblings.map(hex));
    expect(reads).toHaveLength(1);
    const absent = await view.lookup(enc.encode('not there'));
    expect(absent.value).toBeUndefined();
    reads.length = 0;
    const values = await Promise.all(s.pairs.map((p) => view.get(p.key)));
    values.forEach((v, i) => expect(hex(v)).toBe(hex(s.pairs[i].value!)));
    expect(new Set(reads).size).toBe(reads.length); // no chunk read twice, loads shared
  });

  it('stay within the cache bound, answering correctly when chunks are evicted', async () => {
    const { s, counted, reads } = await countedStore();
    const m = parseManifest(s.manifestBytes);
    const view = await openCheckpoint(counted, { cacheBytes: 2 * m.chunks[0].size });
    for (const round of [0, 1]) {
      for (const p of s.pairs) expect(hex(await view.get(p.key)), `round ${round}`).toBe(hex(p.value!));
    }
    // A cache of about two chunks cannot hold them all: later rounds read chunks again.
    expect(reads.length).toBeGreaterThan(m.chunks.length);
    const none = await openCheckpoint(counted, { cacheBytes: 0 });
    reads.length = 0;
    await none.get(s.pairs[0].key);
    await none.get(s.pairs[0].key);
    expect(reads).toHaveLength(2);
  });

  it('refuse a stored chunk that does not prove out against the root', async () => {
    const { s, store } = await countedStore();
    const m = parseManifest(s.manifestBytes);
    const bytes = (await store.get(`chunks/${m.chunks[0].digest}`))!;
    bytes[bytes.length - 1] ^= 1;
    await store.put([[`chunks/${m.chunks[0].digest}`, bytes]]);
    const view = await openCheckpoint(store);
    const inFirst = s.pairs.find((p) => toHex(sha256(p.key)) <= m.chunks[0].hi)!;
    await expect(view.get(inFirst.key)).rejects.toThrow(ChunkCorrupted);
    await expect(view.prove(inFirst.key)).rejects.toThrow(ChunkCorrupted);
  });
});

describe('attacks on a checkpoint', () => {
  it('a flipped bit, a truncated or an extended chunk: ChunkCorrupted naming chunk and source', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    const m = parseManifest(s.manifestBytes);
    const target = `chunks/${m.chunks[2].digest}`;
    for (const rewrite of [
      (b: Uint8Array) => { const c = b.slice(); c[c.length >> 1] ^= 4; return c; },
      (b: Uint8Array) => b.subarray(0, b.length - 1),
      (b: Uint8Array) => { const c = new Uint8Array(b.length + 1); c.set(b); return c; },
    ]) {
      const bad = spySource(s.source, 'evil', (path, bytes) => path === target ? rewrite(bytes) : bytes);
      const err = await failure(verifyCheckpoint({ sources: [bad], root: s.root }));
      expect(err).toBeInstanceOf(ChunkCorrupted);
      expect(err.chunk).toBe(2);
      expect(err.source).toBe('evil');
    }
  });

  it('falls back to the next mirror when one sends bad bytes, and reports the bad one', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    const m = parseManifest(s.manifestBytes);
    const target = `chunks/${m.chunks[1].digest}`;
    const bad = spySource(s.source, 'mirror-1', (path, bytes) => path === target ? bytes.map((x) => x ^ 1) : bytes);
    const good = spySource(s.source, 'mirror-2');
    const target2 = memoryStore();
    const r = await restoreCheckpoint({ sources: [bad, good], root: s.root, store: target2, concurrency: 1 });
    expect(r.badSources).toEqual([expect.objectContaining({ chunk: 1, source: 'mirror-1', code: 'ChunkCorrupted' })]);
    expect(good.log).toContain(target);
    expect(hex(await (await openCheckpoint(target2)).get(s.pairs[0].key))).toBe(hex(s.pairs[0].value!));
  });

  it('mix and match: a chunk of another checkpoint, with its entry and proof, fails the proof', async () => {
    const s = await sampleCheckpoint(samplePairs(300, 1));
    const other = await sampleCheckpoint(samplePairs(300, 2));
    const om = parseManifest(other.manifestBytes);
    const edited = await withManifest(s.source, (m) => {
      const foreign = om.chunks.find((c) => c.lo === m.chunks[0].lo)!;
      m.chunks[0] = { ...foreign, hi: m.chunks[0].hi, lo: m.chunks[0].lo };
      m.leaves = m.chunks.reduce((a, c) => a + c.leaves, 0);
    }, [other.source]);
    const mixed = { name: 'mixed', fetch: (p: string, o: { maxBytes: number }) => edited.fetch(p, o).catch(() => other.source.fetch(p, o)) };
    const err = await failure(verifyCheckpoint({ sources: [mixed], root: s.root }));
    expect(err).toBeInstanceOf(ChunkProofVerificationFailed);
    expect(err.chunk).toBe(0);
  });

  it('a manifest of another state is refused against this root; one that claims this root fails its proofs', async () => {
    const s = await sampleCheckpoint(samplePairs(300, 1));
    const other = await sampleCheckpoint(samplePairs(300, 2));
    expect(await failure(verifyCheckpoint({ sources: [other.source], root: s.root }))).toBeInstanceOf(RootMismatch);
    const liar = await withManifest(other.source, (m) => { m.root = s.root; });
    expect(await failure(verifyCheckpoint({ sources: [liar], root: s.root }))).toBeInstanceOf(ChunkProofVerificationFailed);
  });

  it('a chunk dropped from the table, its interval given to a neighbour, fails the proof', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    const dropped = await withManifest(s.source, (m) => {
      m.chunks[1].lo = m.chunks[0].lo;
      m.leaves -= m.chunks[0].leaves;
      m.chunks.shift();
    });
    const err = await failure(verifyCheckpoint({ sources: [dropped], root: s.root }));
    expect(err).toBeInstanceOf(ChunkProofVerificationFailed);
    expect(err.chunk).toBe(0);
  });

  it('gaps, overlaps and reordered tables: ManifestInvalid', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    for (const edit of [
      (m: Manifest) => { m.chunks[1].lo = m.chunks[2].lo; },
      (m: Manifest) => { m.chunks[2].lo = m.chunks[1].lo; },
      (m: Manifest) => { [m.chunks[1], m.chunks[2]] = [m.chunks[2], m.chunks[1]]; },
      (m: Manifest) => { m.chunks[0].size = 2 ** 50; },
    ]) {
      const err = await failure(verifyCheckpoint({ sources: [await withManifest(s.source, edit)], root: s.root }));
      expect(err).toBeInstanceOf(ManifestInvalid);
    }
  });

  it('a chunk whose bytes were re-encoded with an extra leaf fails even with a matching digest', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    const m = parseManifest(s.manifestBytes);
    const forged = encodeChunk([{ key: enc.encode('forged'), value: enc.encode('x') }]);
    const edited = await withManifest(s.source, (mm) => {
      mm.chunks[3] = { ...mm.chunks[3], digest: toHex(sha256(forged)), size: forged.length, leaves: 1 };
      mm.leaves = mm.chunks.reduce((a, c) => a + c.leaves, 0);
    });
    const withForged = { name: 'forger', fetch: (p: string, o: { maxBytes: number }) =>
      p === `chunks/${toHex(sha256(forged))}` ? Promise.resolve(forged) : edited.fetch(p, o) };
    const err = await failure(verifyCheckpoint({ sources: [withForged], root: s.root }));
    expect(err).toBeInstanceOf(ChunkProofVerificationFailed);
    expect(err.chunk).toBe(3);
    expect(m.chunks[3].leaves).toBeGreaterThan(0);
  });
});

describe('the Restorer', () => {
  it('resumes without refetching stored chunks', async () => {
    const s = await sampleCheckpoint(samplePairs(500));
    const m = parseManifest(s.manifestBytes);
    const target = memoryStore();
    let served = 0;
    const flaky = spySource(s.source, 'flaky', (path, bytes) => {
      if (path.startsWith('chunks/') && ++served > 4) throw new Error('connection lost');
      return bytes;
    });
    await failure(restoreCheckpoint({ sources: [flaky], root: s.root, store: target, concurrency: 1 }));
    const stored = new Set((await target.keys('chunks/')));
    expect(stored.size).toBe(4);
    const spy = spySource(s.source, 'again');
    const r = await restoreCheckpoint({ sources: [spy], root: s.root, store: target });
    expect(r.skipped).toBe(4);
    expect(r.fetched).toBe(m.chunks.length - 4);
    for (const path of spy.log) expect(stored.has(path), `refetched ${path}`).toBe(false);
    const view = await openCheckpoint(target);
    for (const p of s.pairs) expect(hex(await view.get(p.key))).toBe(hex(p.value!));
    expect(await target.keys('restore/')).toEqual([]);
  });

  it('drops a damaged chunk file it holds and fetches it again, blaming no source', async () => {
    const s = await sampleCheckpoint(samplePairs(500));
    const m = parseManifest(s.manifestBytes);
    const target = memoryStore();
    const partial = await failure(restoreCheckpoint({ sources: [spySource(s.source, 'flaky', (path, bytes) => {
      if (path === `chunks/${m.chunks[3].digest}`) throw new Error('connection lost');
      return bytes;
    })], root: s.root, store: target, concurrency: 1 }));
    expect(partial.message).toMatch(/connection lost/);
    // The disk flips a bit in a stored chunk, and a chunk of the next checkpoint lands damaged.
    const damaged = m.chunks[1].digest;
    const bytes = (await target.get(`chunks/${damaged}`))!;
    bytes[7] ^= 1;
    await target.put([[`chunks/${damaged}`, bytes]]);
    const spies = [spySource(s.source, 'a'), spySource(s.source, 'b')];
    const r = await restoreCheckpoint({ sources: spies, root: s.root, store: target });
    expect(r.badSources).toEqual([]);
    expect(spies.flatMap((x) => x.log)).toContain(`chunks/${damaged}`);
    const view = await openCheckpoint(target);
    for (const p of s.pairs) expect(hex(await view.get(p.key))).toBe(hex(p.value!));
  });

  it('finds a completed restore damaged and repairs it, fetching only what is damaged', async () => {
    const s = await sampleCheckpoint(samplePairs(500));
    const m = parseManifest(s.manifestBytes);
    const target = memoryStore();
    await restoreCheckpoint({ sources: [s.source], root: s.root, store: target });
    const intact = spySource(s.source, 'intact');
    expect((await restoreCheckpoint({ sources: [intact], root: s.root, store: target })).fetched).toBe(0);
    expect(intact.log.filter((p) => p !== 'manifest.json')).toEqual([]);
    const damaged = m.chunks[2].digest;
    const bytes = (await target.get(`chunks/${damaged}`))!;
    bytes[0] ^= 0x80;
    await target.put([[`chunks/${damaged}`, bytes]]);
    const err = await failure(verifyCheckpoint({ sources: [storeSource(target, 'restored')], root: s.root }));
    expect(err).toBeInstanceOf(ChunkCorrupted);
    expect(err.chunk).toBe(2);
    const spy = spySource(s.source, 'repair');
    const r = await restoreCheckpoint({ sources: [spy], root: s.root, store: target });
    expect(r.fetched).toBe(1);
    expect(spy.log.filter((p) => p.startsWith('chunks/'))).toEqual([`chunks/${damaged}`]);
    await verifyCheckpoint({ sources: [storeSource(target, 'restored')], root: s.root });
    expect(await target.keys('restore/')).toEqual([]);
  });

  it('status(store) reports nothing, an interrupted restore with the chunks it stored, then a complete one', async () => {
    const s = await sampleCheckpoint(samplePairs(300));
    const m = parseManifest(s.manifestBytes);
    const store = memoryStore();
    expect(await Restorer.status(store)).toBeUndefined();
    const restorer = new Restorer({ store });
    await restorer.startRestore(s.manifestBytes, s.root);
    expect(await Restorer.status(store)).toEqual({ manifest: m, complete: false, stored: [] });
    for (const i of [3, 1]) {
      const chunk = await s.source.fetch(`chunks/${m.chunks[i].digest}`, { maxBytes: 1 << 20 });
      const proof = await proofBytes((p) => s.source.fetch(p, { maxBytes: 1 << 20 }), m, i);
      await restorer.restoreChunk(i, chunk, proof);
    }
    expect(await Restorer.status(store)).toEqual({ manifest: m, complete: false, stored: [1, 3] });
    await restoreCheckpoint({ sources: [s.source], root: s.root, store });
    expect(await Restorer.status(store)).toEqual({ manifest: m, complete: true, stored: m.chunks.map((_, i) => i) });
  });

  it('keeps Oasis\' rules: one restore at a time, no chunk twice, abort clears', async () => {
    const a = await sampleCheckpoint(samplePairs(100, 1));
    const b = await sampleCheckpoint(samplePairs(100, 2));
    const store = memoryStore();
    const restorer = new Restorer({ store });
    await expect(restorer.restoreChunk(0, new Uint8Array(1), new Uint8Array(1))).rejects.toThrow(NoRestoreInProgress);
    const m = await restorer.startRestore(a.manifestBytes, a.root);
    await expect(new Restorer({ store }).startRestore(b.manifestBytes, b.root)).rejects.toThrow(RestoreAlreadyInProgress);
    await expect(restorer.startRestore(a.manifestBytes, b.root)).rejects.toThrow(RootMismatch);
    const chunk = await a.source.fetch(`chunks/${m.chunks[0].digest}`, { maxBytes: 1 << 20 });
    const proof = await proofBytes((p) => a.source.fetch(p, { maxBytes: 1 << 20 }), m, 0);
    expect(await restorer.restoreChunk(0, chunk, proof)).toBe(m.chunks.length === 1);
    await expect(restorer.restoreChunk(0, chunk, proof)).rejects.toThrow(ChunkAlreadyRestored);
    await expect(restorer.restoreChunk(1, chunk, proof)).rejects.toThrow(ChunkCorrupted);
    await restorer.abortRestore();
    expect(await store.keys('')).toEqual([]);
    await expect(restorer.abortRestore()).rejects.toThrow(NoRestoreInProgress);
    await new Restorer({ store }).startRestore(b.manifestBytes, b.root);
  });

  it('moving to a newer checkpoint fetches only the chunks that changed', async () => {
    const pairs = samplePairs(1500, 9);
    const v1 = await sampleCheckpoint(pairs, 4096, 1);
    const changed = pairs.slice();
    changed[10] = { key: pairs[10].key, value: enc.encode('changed') };
    const v2 = await sampleCheckpoint(changed, 4096, 2);
    const store = memoryStore();
    await restoreCheckpoint({ sources: [v1.source], root: v1.root, store });
    const spy = spySource(v2.source, 'v2');
    const r = await restoreCheckpoint({ sources: [spy], root: v2.root, store });
    const chunkFetches = spy.log.filter((p) => p.startsWith('chunks/'));
    expect(chunkFetches.length).toBeGreaterThanOrEqual(1);
    expect(chunkFetches.length).toBeLessThanOrEqual(2);
    expect(r.reused + r.skipped).toBe(parseManifest(v2.manifestBytes).chunks.length - chunkFetches.length);
    expect(hex(await (await openCheckpoint(store)).get(pairs[10].key))).toBe(hex(enc.encode('changed')));
  });
});
