// Verifying one chunk against the trusted root: the file digests first (a mismatch means
// "refetch, maybe elsewhere"), then the leaves against the root through the chunk's range
// proof (a failure means the data is a lie). Pure: no I/O, so it runs in any thread.
import { backend } from '../core/load.js';
import { chunkLeafHashes } from '../core/chunk.js';
import { toHex, fromHex } from '../hex.js';
import type { ChunkEntry } from '../format/manifest.js';
import { MAX_KEY_LENGTH } from '../format/chunk.js';
import { ChunkCorrupted, ChunkProofVerificationFailed, ProofInvalid } from '../errors.js';
import { verifyRangeProof } from '../tree/range/verify.js';

export interface ChunkInput {
  /** The trusted root, 64 lowercase hex digits. */
  root: string;
  /** The chunk's index in the manifest. */
  index: number;
  entry: ChunkEntry;
  chunk: Uint8Array;
  proof: Uint8Array;
  /** Where the bytes came from, for errors. */
  source?: string;
}

/** Something that verifies chunks: in this thread (`localVerifier`) or in a worker pool. */
export interface Verifier {
  verifyChunk(input: ChunkInput): Promise<void>;
}

/**
 * Throws ChunkCorrupted or ChunkProofVerificationFailed unless the chunk proves out. The leaves
 * are checked against the root first: when they prove out, the bytes are the ones the manifest
 * names (the layout is exact, and every key and value is bound by its hash), so the file digest
 * is computed only on failure, to tell a corrupted transfer from a lying source.
 */
export function verifyChunk(input: ChunkInput): void {
  const { entry, index: chunk, source } = input;
  const core = backend();
  if (input.chunk.length !== entry.size) {
    throw new ChunkCorrupted(`chunk file is ${input.chunk.length} bytes, the manifest says ${entry.size}`, { chunk, source });
  }
  if (input.proof.length !== entry.proofSize || toHex(core.sha256(input.proof)) !== entry.proof) {
    throw new ChunkCorrupted('range-proof file does not match its digest', { chunk, source });
  }
  const failure = proofFailure(input);
  if (!failure) return;
  if (toHex(core.sha256(input.chunk)) !== entry.digest) {
    throw new ChunkCorrupted('chunk file does not match its digest', { chunk, source });
  }
  throw new ChunkProofVerificationFailed(failure, { chunk, source });
}

/** Why the chunk's leaves do not prove out against the root, or undefined when they do. */
function proofFailure({ root, entry, chunk, proof }: ChunkInput): string | undefined {
  const hashes = chunkLeafHashes(backend(), chunk, { maxLeaves: entry.leaves, maxKeyLength: MAX_KEY_LENGTH });
  if (typeof hashes === 'string') return `chunk file is malformed: ${hashes}`;
  if (hashes.count !== entry.leaves) return `chunk holds ${hashes.count} leaves, the manifest says ${entry.leaves}`;
  try {
    verifyRangeProof(fromHex(root), fromHex(entry.lo), fromHex(entry.hi), interleave(hashes.keyHashes, hashes.valueHashes), proof);
    return undefined;
  } catch (err) {
    if (err instanceof ProofInvalid) return `leaves do not prove out against the root: ${err.reason}`;
    throw err;
  }
}

/**
 * n × (keyHash || valueHash) from the n key hashes and n value hashes, copied word by word: a
 * view per leaf costs more than the copy itself on large chunks.
 */
function interleave(keyHashes: Uint8Array, valueHashes: Uint8Array): Uint8Array {
  const n = keyHashes.length >>> 5;
  const packed = new Uint8Array(n * 64);
  const out = new Uint32Array(packed.buffer);
  const keys = words(keyHashes);
  const values = words(valueHashes);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) {
      out[i * 16 + j] = keys[i * 8 + j];
      out[i * 16 + 8 + j] = values[i * 8 + j];
    }
  }
  return packed;
}

/** The bytes as 32-bit words (copied when not 4-byte aligned). */
function words(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

/** Verifies in the calling thread. */
export const localVerifier: Verifier = {
  async verifyChunk(input) {
    verifyChunk(input);
  },
};
