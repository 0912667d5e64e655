// Verification of SparseMerkleProof (SPECS.md §1.5) in lightsnap's encoding (docs/FORMAT.md):
//   u8 version (1) | u8 flags (bit 0: leaf present) | [keyHash[32] valueHash[32]]
//   | u16le sibling count (≤ 256) | siblings[32] bottom → root
import { PLACEHOLDER, leafHashInto, internalHashInto, bitAt, commonPrefixBits } from './jmt_hash';

export const PROOF_VERSION: u8 = 1;

export const PROOF_OK: i32 = 0;
export const PROOF_TRUNCATED: i32 = -1;
export const PROOF_BAD_VERSION: i32 = -2;
export const PROOF_BAD_FLAGS: i32 = -3;
export const PROOF_TOO_MANY_SIBLINGS: i32 = -4;
export const PROOF_TRAILING_BYTES: i32 = -5;
export const PROOF_NO_LEAF_FOR_MEMBERSHIP: i32 = -6;
export const PROOF_LEAF_KEY_MISMATCH: i32 = -7;
export const PROOF_VALUE_MISMATCH: i32 = -8;
export const PROOF_KEY_EXISTS: i32 = -9;
export const PROOF_LEAF_NOT_ON_PATH: i32 = -10;
export const PROOF_ROOT_MISMATCH: i32 = -11;

const HASH: usize = memory.data(32, 16);

/**
 * Verifies the encoded proof (`len` bytes at `proof`) for `keyHash` against `root`. With
 * `valueHash` non-zero it is a membership claim for that value hash, with 0 a non-membership
 * claim. Returns PROOF_OK or the first failed check.
 */
export function verifyProof(root: usize, keyHash: usize, valueHash: usize, proof: usize, len: usize): i32 {
  if (len < 4) return PROOF_TRUNCATED;
  if (load<u8>(proof) != PROOF_VERSION) return PROOF_BAD_VERSION;
  const flags = load<u8>(proof, 1);
  if (flags > 1) return PROOF_BAD_FLAGS;
  let pos = proof + 2;
  const end = proof + len;
  const leaf = pos;
  if (flags) {
    if (end - pos < 66) return PROOF_TRUNCATED;
    pos += 64;
  }
  const n = <i32>load<u16>(pos, 0, 1);
  pos += 2;
  if (n > 256) return PROOF_TOO_MANY_SIBLINGS;
  if (<usize>(end - pos) < (<usize>n << 5)) return PROOF_TRUNCATED;
  if (<usize>(end - pos) > (<usize>n << 5)) return PROOF_TRAILING_BYTES;

  if (valueHash) {
    if (!flags) return PROOF_NO_LEAF_FOR_MEMBERSHIP;
    if (memory.compare(leaf, keyHash, 32) != 0) return PROOF_LEAF_KEY_MISMATCH;
    if (memory.compare(leaf + 32, valueHash, 32) != 0) return PROOF_VALUE_MISMATCH;
  } else if (flags) {
    if (memory.compare(leaf, keyHash, 32) == 0) return PROOF_KEY_EXISTS;
    if (commonPrefixBits(leaf, keyHash) < n) return PROOF_LEAF_NOT_ON_PATH;
  }

  if (flags) leafHashInto(leaf, leaf + 32, HASH);
  else memory.copy(HASH, PLACEHOLDER, 32);
  for (let i = 0; i < n; i++) {
    const sibling = pos + (<usize>i << 5);
    if (bitAt(keyHash, n - 1 - i)) internalHashInto(sibling, HASH, HASH);
    else internalHashInto(HASH, sibling, HASH);
  }
  return memory.compare(HASH, root, 32) == 0 ? PROOF_OK : PROOF_ROOT_MISMATCH;
}
