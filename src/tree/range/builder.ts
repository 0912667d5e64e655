// Building range proofs (DESIGN.md "The commitment"; encoding in docs/FORMAT.md): a chunk of
// leaves in key-hash order with its interval [lo, hi] is proven to be exactly the tree's leaves
// in that interval, against the root alone, in any order, without the other chunks.
//
// Chunks tile the key space (./key-space.ts): a chunk ends at its last leaf's key hash, except
// the last chunk, which ends at MAX_KEY_HASH.
import { InvalidArgument } from '../../errors.js';
import { assertBytes, assertInteger } from '../../assert.js';
import { assertHash, bitAt, internalHash, leafHash, type Leaf } from '../hash.js';
import { LeafStream } from '../leaf-stream.js';
import { WatchedPaths, type WatchedPath } from '../watched-paths.js';
import { RANGE_PROOF_FORMAT_VERSION, TAG_INTERNAL, TAG_LEAF_INSIDE, TAG_LEAF_OUTSIDE } from './encoding.js';
import { MAX_KEY_HASH, MIN_KEY_HASH, nextKeyHash } from './key-space.js';
import { compareBytes } from '../../bytes.js';

/** One chunk of a RangeProofBuilder: its leaves are [first, first + count) in feed order. */
export interface ChunkRange {
  index: number;
  first: number;
  count: number;
  lo: Uint8Array;
  hi: Uint8Array;
  proof: Uint8Array;
}

/**
 * Computes the root of leaves fed in key-hash order and one range proof per chunk, in one pass.
 * Memory: the root engine's stack plus one boundary path per chunk (O(depth × chunks)); never
 * the leaves.
 */
export class RangeProofBuilder {
  private readonly paths = new WatchedPaths();
  private readonly stream = new LeafStream(0, this.paths.onEvents);
  /** The last leaf of each ended chunk, with its proof path. */
  private readonly ends: WatchedPath[] = [];
  private lastLeaf: Leaf | null = null;

  /** Adds the next leaf (strictly increasing key hash). */
  add(keyHash: Uint8Array, valueHash: Uint8Array): this {
    assertHash(keyHash, 'keyHash');
    assertHash(valueHash, 'valueHash');
    this.stream.add(keyHash, valueHash);
    this.lastLeaf = { keyHash, valueHash };
    return this;
  }

  /**
   * Adds leaves [from, to) of `leaves`, packed: keyHash ‖ valueHash, 64 bytes each (strictly
   * increasing key hash) — what add() does for each, without an object per leaf.
   */
  addPacked(leaves: Uint8Array, from = 0, to = leaves.length >>> 6): this {
    assertBytes(leaves, 'leaves');
    if (leaves.length % 64 !== 0) throw new InvalidArgument(`leaves must be 64 bytes per leaf, got ${leaves.length} bytes`);
    assertInteger(from, 'from', 0, leaves.length >>> 6);
    assertInteger(to, 'to', from, leaves.length >>> 6);
    if (to === from) return this;
    this.stream.addRange(leaves, from, to);
    this.lastLeaf = { keyHash: leaves.subarray((to - 1) * 64, (to - 1) * 64 + 32), valueHash: leaves.subarray((to - 1) * 64 + 32, to * 64) };
    return this;
  }

  /** Ends the current chunk after the last added leaf; its interval ends at that leaf's key hash. */
  endChunk(): this {
    const last = this.ends.at(-1)?.index ?? -1;
    if (!this.lastLeaf || last === this.stream.count - 1) throw new InvalidArgument('endChunk(): the chunk has no leaves');
    this.stream.watchLast();
    this.ends.push(this.paths.watch(this.stream.count - 1, this.lastLeaf.keyHash, this.lastLeaf.valueHash));
    return this;
  }

  /** Leaves added so far. */
  get count(): number {
    return this.stream.count;
  }

  /**
   * The root and the chunks. Leaves after the last endChunk() form a final chunk; the last
   * chunk always extends to the end of the key space. An empty tree has one empty chunk.
   */
  finish(): { root: Uint8Array; chunks: ChunkRange[] } {
    const root = this.stream.finish();
    return { root, chunks: chunkRanges(this.ends, this.lastLeaf, this.stream.count) };
  }
}

/**
 * The chunks of a tree of `total` leaves cut after the leaves of `ended` (their proof paths, in
 * order, none the last leaf), the final chunk ending with `lastLeaf`: intervals and range proofs.
 */
