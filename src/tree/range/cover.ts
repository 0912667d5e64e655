// Chunk covers: a chunk's leaves summed up by the hashes of the largest subtrees that hold only
// its leaves — its first and last leaf, and between them the maximal subtrees inside
// (first, last), O(depth) of them. A subtree's hash depends only on the leaves under it, so a
// chunk's cover stays true for as long as its leaves do, wherever its neighbours move; the root
// and every chunk's range proof follow from the covers of all chunks (coverProofs), without a
// leaf of any chunk. Applying a changeset (src/checkpoint/rechunk.ts) keeps them per chunk file,
// so a height costs the changed chunks' leaves plus O(chunks × depth), not a pass over the state.
import { PLACEHOLDER_HASH, bitAt, internalHash, leafHash, type Leaf } from '../hash.js';
import { backend } from '../../core/load.js';
import { UnsortedLeaves } from '../../errors.js';
import type { WatchedPath } from '../watched-paths.js';
import { chunkRanges, type ChunkRange } from './builder.js';
import { firstAtLeast } from '../../search.js';

/** A subtree holding only leaves of one chunk. */
export interface CoverNode {
  /** Depth of the subtree's root: its prefix is the first `depth` bits of `key`. */
  depth: number;
  /** The key hash of its first leaf. */
  key: Uint8Array;
  /** Leaves under it (a subtree of one leaf has that leaf's hash). */
  count: number;
  hash: Uint8Array;
}

export interface ChunkCover {
  leaves: number;
  /** The chunk's first and last leaves (one leaf for a one-leaf chunk, none for the empty tree's chunk). */
  first?: Leaf;
  last?: Leaf;
  /** The maximal subtrees strictly between first and last, in key order. */
  inner: CoverNode[];
  /**
   * Every subtree of more than CACHED_ABOVE leaves within the inner ones (those included), and
   * the children of those and inner subtrees of 2 to CACHED_ABOVE leaves, in pre-order: when a
   * change falls in the chunk, only the subtrees on its path are hashed again (the smallest from
   * its at most CACHED_ABOVE leaves).
   */
  cache: CoverNode[];
}

/** Subtrees of more leaves than this are split when hashed and kept in a cover's cache with their children; smaller ones are hashed from their leaves. */
export const CACHED_ABOVE = 64;

/**
 * The known subtree at `depth` holding exactly leaves [start, end) of the chunk being covered, if
 * those leaves are unchanged since it was known: the subtree first, then its cached descendants,
 * in pre-order (for a subtree of at most CACHED_ABOVE leaves, which is not cached, only its hash
 * is used).
 */
export type KnownSubtree = (depth: number, start: number, end: number) => CoverNode[] | undefined;

