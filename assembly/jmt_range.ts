// Verification of a range proof (DESIGN.md "The commitment", docs/FORMAT.md): the chunk's
// leaves are exactly the tree's leaves with key hash in [lo, hi].
//
// The proof is the pruned tree of the interval in pre-order, after a version byte. The
// verifier walks the tree from the root and decides from lo and hi alone what each node is:
//   - disjoint from [lo, hi]: the proof gives its hash (32 bytes, no tag);
//   - inside [lo, hi]: nothing is read; its hash is rebuilt from the chunk leaves in it;
//   - straddling lo or hi: a tag byte, then
//       TAG_EMPTY          no leaf (the placeholder),
//       TAG_LEAF_OUTSIDE   one leaf outside [lo, hi]: keyHash[32] valueHash[32],
//       TAG_LEAF_INSIDE    one leaf, the next chunk leaf,
//       TAG_INTERNAL       two children, left then right.
// So nothing inside the interval can come from the proof, opaque hashes only cover nodes with
// no key in [lo, hi], and only the two boundary paths carry data.
import { PLACEHOLDER, leafHashInto, internalHashInto, compare32 } from './jmt_hash';
import { rootInit, rootFeed, rootFinish } from './jmt_root';

export const RANGE_PROOF_VERSION: u8 = 1;
export const TAG_EMPTY: u8 = 0;
export const TAG_LEAF_OUTSIDE: u8 = 1;
export const TAG_LEAF_INSIDE: u8 = 2;
export const TAG_INTERNAL: u8 = 3;

export const RANGE_OK: i32 = 0;
export const RANGE_TRUNCATED: i32 = -1;
export const RANGE_BAD_VERSION: i32 = -2;
export const RANGE_BAD_TAG: i32 = -3;
export const RANGE_TRAILING_BYTES: i32 = -4;
export const RANGE_BAD_INTERVAL: i32 = -5;
export const RANGE_LEAVES_NOT_INCREASING: i32 = -6;
export const RANGE_LEAF_OUTSIDE_INTERVAL: i32 = -7;
export const RANGE_OUTSIDE_LEAF_MISPLACED: i32 = -8;
export const RANGE_CHUNK_LEAF_HIDDEN: i32 = -9;
export const RANGE_INSIDE_LEAF_MISSING: i32 = -10;
export const RANGE_LEAVES_UNUSED: i32 = -11;
export const RANGE_ROOT_MISMATCH: i32 = -12;

let lo: usize = 0;
let hi: usize = 0;
let pos: usize = 0;
let end: usize = 0;
let leaves: usize = 0;
let leafCount: i32 = 0;
let nextLeaf: i32 = 0;
let engineState: usize = 0;
let engineWork: usize = 0;

/** The node being visited is given by its depth and the first `depth` bits of PATH. */
const PATH: usize = memory.data(32, 16);
/** Child hashes per depth: [left, right] at CHILDREN + depth * 64. */
const CHILDREN: usize = memory.data(257 * 64, 16);

/**
 * Compares the node's first (`fill` 0) or last (`fill` 1) key hash with the 32 bytes at `x`:
 * the node's `depth` path bits followed by all zeros or all ones.
 */
function compareNodeBound(depth: i32, fill: i32, x: usize): i32 {
  for (let i = 0; i < 32; i++) {
    const used = depth - (i << 3);
    let b: u32;
    if (used >= 8) b = load<u8>(PATH + <usize>i);
    else {
      const mask: u32 = used <= 0 ? 0 : (0xff << (8 - used)) & 0xff;
      b = (<u32>load<u8>(PATH + <usize>i) & mask) | (fill ? ~mask & 0xff : 0);
    }
    const y = <u32>load<u8>(x + <usize>i);
    if (b != y) return b < y ? -1 : 1;
  }
  return 0;
}

function setPathBit(depth: i32, bit: i32): void {
  const p = PATH + (<usize>depth >> 3);
  const m: u32 = <u32>0x80 >> (<u32>depth & 7);
  const v = <u32>load<u8>(p);
  store<u8>(p, <u8>(bit ? v | m : v & ~m));
}

/** Whether the next unconsumed chunk leaf lies at or below the node's last key hash. */
function nextLeafInNode(depth: i32): bool {
  return nextLeaf < leafCount && compareNodeBound(depth, 1, leaves + (<usize>nextLeaf << 6)) >= 0;
}

