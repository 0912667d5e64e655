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
  /** The message without the chunk and source. */
  readonly detail: string;
  constructor(code: string, detail: string, ctx: ErrorContext = {}) {
    const where = [ctx.chunk !== undefined ? `chunk ${ctx.chunk}` : '', ctx.source ? `from ${ctx.source}` : '']
      .filter(Boolean).join(' ');
    super(code, where ? `${detail} (${where})` : detail, { cause: ctx.cause });
    this.name = code;
    this.detail = detail;
    this.chunk = ctx.chunk;
    this.source = ctx.source;
  }

  /** The same error with the chunk index or source filled in where it was missing. */
  at(ctx: ErrorContext): CheckpointError {
    return new CheckpointError(this.code, this.detail ?? this.message, merged(this, ctx));
  }
}

/** `err`'s context, with what it lacks taken from `ctx`. */
function merged(err: CheckpointError, ctx: ErrorContext): ErrorContext {
  return { chunk: err.chunk ?? ctx.chunk, source: err.source ?? ctx.source, cause: err.cause ?? ctx.cause };
}

const make = (code: string) => class Specific extends CheckpointError {
  constructor(detail: string, ctx: ErrorContext = {}) {
    super(code, detail, ctx);
  }

  at(ctx: ErrorContext): Specific {
    // `detail` is missing on an error rebuilt after crossing a thread: fall back to the message.
    return new Specific(this.detail ?? this.message, merged(this, ctx));
  }
};

/** Looks up the error class of a stable code (to rebuild errors that crossed a thread). */
export function checkpointErrorClass(code: string): (new (detail: string, ctx?: ErrorContext) => CheckpointError) | undefined {
  return ERROR_CLASSES[code];
}

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
/** restoreChunk for a chunk that is already restored (harmless: nothing changes). */
export const ChunkAlreadyRestored = make('ChunkAlreadyRestored');
/** No source could deliver the data (timeouts, connection errors, server errors). */
export const SourceUnavailable = make('SourceUnavailable');
/** A key is absent from the restored state. */
export const KeyNotFound = make('KeyNotFound');
/** The storage backend refused a write (quota exceeded, connection closed). */
export const StorageFailed = make('StorageFailed');

export type CheckpointNotFound = InstanceType<typeof CheckpointNotFound>;
export type ChunkNotFound = InstanceType<typeof ChunkNotFound>;
export type ChunkCorrupted = InstanceType<typeof ChunkCorrupted>;
export type ChunkProofVerificationFailed = InstanceType<typeof ChunkProofVerificationFailed>;
export type ManifestInvalid = InstanceType<typeof ManifestInvalid>;
export type RootMismatch = InstanceType<typeof RootMismatch>;
export type RestoreAlreadyInProgress = InstanceType<typeof RestoreAlreadyInProgress>;
export type NoRestoreInProgress = InstanceType<typeof NoRestoreInProgress>;
export type ChunkAlreadyRestored = InstanceType<typeof ChunkAlreadyRestored>;
export type SourceUnavailable = InstanceType<typeof SourceUnavailable>;
export type KeyNotFound = InstanceType<typeof KeyNotFound>;
export type StorageFailed = InstanceType<typeof StorageFailed>;

const ERROR_CLASSES: Record<string, new (detail: string, ctx?: ErrorContext) => CheckpointError> = {
  CheckpointNotFound, ChunkNotFound, ChunkCorrupted, ChunkProofVerificationFailed, ManifestInvalid, RootMismatch,
  RestoreAlreadyInProgress, NoRestoreInProgress, ChunkAlreadyRestored, SourceUnavailable, KeyNotFound, StorageFailed,
};