/** Index of the first bit where key hash `a` and `b` (the one at `b[at]`) differ (256 when equal). */
function commonPrefix(a: Uint8Array, b: Uint8Array, at = 0): number {
  for (let i = 0; i < 32; i++) {
    const x = a[i] ^ b[at + i];
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return 256;
}

/**
 * The first of the sorted keys [start, end) (sharing their bits above `depth`) whose bit `depth`
 * is 1; `bit(i, depth)` reads key i's bit (no view per probe: this runs on every split).
 */
function splitAt(bit: (i: number, depth: number) => number, depth: number, start: number, end: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bit(mid, depth) === 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The hash of the subtree at `depth` holding `packed` leaves (n × 64 bytes, sorted). */
function subtreeHash(depth: number, packed: Uint8Array): Uint8Array {
  // The core's stream directly: a LeafStream's per-leaf buffers are not needed for packed leaves.
  const stream = backend().jmt.rootStream(depth);
  if (stream.feed(packed) !== 0) throw new UnsortedLeaves(stream.errorIndex);
  return stream.finish();
}

/**
 * A chunk's leaves without an object per leaf: leaf i's key hash is `bytes[i × stride, + 32)` and
 * its value hash the 32 bytes after it (stride 68 is the leaf-hash index's record, 64 bare pairs).
 */
export interface LeafRecords {
  bytes: Uint8Array;
  count: number;
  stride: number;
}

/** Leaf objects as records (stride 64). */
export function leafRecords(leaves: readonly Leaf[]): LeafRecords {
  const bytes = new Uint8Array(leaves.length * 64);
  leaves.forEach((l, i) => {
    bytes.set(l.keyHash, i * 64);
    bytes.set(l.valueHash, i * 64 + 32);
  });
  return { bytes, count: leaves.length, stride: 64 };
}

/**
 * The cover of a chunk's leaves (strictly increasing key hash). Subtrees `known` answers for are
 * not hashed again.
 */
export function coverOf(leaves: LeafRecords, known?: KnownSubtree): ChunkCover {
  const { bytes, count: n, stride } = leaves;
  if (n === 0) return { leaves: 0, inner: [], cache: [] };
  // Copies, so a cover kept for the whole height does not hold its chunk's records alive.
  const keyHash = (i: number) => bytes.slice(i * stride, i * stride + 32);
  const leafAt = (i: number): Leaf => ({ keyHash: keyHash(i), valueHash: bytes.slice(i * stride + 32, i * stride + 64) });
  const first = leafAt(0);
  const last = n > 1 ? leafAt(n - 1) : first;
  const inner: CoverNode[] = [];
  const cache: CoverNode[] = [];
  if (n > 2) {
    // Leaves [s, e) as the core hashes them (key hash ‖ value hash, back to back), gathered only
    // for the small subtrees actually hashed: with a cover's cache, most leaves of a changed chunk are not.
    const scratch = stride === 64 ? undefined : new Uint8Array(CACHED_ABOVE * 64);
    const packedRun = (s: number, e: number): Uint8Array => {
      if (!scratch) return bytes.subarray(s * 64, e * 64);
      for (let i = s; i < e; i++) scratch.set(bytes.subarray(i * stride, i * stride + 64), (i - s) * 64);
      return scratch.subarray(0, (e - s) * 64);
    };
    const keyView = (i: number) => bytes.subarray(i * stride, i * stride + 32);
    const bitOf = (i: number, depth: number) => bitAt(bytes, depth, i * stride);
    // The hash of the subtree at `depth` holding leaves [s, e): small ones from their leaves,
    // large ones from their halves (and cached), unless known.
    const hashRun = (depth: number, s: number, e: number): Uint8Array => {
      if (e - s === 1) return leafHash(keyView(s), bytes.subarray(s * stride + 32, s * stride + 64));
      const reused = known?.(depth, s, e);
      if (e - s <= CACHED_ABOVE) {
        // Kept too (a child of a larger cached subtree, or an inner one): when a change falls
        // beside it, it is not hashed again from its leaves.
        const node = reused?.[0] ?? { depth, key: keyHash(s), count: e - s, hash: subtreeHash(depth, packedRun(s, e)) };
        cache.push(node);
        return node.hash;
      }
      if (reused) {
        for (const node of reused) cache.push(node);
        return reused[0].hash;
      }
      const at = cache.length;
      cache.push(undefined as unknown as CoverNode);
      const m = splitAt(bitOf, depth, s, e);
      const left = m > s ? hashRun(depth + 1, s, m) : PLACEHOLDER_HASH;
      const right = m < e ? hashRun(depth + 1, m, e) : PLACEHOLDER_HASH;
      const hash = internalHash(left, right);
      cache[at] = { depth, key: keyHash(s), count: e - s, hash };
      return hash;
    };
    // Between first and last (which part at bit `split`), a leaf on first's side lies in the
    // subtree where it leaves first's path, one level below their common prefix; on last's side
    // likewise. Walking down each path, each such subtree is a run found by binary search: a
    // chunk costs O(depth × log leaves) here, not a pass over its leaves.
    const split = commonPrefix(first.keyHash, last.keyHash);
    const m = splitAt(bitOf, split, 0, n);
    const subtree = (depth: number, s: number, e: number) => inner.push({ depth, key: keyHash(s), count: e - s, hash: hashRun(depth, s, e) });
    // First's side: leaves [0, e) share first's first d bits; those with bit d set leave its path
    // there (none when first's bit is set: it is the least). Found top down, hashed in key order
    // (the cache stays in pre-order).
    const runs: number[] = [];
    for (let d = split + 1, e = m; e > 1; d++) {
      const k = splitAt(bitOf, d, 0, e);
      if (k > 0) {
        if (k < e) runs.push(d + 1, k, e);
        e = k;
      }
    }
    for (let r = runs.length - 3; r >= 0; r -= 3) subtree(runs[r], runs[r + 1], runs[r + 2]);
    // Last's side: leaves [s, n) share last's first d bits; those with bit d clear leave its path
    // there (none when last's bit is clear).
    for (let d = split + 1, s = m; s < n - 1; d++) {
      const k = splitAt(bitOf, d, s, n);
      if (k < n) {
        if (k > s) subtree(d + 1, s, k);
        s = k;
      }
    }
  }
  return { leaves: n, first, last, inner, cache };
}

/** The subtree of cache[i] within `cache` (pre-order): it and the entries under its prefix that follow. */
export function cachedSubtree(cache: readonly CoverNode[], i: number): CoverNode[] {
  const top = cache[i];
  // Pre-order is key order: the entries under top's prefix are one run, found by binary search.
  let lo = i + 1;
  let hi = cache.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cache[mid].depth > top.depth && commonPrefix(cache[mid].key, top.key) >= top.depth) lo = mid + 1;
    else hi = mid;
  }
  return cache.slice(i, lo);
}

