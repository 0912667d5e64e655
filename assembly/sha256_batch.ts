// Batch SHA-256: many independent messages per call, so a Merkle level or a list of leaves
// costs one crossing of the host/WASM boundary. Other AssemblyScript modules (tree hashing,
// ICS23) call these directly; their names and signatures are stable.
import { sha256Into } from './sha256';

/** Hashes `n` independent 64-byte messages laid back to back at `src`; digests back to back at `out`. */
export function hash64Batch(src: usize, n: usize, out: usize): void {
  for (let i: usize = 0; i < n; i++) sha256Into(src + (i << 6), 64, out + (i << 5));
}

/**
 * Hashes `n` independent messages; message i is `data[offsets[i], offsets[i + 1])`, where
 * `offsets` is `n + 1` little-endian u32 values (4-byte aligned). Digests back to back at `out`.
 */
export function hashVarBatch(data: usize, offsets: usize, n: usize, out: usize): void {
  for (let i: usize = 0; i < n; i++) {
    const start = <usize>load<u32>(offsets + (i << 2));
    const end = <usize>load<u32>(offsets + (i << 2), 4);
    sha256Into(data + start, end - start, out + (i << 5));
  }
}
