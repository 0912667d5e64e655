// Chunk covers: each cover node is exactly the subtree of its leaves, and the root and range
// proofs computed from covers alone are the reference's, for any cut of any leaf set.
import { describe, expect, it } from 'vitest';
import { CACHED_ABOVE, cachedSubtree, coverOf, coverProofs, leafRecords, type ChunkCover } from '../src/tree/range/cover.js';
import { RangeProofBuilder } from '../src/tree/range/builder.js';
import { PLACEHOLDER, refBig, refBit, refCompare, refRangeProof, refSubtree, type RefLeaf } from './jmt-reference.js';
import { hex, rng } from './helpers.js';

const MAX = (1n << 256n) - 1n;

/** Sorted distinct leaves; with `clustered`, many share long key-hash prefixes (deep subtrees, long boundary paths). */
function randomLeaves(r: ReturnType<typeof rng>, n: number, clustered: boolean): RefLeaf[] {
  const out = new Map<string, RefLeaf>();
  const base = r.bytes(32);
  while (out.size < n) {
    const near = clustered && r.int(2) === 1;
    const keyHash = near ? base.slice() : r.bytes(32);
    for (let flips = near ? 1 + r.int(3) : 0; flips > 0; flips--) {
      const bit = 8 + r.int(248);
      keyHash[bit >> 3] ^= 0x80 >> (bit & 7);
    }
    out.set(hex(keyHash), { keyHash, valueHash: r.bytes(32) });
  }
  return [...out.values()].sort((a, b) => refCompare(a.keyHash, b.keyHash));
}

/** Random cuts of `leaves` into non-empty runs, many of one or two leaves. */
function randomChunks(r: ReturnType<typeof rng>, leaves: RefLeaf[]): RefLeaf[][] {
  const chunks: RefLeaf[][] = [];
  for (let at = 0; at < leaves.length;) {
    const size = 1 + (r.int(3) === 0 ? r.int(2) : r.int(40));
    chunks.push(leaves.slice(at, at + size));
    at += size;
  }
  return chunks;
}

