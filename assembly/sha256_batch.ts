// Batch SHA-256: many independent messages per call, so a Merkle level or a list of leaves
// costs one crossing of the host/WASM boundary. Other AssemblyScript modules (tree hashing,
// ICS23) call these directly; their names and signatures are stable. The SIMD build hashes
// four messages at a time (sha256_simd.ts); the scalar build one at a time.
import { compressBlocks, initState, sha256Into, writeDigest } from './sha256';
import { hash64x4, hashFixed4, hashVarBatch4 } from './sha256_simd';

// The padded second block shared by every 64-byte message: 0x80, zeros, bit length 512.
const PAD64_BLOCK: usize = memory.data<u8>([
  0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0,
], 16);
const STATE: usize = memory.data(32, 16);

/**
 * Hashes `n` independent 64-byte messages laid back to back at `src`; digests back to back at
 * `out`. `out` may equal `src` (hashing a Merkle level in place): every message is read before
 * its digest, which lands at or below it, is written.
 */
export function hash64Batch(src: usize, n: usize, out: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) hash64x4(src + (i << 6), out + (i << 5));
  }
  for (; i < n; i++) {
    initState(STATE);
    compressBlocks(STATE, src + (i << 6), 1);
    compressBlocks(STATE, PAD64_BLOCK, 1);
    writeDigest(STATE, out + (i << 5));
  }
}

/**
 * Hashes `n` independent messages; message i is `data[offsets[i], offsets[i + 1])`, where
 * `offsets` is `n + 1` little-endian u32 values (at any address). Digests back to back at `out`.
 */
export function hashVarBatch(data: usize, offsets: usize, n: usize, out: usize): void {
  hashVarBatchStrided(data, offsets, n, out, 32);
}

/**
 * hashVarBatch with digest i at `out + i × stride`: a caller interleaving two batches (key and
 * value hashes of a chunk's leaves) writes them in place instead of copying afterwards.
 */
export function hashVarBatchStrided(data: usize, offsets: usize, n: usize, out: usize, stride: usize): void {
  if (ASC_FEATURE_SIMD && n >= 2) {
    // Messages of one length back to back (tree nodes, fixed-size keys or values) skip the
    // per-lane bookkeeping of the variable-length kernel.
    const first = <usize>load<u32>(offsets, 0, 1);
    const len = <usize>load<u32>(offsets, 4, 1) - first;
    let uniform = true;
    for (let i: usize = 2; i <= n && uniform; i++) uniform = <usize>load<u32>(offsets + (i << 2), 0, 1) - first == i * len;
    if (uniform) {
      hashFixedStrided(data + first, len, n, out, stride);
      return;
    }
    hashVarBatch4(data, offsets, n, out, stride);
    return;
  }
  for (let i: usize = 0; i < n; i++) {
    const start = <usize>load<u32>(offsets + (i << 2), 0, 1);
    const end = <usize>load<u32>(offsets + (i << 2), 4, 1);
    sha256Into(data + start, end - start, out + i * stride);
  }
}

/** SHA-256 of `n` messages of `len` bytes, message i at `src + i × len`, digest i at `out + i × stride`. */
export function hashFixedStrided(src: usize, len: usize, n: usize, out: usize, stride: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) i = hashFixed4(src, len, n, out, stride);
  for (; i < n; i++) sha256Into(src + i * len, len, out + i * stride);
}
