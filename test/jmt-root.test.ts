import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import { RootBuilder, rootOfPairs, rootOfSortedLeaves, PLACEHOLDER_HASH, UnsortedLeaves } from '../src/index.js';
import upstream from './vectors/jmt/sha2_256_vectors.json';
import derived from './vectors/jmt/derived_vectors.json';
import { fromHex, hex, rng } from './helpers.js';
import { refCompare, refLeafHash, refRoot, refSha256, refSubtree, type RefLeaf } from './jmt-reference.js';
import { packLeaves, randomLeaves } from './jmt-fixtures.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('JMT roots match the upstream and derived vectors', () => {
  it.each(upstream.vectors.map((v, i) => [i, v] as const))('upstream vector %i', (_, v) => {
    const pairs = v.data.map((d) => ({ key: fromHex(d.key), value: fromHex(d.value) }));
    expect(hex(rootOfPairs(pairs))).toBe(v.expected_root);
    expect(hex(refRoot(pairs))).toBe(v.expected_root);
  });

  it.each(derived.map((v) => [v.set, v] as const))('derived set %s', (_, v) => {
    const pairs = v.pairs.map(([k, val]) => ({ key: utf8(k), value: utf8(val) }));
    expect(hex(rootOfPairs(pairs))).toBe(v.root);
    expect(hex(refRoot(pairs))).toBe(v.root);
  });

  it('the empty tree is the placeholder', () => {
    expect(hex(rootOfPairs([]))).toBe(hex(PLACEHOLDER_HASH));
    expect(hex(new RootBuilder().finish())).toBe('5350415253455f4d45524b4c455f504c414345484f4c4445525f484153485f5f');
  });
});

describe.each<BackendKind>(['wasm-simd', 'wasm-scalar', 'js'])('the %s core', (kind) => {
  const core = createBackendSync({ backend: kind });

  function streamRoot(leaves: RefLeaf[], split = 1000): string {
    const s = core.jmt.rootStream(0);
    const packed = packLeaves(leaves);
    for (let at = 0; at < leaves.length; at += split) {
      expect(s.feed(packed.subarray(at * 64, Math.min(leaves.length, at + split) * 64))).toBe(0);
    }
    return hex(s.finish());
  }

  it('agrees with the recursive reference on random sets, including long shared prefixes', () => {
    const r = rng(kind.length * 7919);
    const sizes = kind === 'js' ? [0, 1, 2, 3, 5, 17, 100, 600] : [0, 1, 2, 3, 4, 5, 9, 17, 64, 100, 333, 2000];
    for (const n of sizes) {
      for (const shared of [0, 2, 8, 31]) {
        const leaves = randomLeaves(r, n, shared);
        const want = hex(refSubtree(leaves, 0));
        expect(streamRoot(leaves, 1 + r.int(n + 1)), `n=${n} shared=${shared}`).toBe(want);
      }
    }
  });

  it('hashes leaves and internal nodes like the reference', () => {
    const r = rng(42);
    const leaves = randomLeaves(r, 9);
    const got = core.jmt.leafHashes(packLeaves(leaves));
    leaves.forEach((l, i) => expect(hex(got.subarray(i * 32, i * 32 + 32))).toBe(hex(refLeafHash(l))));
  });

  it('computes subtree roots at a base depth', () => {
    const r = rng(5);
    const leaves = randomLeaves(r, 200).filter((l) => (l.keyHash[0] & 0xe0) === 0x60);
    const s = core.jmt.rootStream(3);
    expect(s.feed(packLeaves(leaves))).toBe(0);
    expect(hex(s.finish())).toBe(hex(refSubtree(leaves, 3)));
  });

  it('rejects leaves out of order, naming the index', () => {
    const r = rng(8);
    const leaves = randomLeaves(r, 50);
    [leaves[20], leaves[21]] = [leaves[21], leaves[20]];
    const s = core.jmt.rootStream(0);
    expect(s.feed(packLeaves(leaves))).toBeLessThan(0);
    expect(s.errorIndex).toBe(21);
  });
});

/** Keys whose SHA-256 share at least `bytes` leading bytes, found by a birthday search. */
export function keysWithSharedHashPrefixes(tries: number, bytes: number): Uint8Array[][] {
  const groups = new Map<string, Uint8Array[]>();
  for (let i = 0; i < tries; i++) {
    const key = utf8(`key-${i}`);
    const id = hex(refSha256(key).subarray(0, bytes));
    const g = groups.get(id);
    if (g) g.push(key);
    else groups.set(id, [key]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

describe('roots of real keys', () => {
  const collisions = keysWithSharedHashPrefixes(1 << 16, 3);

  it('the search finds keys whose hashes share 24 or more leading bits', () => {
    expect(collisions.length).toBeGreaterThan(20);
  });

  it('agree with the reference on 2,000 random sets mixing keys with shared 24-bit prefixes', () => {
    const r = rng(2024);
    for (let t = 0; t < 2000; t++) {
      const pairs: Array<{ key: Uint8Array; value: Uint8Array | null }> = [];
      const n = r.int(t < 100 ? 3 : 40);
      for (let i = 0; i < n; i++) {
        const g = collisions[r.int(collisions.length)];
        const key = r.int(2) === 0 ? g[r.int(g.length)] : r.bytes(1 + r.int(12));
        pairs.push({ key, value: r.int(10) === 0 ? null : r.bytes(r.int(50)) });
      }
      expect(hex(rootOfPairs(pairs)), `set ${t}`).toBe(hex(refRoot(pairs)));
    }
  });
});

describe('the public root API', () => {
  it('sorted-leaf builder, packed leaves and unsorted pairs give the same root', () => {
    const r = rng(99);
    const pairs = Array.from({ length: 3000 }, () => ({ key: r.bytes(8 + r.int(40)), value: r.bytes(r.int(200)) }));
    const want = hex(refRoot(pairs));
    expect(hex(rootOfPairs(pairs))).toBe(want);
    const leaves = pairs.map((p) => ({ keyHash: refSha256(p.key), valueHash: refSha256(p.value) }))
      .sort((a, b) => refCompare(a.keyHash, b.keyHash));
    expect(hex(rootOfSortedLeaves(leaves))).toBe(want);
    expect(hex(new RootBuilder().addPacked(packLeaves(leaves)).finish())).toBe(want);
  });

  it('a later pair for a key wins and null deletes', () => {
    const r = rng(3);
    const pairs: Array<{ key: Uint8Array; value: Uint8Array | null }> = [];
    const keys = Array.from({ length: 300 }, () => r.bytes(8));
    for (let i = 0; i < 2000; i++) pairs.push({ key: keys[r.int(keys.length)], value: r.int(4) === 0 ? null : r.bytes(10) });
    expect(hex(rootOfPairs(pairs))).toBe(hex(refRoot(pairs)));
  });

  it('throws UnsortedLeaves with the index of a duplicate', () => {
    const r = rng(4);
    const leaves = randomLeaves(r, 10);
    const b = new RootBuilder();
    leaves.forEach((l) => b.add(l.keyHash, l.valueHash));
    b.add(leaves[9].keyHash, leaves[9].valueHash);
    expect(() => b.finish()).toThrow(UnsortedLeaves);
  });
});
