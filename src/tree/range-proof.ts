// Range proofs (DESIGN.md "The commitment"; encoding in docs/FORMAT.md): a chunk of leaves in
// key-hash order with its interval [lo, hi] is proven to be exactly the tree's leaves in that
// interval, against the root alone, in any order, without the other chunks.
//
// Chunks tile the key space: lo₀ = 0, loᵢ₊₁ = hiᵢ + 1, and a chunk ends at its last leaf's key
// hash (hiᵢ = that key hash), except the last chunk, which ends at 2²⁵⁶ − 1.
import { assertBytes } from '../assert.js';
import { backend } from '../core/load.js';
import { InvalidArgument, ProofInvalid } from '../errors.js';
import { assertHash, bitAt, internalHash, leafHash, type Leaf } from './hash.js';
import { LeafStream } from './leaf-stream.js';
import { WatchedPaths, type WatchedPath } from './watched-paths.js';

export const RANGE_PROOF_FORMAT_VERSION = 1;
/** Largest encoded range proof accepted: two boundary paths of 256 levels, with slack. */
export const MAX_RANGE_PROOF_BYTES = 1 << 16;

// TAG_EMPTY = 0 (a straddling empty node) never occurs with chunk boundaries at leaves; the
// verifier accepts it for intervals chosen otherwise.
const TAG_LEAF_OUTSIDE = 1;
const TAG_LEAF_INSIDE = 2;
const TAG_INTERNAL = 3;

const REASONS: Record<number, string> = {
  [-1]: 'truncated',
  [-2]: 'unknown format version',
  [-3]: 'unknown node tag',
  [-4]: 'trailing bytes',
  [-5]: 'lo is above hi',
  [-6]: 'chunk leaves are not strictly increasing',
  [-7]: 'a chunk leaf lies outside [lo, hi]',
  [-8]: 'an outside leaf is misplaced or inside [lo, hi]',
  [-9]: 'a chunk leaf lies in a node the proof says holds no chunk leaf',
  [-10]: 'a node the proof says holds one chunk leaf holds none',
  [-11]: 'chunk leaves left over',
  [-12]: 'root mismatch',
};

/** The first and last key hash of the key space. */
export const MIN_KEY_HASH = new Uint8Array(32);
export const MAX_KEY_HASH = new Uint8Array(32).fill(0xff);

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

  /** Ends the current chunk after the last added leaf. */
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
    const total = this.stream.count;
    if (total === 0) {
      return { root, chunks: [{ index: 0, first: 0, count: 0, lo: MIN_KEY_HASH, hi: MAX_KEY_HASH, proof: encodeRangeProof(MIN_KEY_HASH, MAX_KEY_HASH, []) }] };
    }
    const ends = this.ends.slice();
    if (ends.length === 0 || ends.at(-1)!.index < total - 1) ends.push({ index: total - 1, leaf: this.lastLeaf!, siblings: [] });
    const chunks = ends.map((end, i): ChunkRange => {
      const prev = i > 0 ? ends[i - 1] : null;
      const isLast = i === ends.length - 1;
      const lo = prev ? increment(prev.leaf.keyHash) : MIN_KEY_HASH;
      const hi = isLast ? MAX_KEY_HASH : end.leaf.keyHash;
      const first = prev ? prev.index + 1 : 0;
      const boundary = [prev, isLast ? null : end].filter((p): p is WatchedPath => p !== null);
      return { index: i, first, count: end.index + 1 - first, lo, hi, proof: encodeRangeProof(lo, hi, boundary) };
    });
    return { root, chunks };
  }
}

/**
 * Checks that `leaves` (Leaf[] or n × 64 bytes keyHash || valueHash, in key-hash order) are
 * exactly the leaves of the tree with `root` whose key hash lies in [lo, hi]. Throws
 * ProofInvalid naming the failed check.
 */
