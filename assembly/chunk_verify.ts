// Verifying one chunk file in one call (docs/FORMAT.md; DESIGN.md "The commitment"): the range
// proof's digest, the chunk's layout, the SHA-256 of every key and value written straight into
// the packed leaves (keyHash ‖ valueHash, 64 bytes each) and the range proof against the root.
import { chunkDecode } from './chunk';
import { sha256Into } from './sha256';
import { hashVarBatchStrided } from './sha256_batch';
import { verifyRange } from './jmt_range';

export const CHUNK_OK: i32 = 0;
/** The chunk holds fewer leaves than expected (more is ERR_TOO_MANY_LEAVES). */
export const ERR_LEAF_COUNT: i32 = -107;
/** The range proof's SHA-256 is not the expected digest. */
export const ERR_PROOF_DIGEST: i32 = -108;

const DIGEST: usize = memory.data(32, 16);

/**
 * Checks the chunk at `src` (`len` bytes) against its manifest entry: exactly `leaves` leaves,
 * keys of 1 to `maxKeyLen` bytes, the proof (`proofLen` bytes at `proof`) hashing to the 32 bytes
 * at `proofDigest`, and the leaves proving out against `root` over [`lo`, `hi`]. `work` takes
 * chunkDecode's outputs (2 × (leaves + 1) × 4 + 8 bytes: the host may read the layout back);
 * `hashes` receives the packed leaves (leaves × 64 bytes); `state` and `engineWork` are a root
 * engine's blocks. Returns CHUNK_OK, a chunk status (ERR_*) or a range-proof status (RANGE_*).
 */
export function chunkVerify(src: usize, len: usize, leaves: u32, maxKeyLen: u32, root: usize, lo: usize, hi: usize,
  proof: usize, proofLen: usize, proofDigest: usize, work: usize, state: usize, engineWork: usize, hashes: usize): i32 {
  sha256Into(proof, proofLen, DIGEST);
  if (memory.compare(DIGEST, proofDigest, 32) != 0) return ERR_PROOF_DIGEST;
  const n = chunkDecode(src, len, leaves, maxKeyLen, work);
  if (n < 0) return n;
  if (<u32>n != leaves) return ERR_LEAF_COUNT;
  const areas = work + (((<usize>leaves + 1) << 2) << 1);
  hashVarBatchStrided(src + <usize>load<u32>(areas), work, <usize>n, hashes, 64);
  hashVarBatchStrided(src + <usize>load<u32>(areas, 4), work + ((<usize>leaves + 1) << 2), <usize>n, hashes + 32, 64);
  return verifyRange(root, lo, hi, hashes, n, proof, proofLen, state, engineWork);
}