interface Item {
  depth: number;
  key: Uint8Array;
  count: number;
  hash: Uint8Array;
}

/** The root of the tree whose chunks (in key order) have these covers. */
export function coverRoot(covers: readonly ChunkCover[]): Uint8Array {
  return coverProofs(covers, false).root;
}

/**
 * The root of the tree whose chunks (in key order) have these covers, and each chunk's range
 * and range proof: the same as a RangeProofBuilder fed every leaf and cut at the same chunks
 * (none unless `withProofs`).
 */
export function coverProofs(covers: readonly ChunkCover[], withProofs = true): { root: Uint8Array; chunks: ChunkRange[] } {
  const items: Item[] = [];
  /** Item index of each non-final chunk's last leaf, and its proof path. */
  const watched: number[] = [];
  const ends: WatchedPath[] = [];
  let total = 0;
  for (const [c, cover] of covers.entries()) {
    if (!cover.first || !cover.last) continue;
    const leaf = (l: Leaf): Item => ({ depth: 256, key: l.keyHash, count: 1, hash: leafHash(l.keyHash, l.valueHash) });
    items.push(leaf(cover.first));
    for (const node of cover.inner) items.push(node);
    if (cover.leaves > 1) items.push(leaf(cover.last));
    total += cover.leaves;
    if (withProofs && c < covers.length - 1) {
      watched.push(items.length - 1);
      ends.push({ index: total - 1, leaf: cover.last, siblings: [] });
    }
  }

  // The tree above the items is laid out first and hashed after, one batch per level (a tree of
  // thousands of chunks has ~25 items per chunk: one core call per node was most of a height).
  // A node's hash is a ref: an internal node (≥ 0), the placeholder (-1) or item i (-2 - i).
  const lefts: number[] = [];
  const rights: number[] = [];
  const levels: number[] = [];
  const sibRefs: number[][] = ends.map(() => []);
  const ownRefs: number[][] = ends.map(() => []);
  const levelOf = (ref: number) => (ref >= 0 ? levels[ref] : 0);
  const node = (depth: number, i: number, j: number): number => {
    if (i === j) return -1;
    if (j - i === 1 && (items[i].count === 1 || items[i].depth === depth)) return -2 - i;
    if (depth >= 256 || items[i].depth <= depth) throw new Error('chunk covers overlap');
    const m = splitAt((k, d) => bitAt(items[k].key, d), depth, i, j);
    const left = node(depth + 1, i, m);
    const right = node(depth + 1, m, j);
    for (let w = firstAtLeast(watched, i); w < watched.length && watched[w] < j; w++) {
      sibRefs[w].push(watched[w] < m ? right : left);
      ownRefs[w].push(watched[w] < m ? left : right);
    }
    lefts.push(left);
    rights.push(right);
    levels.push(1 + Math.max(levelOf(left), levelOf(right)));
    return lefts.length - 1;
  };
  const top = node(0, 0, items.length);

  const hashes: Uint8Array[] = new Array(lefts.length);
  const hashOf = (ref: number): Uint8Array => (ref >= 0 ? hashes[ref] : ref === -1 ? PLACEHOLDER_HASH : items[-2 - ref].hash);
  const byLevel: number[][] = [];
  levels.forEach((level, k) => (byLevel[level] ??= []).push(k));
  for (const nodes of byLevel) {
    if (!nodes) continue;
    const pairs = new Uint8Array(nodes.length * 64);
    nodes.forEach((k, n) => {
      pairs.set(hashOf(lefts[k]), n * 64);
      pairs.set(hashOf(rights[k]), n * 64 + 32);
    });
    const out = backend().jmt.internalHashes(pairs);
    nodes.forEach((k, n) => { hashes[k] = out.subarray(n * 32, n * 32 + 32); });
  }
  ends.forEach((end, w) => {
    end.siblings = sibRefs[w].map(hashOf);
    end.hashes = ownRefs[w].map(hashOf);
  });
  const root = hashOf(top);
  const final = covers.at(-1)?.last ?? null;
  return { root, chunks: withProofs ? chunkRanges(ends, final, total) : [] };
}