export function verifyRangeProof(root: Uint8Array, lo: Uint8Array, hi: Uint8Array,
  leaves: readonly Leaf[] | Uint8Array, proof: Uint8Array): void {
  assertHash(root, 'root');
  assertHash(lo, 'lo');
  assertHash(hi, 'hi');
  assertBytes(proof, 'proof', MAX_RANGE_PROOF_BYTES);
  const packed = leaves instanceof Uint8Array ? leaves : packLeaves(leaves);
  if (packed.length % 64 !== 0) throw new InvalidArgument(`packed leaves are ${packed.length} bytes, not a multiple of 64`);
  const code = backend().jmt.verifyRange(root, lo, hi, packed, proof);
  if (code !== 0) throw new ProofInvalid(REASONS[code] ?? `code ${code}`);
}

export function packLeaves(leaves: readonly Leaf[]): Uint8Array {
  const out = new Uint8Array(leaves.length * 64);
  leaves.forEach((l, i) => {
    assertHash(l.keyHash, `leaves[${i}].keyHash`);
    assertHash(l.valueHash, `leaves[${i}].valueHash`);
    out.set(l.keyHash, i * 64);
    out.set(l.valueHash, i * 64 + 32);
  });
  return out;
}

/** The key hash plus one (the caller never passes the maximum). */
function increment(keyHash: Uint8Array): Uint8Array {
  const out = keyHash.slice();
  for (let i = 31; i >= 0; i--) {
    out[i] = (out[i] + 1) & 0xff;
    if (out[i] !== 0) break;
  }
  return out;
}

/** A key hash as a 256-bit integer (big-endian), for interval arithmetic. */
export const keyHashToBig = (h: Uint8Array): bigint => BigInt('0x' + Array.from(h, (b) => b.toString(16).padStart(2, '0')).join(''));

/**
 * Encodes the pruned tree of [lo, hi] from the proof paths of the leaves next to its two
 * boundaries (the previous chunk's last leaf and this chunk's last leaf): every node that
 * straddles a boundary lies on one of those paths, and the nodes hanging off them are either
 * wholly outside (their hash is the path's sibling) or wholly inside (rebuilt by the verifier).
 */
export function encodeRangeProof(lo: Uint8Array, hi: Uint8Array, boundary: WatchedPath[]): Uint8Array {
  const loN = keyHashToBig(lo);
  const hiN = keyHashToBig(hi);
  const out: number[] = [RANGE_PROOF_FORMAT_VERSION];
  const push = (bytes: Uint8Array) => {
    for (const b of bytes) out.push(b);
  };
  const siblingAt = (p: WatchedPath, depth: number) => p.siblings[p.siblings.length - 1 - depth];
  const hashAt = (p: WatchedPath, depth: number): Uint8Array => {
    let h = leafHash(p.leaf.keyHash, p.leaf.valueHash);
    for (let d = p.siblings.length - 1; d >= depth; d--) {
      h = bitAt(p.leaf.keyHash, d) ? internalHash(siblingAt(p, d), h) : internalHash(h, siblingAt(p, d));
    }
    return h;
  };

  const visit = (depth: number, a: bigint, onPath: WatchedPath[], hash: Uint8Array | null): void => {
    const size = 1n << BigInt(256 - depth);
    const b = a + size - 1n;
    if (b < loN || a > hiN) {
      push(hash ?? hashAt(onPath[0], depth));
      return;
    }
    if (a >= loN && b <= hiN) return;
    if (onPath.length === 0) throw new Error('range proof: a node straddling the interval is off the boundary paths');
    const p = onPath[0];
    if (depth === p.siblings.length) {
      const k = keyHashToBig(p.leaf.keyHash);
      if (k >= loN && k <= hiN) out.push(TAG_LEAF_INSIDE);
      else {
        out.push(TAG_LEAF_OUTSIDE);
        push(p.leaf.keyHash);
        push(p.leaf.valueHash);
      }
      return;
    }
    out.push(TAG_INTERNAL);
    for (const side of [0, 1]) {
      const sub = onPath.filter((q) => bitAt(q.leaf.keyHash, depth) === side);
      visit(depth + 1, side ? a + (size >> 1n) : a, sub, sub.length ? null : siblingAt(p, depth));
    }
  };
  visit(0, 0n, boundary, null);
  return Uint8Array.from(out);
}
