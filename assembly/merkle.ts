// CometBFT simple Merkle trees (crypto/merkle, RFC 6962 hashing; SPECS §3.1): root of a list
// of byte strings, inclusion proofs (aunts, leaf → root), and their verification.
// leaf = SHA-256(0x00 || item), inner = SHA-256(0x01 || left || right), empty tree = SHA-256("").
// Pairing neighbours level by level and carrying an odd last node up builds the same tree as
// CometBFT's recursive split (left subtree = largest power of two below n).
import { sha256Into } from './sha256';

/** CometBFT's MaxAunts: deeper proofs are rejected. */
export const MAX_AUNTS = 100;

const NODE: usize = memory.data(65, 16);

function leafHash(item: usize, len: usize, out: usize, buf: usize): void {
  // The 0x00 prefix is written just before the item's copy in `buf`.
  store<u8>(buf, 0);
  memory.copy(buf + 1, item, len);
  sha256Into(buf, len + 1, out);
}

function innerHash(left: usize, right: usize, out: usize): void {
  store<u8>(NODE, 1);
  memory.copy(NODE + 1, left, 32);
  memory.copy(NODE + 33, right, 32);
  sha256Into(NODE, 65, out);
}

/**
 * Hashes the `n` items at `data` (item i = data[offsets[i], offsets[i+1]), offsets u32) into
 * `work` (n * 32 bytes), after a copy area `buf` of at least 1 + the longest item.
 */
function hashLeaves(data: usize, offsets: usize, n: usize, work: usize, buf: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const start = load<u32>(offsets + (i << 2));
    const end = load<u32>(offsets + ((i + 1) << 2));
    leafHash(data + start, end - start, work + (i << 5), buf);
  }
}

/** Pairs the `count` nodes at `work` in place; returns the count of the level above. */
function reduceLevel(work: usize, count: usize): usize {
  const pairs = count >>> 1;
  for (let i: usize = 0; i < pairs; i++) innerHash(work + (i << 6), work + (i << 6) + 32, work + (i << 5));
  if (count & 1) memory.copy(work + (pairs << 5), work + ((count - 1) << 5), 32);
  return pairs + (count & 1);
}

/** Root of the `n` items into `out` (32 bytes). `work`: n * 32 bytes, then 1 + longest item. */
export function merkleRoot(data: usize, offsets: usize, n: usize, work: usize, out: usize): void {
  if (n == 0) {
    sha256Into(out, 0, out);
    return;
  }
  hashLeaves(data, offsets, n, work, work + (n << 5));
  let count = n;
  while (count > 1) count = reduceLevel(work, count);
  memory.copy(out, work, 32);
}

/**
 * The leaf hash and aunts (leaf → root) proving item `index`: writes the leaf hash then the
 * aunts to `out` (32 bytes each) and returns the aunt count. `work` as for merkleRoot.
 */
export function merkleAunts(data: usize, offsets: usize, n: usize, index: usize, work: usize, out: usize): i32 {
  hashLeaves(data, offsets, n, work, work + (n << 5));
  memory.copy(out, work + (index << 5), 32);
  let aunts = 0;
  let count = n;
  while (count > 1) {
    const sibling = index ^ 1;
    if (sibling < count) {
      aunts++;
      memory.copy(out + (<usize>aunts << 5), work + (sibling << 5), 32);
    }
    count = reduceLevel(work, count);
    index >>>= 1;
  }
  return aunts;
}

/**
 * CometBFT getSplitPoint: the largest power of two strictly below `n` (n ≥ 2). In f64, exact
 * for integers below 2^53 (no float → i64 conversion, which wasm2js cannot translate).
 */
function splitPoint(n: f64): f64 {
  let k = 1.0;
  while (k * 2 < n) k *= 2;
  return k;
}

const DIRECTIONS: usize = memory.data(MAX_AUNTS, 16);

/**
 * Verifies that `item` is leaf `index` of `total` under `root` given the aunts (leaf → root,
 * 32 bytes each) at `aunts`, and, when `leaf` is not 0, that the 32 bytes there are its leaf
 * hash. `total` and `index` are f64 (int64 upstream; exact below 2^53). `buf`: 33 + itemLen
 * bytes of work. Returns 1 valid, 0 invalid.
 */
export function merkleVerify(item: usize, itemLen: usize, leaf: usize, total: f64, index: f64, aunts: usize, auntCount: i32,
  root: usize, buf: usize): i32 {
  if (!(total >= 1 && index >= 0 && index < total && total <= 9007199254740991.0)) return 0;
  if (auntCount < 0 || auntCount > MAX_AUNTS) return 0;
  // Walk down from the root recording which side the item is on at each level.
  if (Math.floor(total) != total || Math.floor(index) != index) return 0;
  let t = total;
  let i = index;
  let levels = 0;
  while (t > 1) {
    if (levels == auntCount) return 0;
    const k = splitPoint(t);
    const right = i >= k;
    store<u8>(DIRECTIONS + <usize>levels, right ? 1 : 0);
    if (right) { i -= k; t -= k; } else { t = k; }
    levels++;
  }
  if (levels != auntCount) return 0;
  const hash = buf;
  leafHash(item, itemLen, hash, buf + 32);
  if (leaf != 0 && memory.compare(hash, leaf, 32) != 0) return 0;
  for (let a = 0; a < auntCount; a++) {
    const aunt = aunts + (<usize>a << 5);
    if (load<u8>(DIRECTIONS + <usize>(levels - 1 - a))) innerHash(aunt, hash, hash);
    else innerHash(hash, aunt, hash);
  }
  return memory.compare(hash, root, 32) == 0 ? 1 : 0;
}