function visit(depth: i32, out: usize): i32 {
  if (compareNodeBound(depth, 1, lo) < 0 || compareNodeBound(depth, 0, hi) > 0) {
    if (end - pos < 32) return RANGE_TRUNCATED;
    memory.copy(out, pos, 32);
    pos += 32;
    return RANGE_OK;
  }
  if (compareNodeBound(depth, 0, lo) >= 0 && compareNodeBound(depth, 1, hi) <= 0) {
    let m = 0;
    while (nextLeaf + m < leafCount && compareNodeBound(depth, 1, leaves + (<usize>(nextLeaf + m) << 6)) >= 0) m++;
    const first = leaves + (<usize>nextLeaf << 6);
    if (m == 0) memory.copy(out, PLACEHOLDER, 32);
    else if (m == 1) leafHashInto(first, first + 32, out);
    else {
      rootInit(engineState, depth);
      // Leaves were checked increasing and inside [lo, hi] up front, and earlier nodes consumed
      // everything before this node, so these m leaves lie in it: the engine cannot fail here.
      rootFeed(engineState, engineWork, first, m, 0, 0, i32.MAX_VALUE);
      rootFinish(engineState, engineWork, 0, i32.MAX_VALUE, out);
    }
    nextLeaf += m;
    return RANGE_OK;
  }
  if (end - pos < 1) return RANGE_TRUNCATED;
  const tag = load<u8>(pos++);
  if (tag == TAG_EMPTY) {
    if (nextLeafInNode(depth)) return RANGE_CHUNK_LEAF_HIDDEN;
    memory.copy(out, PLACEHOLDER, 32);
    return RANGE_OK;
  }
  if (tag == TAG_LEAF_OUTSIDE) {
    if (end - pos < 64) return RANGE_TRUNCATED;
    const k = pos;
    pos += 64;
    if (compareNodeBound(depth, 0, k) > 0 || compareNodeBound(depth, 1, k) < 0) return RANGE_OUTSIDE_LEAF_MISPLACED;
    if (compare32(k, lo) >= 0 && compare32(k, hi) <= 0) return RANGE_OUTSIDE_LEAF_MISPLACED;
    if (nextLeafInNode(depth)) return RANGE_CHUNK_LEAF_HIDDEN;
    leafHashInto(k, k + 32, out);
    return RANGE_OK;
  }
  if (tag == TAG_LEAF_INSIDE) {
    if (!nextLeafInNode(depth)) return RANGE_INSIDE_LEAF_MISSING;
    const leaf = leaves + (<usize>nextLeaf << 6);
    nextLeaf++;
    if (nextLeafInNode(depth)) return RANGE_CHUNK_LEAF_HIDDEN;
    leafHashInto(leaf, leaf + 32, out);
    return RANGE_OK;
  }
  if (tag == TAG_INTERNAL && depth < 256) {
    const children = CHILDREN + (<usize>depth << 6);
    setPathBit(depth, 0);
    let r = visit(depth + 1, children);
    if (r != RANGE_OK) return r;
    setPathBit(depth, 1);
    r = visit(depth + 1, children + 32);
    setPathBit(depth, 0);
    if (r != RANGE_OK) return r;
    internalHashInto(children, children + 32, out);
    return RANGE_OK;
  }
  return RANGE_BAD_TAG;
}

/**
 * Verifies that the `n` leaves at `chunk` (64 bytes each: keyHash || valueHash) are exactly the
 * leaves of the tree with root `rootHash` whose key hash is in [`lower`, `upper`], given the
 * encoded proof (`len` bytes). `state` and `work` are a root engine's state block and work area.
 */
export function verifyRange(rootHash: usize, lower: usize, upper: usize, chunk: usize, n: i32,
  proof: usize, len: usize, state: usize, work: usize): i32 {
  if (compare32(lower, upper) > 0) return RANGE_BAD_INTERVAL;
  for (let i = 0; i < n; i++) {
    const k = chunk + (<usize>i << 6);
    if (compare32(k, lower) < 0 || compare32(k, upper) > 0) return RANGE_LEAF_OUTSIDE_INTERVAL;
    if (i > 0 && compare32(k - 64, k) >= 0) return RANGE_LEAVES_NOT_INCREASING;
  }
  if (len < 1) return RANGE_TRUNCATED;
  if (load<u8>(proof) != RANGE_PROOF_VERSION) return RANGE_BAD_VERSION;
  lo = lower;
  hi = upper;
  pos = proof + 1;
  end = proof + len;
  leaves = chunk;
  leafCount = n;
  nextLeaf = 0;
  engineState = state;
  engineWork = work;
  memory.fill(PATH, 0, 32);
  const got = CHILDREN + 256 * 64;
  const r = visit(0, got);
  if (r != RANGE_OK) return r;
  if (pos != end) return RANGE_TRAILING_BYTES;
  if (nextLeaf != leafCount) return RANGE_LEAVES_UNUSED;
  return memory.compare(got, rootHash, 32) == 0 ? RANGE_OK : RANGE_ROOT_MISMATCH;
}
