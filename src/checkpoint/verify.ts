// Verifying one chunk against the trusted root: the file digests first (a mismatch means
// "refetch, maybe elsewhere"), then the leaves against the root through the chunk's range
// proof (a failure means the data is a lie). Pure: no I/O, so it runs in any thread.
import { backend } from '../core/load.js';
import type { Backend } from '../core/backend.js';
import type { ChunkClaim, VerifiedLayout } from '../core/chunk.js';
import { chunkVerdict } from '../core/status.js';
import { toHex, fromHex } from '../hex.js';
import type { ChunkEntry } from '../format/manifest.js';
import { MAX_KEY_LENGTH } from '../format/chunk.js';
import { ChunkCorrupted, ChunkProofVerificationFailed } from '../errors.js';
import { assertBytes, assertObject } from '../assert.js';

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

/** A chunk's bytes and its proof's, handed back by `Verifier.verifyMovedChunk`. */
export interface MovedChunk {
  chunk: Uint8Array;
  proof: Uint8Array;
}

/** A chunk whose file is in a local directory, for a verifier that reads it itself. */
export interface ChunkFileInput extends Omit<ChunkInput, 'chunk'> {
  /** The checkpoint's directory (`Source.dir`). */
  dir: string;
  /** The chunk file's path in `dir` (`chunks/<digest>`). */
  chunkPath: string;
}

/** Something that verifies chunks: in this thread (`localVerifier`) or in a worker pool. */
export interface Verifier {
  verifyChunk(input: ChunkInput): Promise<void>;
  /**
   * Optional: verifyChunk for bytes the caller gives up. A worker pool moves their buffers to
   * a worker and back instead of copying them; the caller must use only the bytes returned.
   * If the worker dies under the call the bytes are gone with it: the call rejects with
   * WorkerFailed, not retried, and the caller fetches them again.
   */
  verifyMovedChunk?(input: ChunkInput): Promise<MovedChunk>;
  /**
   * Optional: starts now what the first calls would otherwise wait for (a pool's workers), so
   * that start-up overlaps the caller's other work, e.g. fetching the manifest. Reports
   * nothing: a failure to start surfaces in the calls, as it would without.
   */
  warmUp?(): void;
  /**
   * Optional: reads the chunk file (bounded by the entry's size, refused with the typed errors
   * of `dirSource`) and verifies it where it reads it: a Node worker pool, so the calling thread
   * neither reads nor hands over the chunk's bytes (the proof is small and comes with the call).
   */
  verifyChunkFile?(input: ChunkFileInput): Promise<void>;
}

/**
 * Throws ChunkCorrupted or ChunkProofVerificationFailed unless the chunk proves out, in one call
 * into the core. The leaves are checked against the root first: when they prove out, the bytes
 * are the ones the manifest names (the layout is exact, and every key and value is bound by its
 * hash), so the file digest is computed only on failure, to tell a corrupted transfer from a
 * lying source.
 */
export function verifyChunk(input: ChunkInput): void {
  verifyChunkOn(backend(), input);
}

/** verifyChunk on the given core (a worker's, which it was handed: src/worker). */
export function verifyChunkOn(core: Backend, input: ChunkInput): void {
  assertChunkInput(input);
  check(core, input, core.chunk.verify(input.chunk, claimOf(input)));
}

/** verifyChunk, returning the chunk's layout and leaf hashes (for queries). */
export function verifyAndDecodeChunk(input: ChunkInput): VerifiedLayout {
  assertChunkInput(input);
  const result = backend().chunk.verifyAndDecode(input.chunk, claimOf(input));
  if (typeof result === 'number') check(backend(), input, result);
  return result as VerifiedLayout;
}

function claimOf({ root, entry, chunk, proof, index, source }: ChunkInput): ChunkClaim {
  if (chunk.length !== entry.size) {
    throw new ChunkCorrupted(`chunk file is ${chunk.length} bytes, the manifest says ${entry.size}`, { chunk: index, source });
  }
  if (proof.length !== entry.proofSize) {
    throw new ChunkCorrupted('range-proof file does not match its digest', { chunk: index, source });
  }
  return {
    leaves: entry.leaves, maxKeyLength: MAX_KEY_LENGTH, root: fromHex(root), lo: fromHex(entry.lo), hi: fromHex(entry.hi),
    proof, proofDigest: fromHex(entry.proof),
  };
}

/** Throws the typed error for a chunkVerify status other than 0. */
function check(core: Backend, { entry, chunk, index, source }: ChunkInput, status: number): void {
  const verdict = chunkVerdict(status);
  if (verdict.kind === 'ok') return;
  const where = { chunk: index, source };
  if (verdict.kind === 'proof-digest') throw new ChunkCorrupted('range-proof file does not match its digest', where);
  if (toHex(core.sha256(chunk)) !== entry.digest) throw new ChunkCorrupted('chunk file does not match its digest', where);
  const declared = chunk.length >= 8 ? new DataView(chunk.buffer, chunk.byteOffset + 4, 4).getUint32(0, true) : 0;
  throw new ChunkProofVerificationFailed(
    verdict.kind === 'layout' ? `chunk file is malformed: ${verdict.reason}`
      : verdict.kind === 'leaf-count' ? `chunk holds ${declared} leaves, the manifest says ${entry.leaves}`
        : `leaves do not prove out against the root: ${verdict.reason}`,
    where);
}

/** Verifies in the calling thread. */
export const localVerifier: Verifier = {
  async verifyChunk(input) {
    verifyChunk(input);
  },
};

function assertChunkInput(input: ChunkInput): void {
  assertObject(input, 'input');
  assertObject(input.entry, 'input.entry');
  assertBytes(input.chunk, 'input.chunk');
  assertBytes(input.proof, 'input.proof');
}
