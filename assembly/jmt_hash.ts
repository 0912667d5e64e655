// JMT hashing (SPECS.md §1.1–1.3): leaf and internal node hashes, the placeholder, key-hash
// bits and order. Key hashes are 32 bytes read most-significant bit first.
import { sha256Into } from './sha256';
import { copy16, copy32 } from './copy';

/** `SPARSE_MERKLE_PLACEHOLDER_HASH__`: the hash of an empty subtree (not a hash of anything). */
export const PLACEHOLDER: usize = memory.data<u8>([
  83, 80, 65, 82, 83, 69, 95, 77, 69, 82, 75, 76, 69, 95, 80, 76,
  65, 67, 69, 72, 79, 76, 68, 69, 82, 95, 72, 65, 83, 72, 95, 95,
], 16);

/** `JMT::LeafNode` (13 bytes; padded to 16 for copy16, the key hash overwrites the rest). */
const LEAF_PREFIX: usize = memory.data<u8>([74, 77, 84, 58, 58, 76, 101, 97, 102, 78, 111, 100, 101, 0, 0, 0]);
/** `JMT::IntrnalNode` (16 bytes; the vowel is dropped upstream to fit 16). */
const INTERNAL_PREFIX: usize = memory.data<u8>([74, 77, 84, 58, 58, 73, 110, 116, 114, 110, 97, 108, 78, 111, 100, 101]);

export const LEAF_MESSAGE_LEN: usize = 77;
export const INTERNAL_MESSAGE_LEN: usize = 80;

/** Writes `"JMT::LeafNode" || keyHash || valueHash` (77 bytes) at `dst`. */
export function writeLeafMessage(dst: usize, keyHash: usize, valueHash: usize): void {
  copy16(dst, LEAF_PREFIX);
  copy32(dst + 13, keyHash);
  copy32(dst + 45, valueHash);
}

/** Writes `"JMT::IntrnalNode" || left || right` (80 bytes) at `dst`. */
export function writeInternalMessage(dst: usize, left: usize, right: usize): void {
  copy16(dst, INTERNAL_PREFIX);
  copy32(dst + 16, left);
  copy32(dst + 48, right);
}

const MESSAGE: usize = memory.data(80, 16);

/** Leaf node hash of (keyHash, valueHash), written to `out`. */
export function leafHashInto(keyHash: usize, valueHash: usize, out: usize): void {
  writeLeafMessage(MESSAGE, keyHash, valueHash);
  sha256Into(MESSAGE, LEAF_MESSAGE_LEN, out);
}

/** Internal node hash of two child hashes, written to `out`. */
export function internalHashInto(left: usize, right: usize, out: usize): void {
  writeInternalMessage(MESSAGE, left, right);
  sha256Into(MESSAGE, INTERNAL_MESSAGE_LEN, out);
}

/** Bit `i` (0 = most significant) of the 32-byte key hash at `k`. */
// @ts-ignore: decorator
@inline export function bitAt(k: usize, i: i32): i32 {
  return (<i32>load<u8>(k + (<usize>i >> 3)) >> (7 - (i & 7))) & 1;
}

/** Number of leading bits two key hashes share (256 when equal). */
export function commonPrefixBits(a: usize, b: usize): i32 {
  for (let i: usize = 0; i < 32; i++) {
    const x = <u32>load<u8>(a + i) ^ <u32>load<u8>(b + i);
    if (x != 0) return <i32>(i << 3) + <i32>clz<u32>(x) - 24;
  }
  return 256;
}

/** -1, 0 or 1 as the 32-byte big-endian numbers at `a` and `b` compare. */
export function compare32(a: usize, b: usize): i32 {
  for (let i: usize = 0; i < 32; i++) {
    const x = load<u8>(a + i);
    const y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}