describe('chunk covers', () => {
  for (const [seed, n, clustered] of [[1, 300, false], [2, 200, true], [3, 2, false], [4, 1, false], [5, 90, true]] as const) {
    it(`root and every range proof from covers equal the reference (seed ${seed}, ${n} leaves${clustered ? ', shared prefixes' : ''})`, () => {
      const r = rng(seed);
      const leaves = randomLeaves(r, n, clustered);
      for (let round = 0; round < 4; round++) {
        const chunks = randomChunks(r, leaves);
        const { root, chunks: ranges } = coverProofs(chunks.map((c) => coverOf(leafRecords(c))));
        expect(hex(root)).toBe(hex(refSubtree(leaves, 0)));
        expect(ranges).toHaveLength(chunks.length);
        chunks.forEach((chunk, i) => {
          const lo = i === 0 ? 0n : refBig(chunks[i - 1].at(-1)!.keyHash) + 1n;
          const hi = i === chunks.length - 1 ? MAX : refBig(chunk.at(-1)!.keyHash);
          expect(refBig(ranges[i].lo)).toBe(lo);
          expect(refBig(ranges[i].hi)).toBe(hi);
          expect(hex(ranges[i].proof), `chunk ${i}`).toBe(hex(refRangeProof(leaves, lo, hi)));
        });
        // The same as the one-pass builder fed every leaf.
        const builder = new RangeProofBuilder();
        chunks.forEach((chunk, i) => {
          for (const l of chunk) builder.add(l.keyHash, l.valueHash);
          if (i < chunks.length - 1) builder.endChunk();
        });
        expect(builder.finish().chunks.map((c) => hex(c.proof))).toEqual(ranges.map((c) => hex(c.proof)));
      }
    });
  }

  it('each cover node is the whole subtree of its prefix, holding only leaves strictly inside the chunk', () => {
    const r = rng(9);
    const leaves = randomLeaves(r, 400, true);
    for (const chunk of randomChunks(r, leaves)) {
      const cover = coverOf(leafRecords(chunk));
      expect(cover.leaves).toBe(chunk.length);
      expect(hex(cover.first!.keyHash)).toBe(hex(chunk[0].keyHash));
      expect(hex(cover.last!.keyHash)).toBe(hex(chunk.at(-1)!.keyHash));
      let covered = 0;
      for (const node of cover.inner) {
        const under = leaves.filter((l) => Array.from({ length: node.depth }, (_, b) => refBit(l.keyHash, b) === refBit(node.key, b)).every(Boolean));
        expect(under.length).toBe(node.count);
        expect(under.every((l) => chunk.slice(1, -1).includes(l))).toBe(true);
        expect(hex(node.hash)).toBe(hex(refSubtree(under, node.depth)));
        covered += node.count;
      }
      expect(covered).toBe(Math.max(0, chunk.length - 2));
    }
  });

  it('the cache holds every subtree of more than CACHED_ABOVE leaves inside the cover and their children, each the reference subtree', () => {
    const r = rng(10);
    const leaves = randomLeaves(r, 3000, false);
    const cover = coverOf(leafRecords(leaves));
    const under = (node: { depth: number; key: Uint8Array }) => leaves.filter((l) => Array.from({ length: node.depth }, (_, b) => refBit(l.keyHash, b) === refBit(node.key, b)).every(Boolean));
    expect(cover.cache.length).toBeGreaterThan(3000 / CACHED_ABOVE / 2);
    const cached = (node: { depth: number; key: Uint8Array }) => cover.cache.some((c) => c.depth === node.depth && hex(c.key) === hex(node.key));
    for (const node of cover.cache) {
      const set = under(node);
      expect(set.length).toBe(node.count);
      expect(hex(node.hash)).toBe(hex(refSubtree(set, node.depth)));
      if (node.count <= CACHED_ABOVE) continue;
      // A large subtree's children (those holding two leaves or more) are cached too.
      const bit = (l: { keyHash: Uint8Array }) => refBit(l.keyHash, node.depth);
      for (const side of [0, 1]) {
        const child = set.filter((l) => bit(l) === side);
        if (child.length > 1) expect(cached({ depth: node.depth + 1, key: child[0].keyHash })).toBe(true);
      }
    }
    expect(cover.cache.some((n) => n.count <= CACHED_ABOVE)).toBe(true);
    for (const node of cover.inner.filter((n) => n.count > 1)) expect(cached(node)).toBe(true);
  });

  it('a cover computed with unchanged subtrees taken from the old cover equals one computed from scratch', () => {
    const r = rng(12);
    let leaves = randomLeaves(r, 2500, true).map((l) => ({ ...l, old: true }));
    let cover: ChunkCover = coverOf(leafRecords(leaves));
    for (let round = 0; round < 6; round++) {
      // Change a few values, delete a few leaves, add a few (kept inside first..last).
      const next = leaves.map((l) => (r.int(400) === 0 ? { ...l, valueHash: r.bytes(32), old: false } : l)).filter((_, i) => i === 0 || i === leaves.length - 1 || r.int(500) !== 0);
      for (const extra of randomLeaves(r, 3, false)) {
        if (refCompare(extra.keyHash, next[0].keyHash) > 0 && refCompare(extra.keyHash, next.at(-1)!.keyHash) < 0) next.push({ ...extra, old: false });
      }
      next.sort((a, b) => refCompare(a.keyHash, b.keyHash));
      const index = new Map(cover.cache.map((n, i) => [`${n.depth}:${hex(n.key)}`, i]));
      const oldCache = cover.cache;
      let reused = 0;
      const incremental = coverOf(leafRecords(next), (depth, s, e) => {
        if (next.slice(s, e).some((l) => !l.old)) return undefined;
        const i = index.get(`${depth}:${hex(next[s].keyHash)}`);
        if (i === undefined || oldCache[i].count !== e - s) return undefined;
        reused++;
        return cachedSubtree(oldCache, i);
      });
      const fresh = coverOf(leafRecords(next));
      const show = (c: ChunkCover) => [...c.inner, ...c.cache].map((n) => `${n.depth}:${hex(n.key)}:${n.count}:${hex(n.hash)}`);
      expect(show(incremental)).toEqual(show(fresh));
      expect(reused).toBeGreaterThan(0);
      leaves = next.map((l) => ({ ...l, old: true }));
      cover = incremental;
    }
  });

  it('the empty tree: one empty chunk over the whole key space', () => {
    const { root, chunks } = coverProofs([coverOf(leafRecords([]))]);
    expect(hex(root)).toBe(hex(PLACEHOLDER));
    expect(chunks).toHaveLength(1);
    expect(hex(chunks[0].proof)).toBe(hex(refRangeProof([], 0n, MAX)));
  });
});
