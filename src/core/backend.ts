// What the rest of lightsnap asks of a core. The WASM cores (SIMD and scalar) and the
// pure-TypeScript fallback implement it with identical results.

import type { ChunkCore } from './chunk.js';
import type { JmtCore } from './jmt.js';
import type { Ics23Core } from './ics23.js';
import type { MerkleCore } from './merkle.js';
import type { Ed25519Core } from './ed25519-core.js';

export type BackendKind = 'wasm-simd' | 'wasm-scalar' | 'js';

/** An incremental SHA-256 computation. */
export interface Sha256State {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/** Validated FastCDC parameters (fastcdc-rs `v2020::FastCDC::with_level_and_seed`, or `ronomon`). */
export interface FastCdcParams {
  readonly variant: 'v2020' | 'ronomon';
  readonly minSize: number;
  readonly avgSize: number;
  readonly maxSize: number;
  /** Normalization level, 0..3 (v2020 only). */
  readonly level: number;
  /** 64-bit seed xored into the gear table; 0n for the published table (v2020 only). */
  readonly seed: bigint;
}

/** One content-defined chunk: where it is in the stream, and fastcdc-rs's gear hash at its end. */
export interface FastCdcChunk {
  offset: number;
  length: number;
  hash: bigint;
}

export interface Backend {
  readonly kind: BackendKind;
  sha256(data: Uint8Array): Uint8Array;
  sha256Stream(): Sha256State;
  /** Hashes `data.length / 64` independent 64-byte messages; returns their digests back to back. */
  sha256Batch64(data: Uint8Array): Uint8Array;
  /**
   * Hashes independent messages laid back to back in `data`; message i is
   * `data[offsets[i], offsets[i + 1])`. Returns the digests back to back.
   */
  sha256BatchVar(data: Uint8Array, offsets: Uint32Array): Uint8Array;
  /**
   * Cuts FastCDC chunks from the front of `head ‖ tail` (two parts so a streaming caller need
   * not concatenate its carried-over bytes with new input). Without `end`, stops while fewer
   * than `maxSize` bytes are left, since later bytes could move the next cut; with `end`, the
   * chunks cover everything. Offsets start at `offset`.
   */
  fastcdc(head: Uint8Array, tail: Uint8Array, end: boolean, params: FastCdcParams, offset: number): FastCdcChunk[];
  /** Chunk files: decoding, and verification against a manifest entry (src/core/chunk.ts). */
  readonly chunk: ChunkCore;
  /** Jellyfish Merkle Tree hashing, roots and proofs (src/core/jmt.ts). */
  readonly jmt: JmtCore;
  /** ICS23 proof verification and operations (src/core/ics23.ts). */
  readonly ics23: Ics23Core;
  /** CometBFT simple Merkle trees (src/core/merkle.ts). */
  readonly merkle: MerkleCore;
  /** ed25519 signature verification, ZIP-215 rules (src/core/ed25519-core.ts). */
  readonly ed25519: Ed25519Core;
}
