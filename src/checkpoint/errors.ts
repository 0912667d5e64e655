// Typed checkpoint errors with stable codes (after Oasis' MKVS checkpoint errors). Each carries
// the chunk index and the source where they apply, so a caller knows what to refetch and whom
// to stop trusting.
import { LightsnapError } from '../errors.js';

export interface ErrorContext {
  /** Index of the chunk in the manifest's chunk table. */
  chunk?: number;
  /** Where the bytes came from (a URL or a path). */
  source?: string;
  cause?: unknown;
}

export class CheckpointError extends LightsnapError {
  readonly chunk?: number;
  readonly source?: string;
  constructor(code: string, message: string, ctx: ErrorContext = {}) {
    const where = [ctx.chunk !== undefined ? `chunk ${ctx.chunk}` : '', ctx.source ? `from ${ctx.source}` : '']
      .filter(Boolean).join(' ');
    super(code, where ? `${message} (${where})` : message, { cause: ctx.cause });
    this.name = code;
    this.chunk = ctx.chunk;
    this.source = ctx.source;
  }
}

const make = (code: string) => class extends CheckpointError {
  constructor(message: string, ctx: ErrorContext = {}) {
    super(code, message, ctx);
  }
};

/** No checkpoint with that version or id. */
export const CheckpointNotFound = make('CheckpointNotFound');
/** A source has no such chunk file (404, missing file). */
export const ChunkNotFound = make('ChunkNotFound');
/** A chunk's bytes do not match its manifest digest: refetch it, from another source if possible. */
export const ChunkCorrupted = make('ChunkCorrupted');
/** A chunk matched its digest but its leaves do not prove out against the trusted root: the source lied. */
export const ChunkProofVerificationFailed = make('ChunkProofVerificationFailed');
/** The manifest is malformed, out of bounds, or inconsistent (gaps, overlaps, wrong order). */
export const ManifestInvalid = make('ManifestInvalid');
/** The manifest names a different root than the trusted one. */
export const RootMismatch = make('RootMismatch');
/** startRestore while another restore is in progress. */
export const RestoreAlreadyInProgress = make('RestoreAlreadyInProgress');
/** restoreChunk or abortRestore with no restore in progress. */
export const NoRestoreInProgress = make('NoRestoreInProgress');
/** restoreChunk for a chunk that is already restored (harmless; returned, not thrown, by default). */
export const ChunkAlreadyRestored = make('ChunkAlreadyRestored');
/** No source could deliver the data (timeouts, connection errors, server errors). */
export const SourceUnavailable = make('SourceUnavailable');
/** A key is absent from the restored state. */
export const KeyNotFound = make('KeyNotFound');
/** The storage backend refused a write (quota exceeded, connection closed). */
export const StorageFailed = make('StorageFailed');
