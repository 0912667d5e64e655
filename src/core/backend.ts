// What the rest of lightsnap asks of a core. The WASM cores (SIMD and scalar) and the
// pure-TypeScript fallback implement it with identical results.

import type { CoreExports, Scratch } from './abi.js';

export type BackendKind = 'wasm-simd' | 'wasm-scalar' | 'js';

/** An incremental SHA-256 computation. */
export interface Sha256State {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export interface Backend {
  readonly kind: BackendKind;
  /** The raw exports and the scratch memory, for the feature wrappers in src/core/. */
  readonly core: CoreExports;
  readonly scratch: Scratch;
  sha256(data: Uint8Array): Uint8Array;
  sha256Stream(): Sha256State;
  /** Hashes `data.length / 64` independent 64-byte messages; returns their digests back to back. */
  sha256Batch64(data: Uint8Array): Uint8Array;
  /**
   * Hashes independent messages laid back to back in `data`; message i is
   * `data[offsets[i], offsets[i + 1])`. Returns the digests back to back.
   */
  sha256BatchVar(data: Uint8Array, offsets: Uint32Array): Uint8Array;
}