export function chunkRanges(ended: readonly WatchedPath[], lastLeaf: Leaf | null, total: number): ChunkRange[] {
  if (total === 0) {
    return [{ index: 0, first: 0, count: 0, lo: MIN_KEY_HASH, hi: MAX_KEY_HASH, proof: encodeRangeProof(MIN_KEY_HASH, MAX_KEY_HASH, []) }];
  }
  const ends = ended.slice();
  if (ends.length === 0 || ends.at(-1)!.index < total - 1) ends.push({ index: total - 1, leaf: lastLeaf!, siblings: [] });
  return ends.map((end, i): ChunkRange => {
    const prev = i > 0 ? ends[i - 1] : null;
    const isLast = i === ends.length - 1;
    const lo = prev ? nextKeyHash(prev.leaf.keyHash) : MIN_KEY_HASH;
    const hi = isLast ? MAX_KEY_HASH : end.leaf.keyHash;
    const first = prev ? prev.index + 1 : 0;
    const boundary = [prev, isLast ? null : end].filter((p): p is WatchedPath => p !== null);
    return { index: i, first, count: end.index + 1 - first, lo, hi, proof: encodeRangeProof(lo, hi, boundary) };
  });
}

/**
 * Encodes the pruned tree of [lo, hi] from the proof paths of the leaves next to its two
 * boundaries (the previous chunk's last leaf and this chunk's last leaf): every node that
 * straddles a boundary lies on one of those paths, and the nodes hanging off them are either
 * wholly outside (their hash is the path's sibling) or wholly inside (rebuilt by the verifier).
 */
function encodeRangeProof(lo: Uint8Array, hi: Uint8Array, boundary: WatchedPath[]): Uint8Array {
  let out = new Uint8Array(1024);
  let length = 0;
  const reserve = (n: number) => {
    if (length + n <= out.length) return;
    const grown = new Uint8Array(Math.max(out.length * 2, length + n));
    grown.set(out.subarray(0, length));
    out = grown;
  };
  const byte = (b: number) => {
    reserve(1);
    out[length++] = b;
  };
  const push = (bytes: Uint8Array) => {
    reserve(bytes.length);
    out.set(bytes, length);
    length += bytes.length;
  };
  const siblingAt = (p: WatchedPath, depth: number) => p.siblings[p.siblings.length - 1 - depth];
  const hashAt = (p: WatchedPath, depth: number): Uint8Array => {
    if (p.hashes && depth > 0) return p.hashes[p.siblings.length - depth];
    let h = leafHash(p.leaf.keyHash, p.leaf.valueHash);
    for (let d = p.siblings.length - 1; d >= depth; d--) {
      h = bitAt(p.leaf.keyHash, d) ? internalHash(siblingAt(p, d), h) : internalHash(h, siblingAt(p, d));
    }
    return h;
  };
  // Intervals by prefix, not as 256-bit integers: a node at `depth` holds the key hashes that
  // share its first `depth` bits. `vsLo` / `vsHi` compare that prefix with lo's / hi's first
  // `depth` bits; the node starts at or after lo when its prefix is greater, or equal and lo has
  // no 1 bit from `depth` on (lo ends at `loEnd`); it ends at or before hi likewise with 0 bits.
  const lastBit = (h: Uint8Array, one: number): number => {
    for (let i = 255; i >= 0; i--) if (bitAt(h, i) === one) return i;
    return -1;
  };
  const loEnd = lastBit(lo, 1);
  const hiEnd = lastBit(hi, 0);
  // The boundary paths on a node are a bit mask over `boundary` (at most two paths): no array per node.
  const first = (mask: number) => boundary[mask & 1 ? 0 : 1];
  const visit = (depth: number, vsLo: number, vsHi: number, onPath: number, hash: Uint8Array | null): void => {
    if (vsLo < 0 || vsHi > 0) {
      push(hash ?? hashAt(first(onPath), depth));
      return;
    }
    const fromLo = vsLo > 0 || loEnd < depth;
    const toHi = vsHi < 0 || hiEnd < depth;
    if (fromLo && toHi) return;
    if (onPath === 0) throw new Error('range proof: a node straddling the interval is off the boundary paths');
    const p = first(onPath);
    if (depth === p.siblings.length) {
      const k = p.leaf.keyHash;
      if (compareBytes(k, lo) >= 0 && compareBytes(k, hi) <= 0) byte(TAG_LEAF_INSIDE);
      else {
        byte(TAG_LEAF_OUTSIDE);
        push(p.leaf.keyHash);
        push(p.leaf.valueHash);
      }
      return;
    }
    byte(TAG_INTERNAL);
    for (let side = 0; side < 2; side++) {
      let sub = 0;
      for (let b = 0; b < boundary.length; b++) {
        if ((onPath >> b) & 1 && bitAt(boundary[b].leaf.keyHash, depth) === side) sub |= 1 << b;
      }
      visit(depth + 1, vsLo || side - bitAt(lo, depth), vsHi || side - bitAt(hi, depth), sub, sub ? null : siblingAt(p, depth));
    }
  };
  byte(RANGE_PROOF_FORMAT_VERSION);
  visit(0, 0, 0, (1 << boundary.length) - 1, null);
  return out.slice(0, length);
}
