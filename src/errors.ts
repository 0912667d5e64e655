// Every error lightsnap throws on purpose, in one place. Each is a class with a stable `code`
// (callers branch on it without parsing messages) and is registered once, below, with the CLI
// exit status of its kind; the registry also rebuilds errors that cross a thread
// (src/worker/error-transfer.ts). A new error: declare its class here, then add it to ERRORS.

/** The CLI's exit statuses (docs/CLI.md). `failure` is reserved for bugs. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  input: 4,
  verification: 5,
  network: 6,
  storage: 7,
  supervised: 8,
} as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

export class LightsnapError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

// ---- arguments and the core -----------------------------------------------------------------

/** A caller passed an argument of the wrong type or outside its stated limits. */
export class InvalidArgument extends LightsnapError {
  constructor(message: string) {
    super('InvalidArgument', message);
  }
}

/** The WASM core could not be loaded and no fallback was allowed. */
export class CoreUnavailable extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CoreUnavailable', message, options);
  }
}

/** A JSON-lines input is malformed; `line` is 1-based. An InvalidArgument, so its code is too. */
export class JsonLinesError extends InvalidArgument {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'JsonLinesError';
    this.line = line;
  }
}

// ---- located errors: checkpoints, sources, stores --------------------------------------------

export interface ErrorContext {
  /** Index of the chunk in the manifest's chunk table. */
  chunk?: number;
  /** Where the bytes came from (a URL or a path). */
  source?: string;
  cause?: unknown;
}

/**
 * An error about a chunk and/or a source (after Oasis' MKVS checkpoint errors): it says what
 * to refetch and whom to stop trusting. `detail` is the message without the location.
 */
export class CheckpointError extends LightsnapError {
  readonly chunk?: number;
  readonly source?: string;
  readonly detail: string;
  constructor(code: string, detail: string, ctx: ErrorContext = {}) {
    const where = [ctx.chunk !== undefined ? `chunk ${ctx.chunk}` : '', ctx.source ? `from ${ctx.source}` : '']
      .filter(Boolean).join(' ');
    super(code, where ? `${detail} (${where})` : detail, { cause: ctx.cause });
    this.detail = detail;
    this.chunk = ctx.chunk;
    this.source = ctx.source;
  }

  /** The same error (same class) with the chunk index or source filled in where it was missing. */
  at(ctx: ErrorContext): CheckpointError {
    const merged = { chunk: this.chunk ?? ctx.chunk, source: this.source ?? ctx.source, cause: this.cause ?? ctx.cause };
    // `detail` is missing on an error rebuilt from a peer that did not send it: use the message.
    const detail = this.detail ?? this.message;
    if (this.constructor === CheckpointError) return new CheckpointError(this.code, detail, merged);
    return new (this.constructor as new (detail: string, ctx: ErrorContext) => CheckpointError)(detail, merged);
  }
}

// Each located error below takes (detail, ctx?) and fixes its own code.

/** No checkpoint with that version or id (or no manifest at a source). */
export class CheckpointNotFound extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('CheckpointNotFound', detail, ctx); }
}
/** A source has no such chunk file (404, missing file). */
export class ChunkNotFound extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('ChunkNotFound', detail, ctx); }
}
/** A chunk's bytes do not match its manifest digest: refetch it, from another source if possible. */
export class ChunkCorrupted extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('ChunkCorrupted', detail, ctx); }
}
/** A chunk matched its digest but its leaves do not prove out against the trusted root: the source lied. */
export class ChunkProofVerificationFailed extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('ChunkProofVerificationFailed', detail, ctx); }
}
/** The manifest is malformed, out of bounds, or inconsistent (gaps, overlaps, wrong order). */
export class ManifestInvalid extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('ManifestInvalid', detail, ctx); }
}
/** The manifest names a different root than the trusted one. */
export class RootMismatch extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('RootMismatch', detail, ctx); }
}
/** startRestore while another restore is in progress. */
export class RestoreAlreadyInProgress extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('RestoreAlreadyInProgress', detail, ctx); }
}
/** restoreChunk or abortRestore with no restore in progress. */
export class NoRestoreInProgress extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('NoRestoreInProgress', detail, ctx); }
}
/** restoreChunk for a chunk that is already restored (harmless: nothing changes). */
export class ChunkAlreadyRestored extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('ChunkAlreadyRestored', detail, ctx); }
}
/** No source could deliver the data (timeouts, connection errors, server errors). */
export class SourceUnavailable extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('SourceUnavailable', detail, ctx); }
}
/** A manifest of a format version this lightsnap cannot read (or write): upgrade lightsnap; the message names the version. */
export class UnsupportedFormatVersion extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('UnsupportedFormatVersion', detail, ctx); }
}
/** A key is absent from the restored state. */
export class KeyNotFound extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('KeyNotFound', detail, ctx); }
}
/** The storage backend refused a write (quota exceeded, disk full, connection closed). */
export class StorageFailed extends CheckpointError {
  constructor(detail: string, ctx?: ErrorContext) { super('StorageFailed', detail, ctx); }
}

// ---- trees and proofs ------------------------------------------------------------------------

/** Leaves given as sorted were not strictly increasing by key hash (or left their subtree). */
export class UnsortedLeaves extends LightsnapError {
  /** Index of the offending leaf, counting every leaf given to the builder. */
  readonly index: number;
  constructor(index: number, detail = 'is not greater than the previous key hash') {
    super('UnsortedLeaves', `leaf ${index}: key hash ${detail}`);
    this.index = index;
  }
}

/** A proof failed verification or could not be decoded; `reason` says which check failed. */
export class ProofInvalid extends LightsnapError {
  readonly reason: string;
  constructor(reason: string, message?: string) {
    super('ProofInvalid', message ?? `proof rejected: ${reason}`);
    this.reason = reason;
  }
}

/** The bytes are not a well-formed ICS23 CommitmentProof (or exceed the verifier's limits). */
export class MalformedProof extends LightsnapError {
  /** Byte offset of the problem in the proof bytes. */
  readonly offset: number;
  constructor(detail: string, offset: number) {
    super('MalformedProof', `malformed ICS23 proof at byte ${offset}: ${detail}`);
    this.offset = offset;
  }
}

/** The proof needs a HashOp this verifier does not implement (KECCAK256, BLAKE3; Go does not either). */
export class UnsupportedHashOp extends LightsnapError {
  constructor(message: string) {
    super('UnsupportedHashOp', message);
  }
}

// ---- changesets ------------------------------------------------------------------------------

export interface ChangesetContext {
  height?: number;
  /** Index of the piece in the height's metadata. */
  piece?: number;
  /** Where the bytes came from (a URL or a path). */
  source?: string;
  cause?: unknown;
}

/**
 * An error about one height's changeset: it names the height and, where one applies, the piece
 * index, so a follower knows which piece to refetch and which height was refused.
 */
export class ChangesetError extends LightsnapError {
  readonly height?: number;
  readonly piece?: number;
  readonly source?: string;
  constructor(code: string, detail: string, ctx: ChangesetContext = {}) {
    const where = [ctx.height !== undefined ? `height ${ctx.height}` : '', ctx.piece !== undefined ? `piece ${ctx.piece}` : '',
      ctx.source ? `from ${ctx.source}` : ''].filter(Boolean).join(' ');
    super(code, where ? `${detail} (${where})` : detail, { cause: ctx.cause });
    this.height = ctx.height;
    this.piece = ctx.piece;
    this.source = ctx.source;
  }
}

/** Changeset metadata or a piece is malformed, out of bounds, of an unknown format version, or inconsistent. */
export class ChangesetInvalid extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangesetInvalid', detail, ctx); }
}
/** A location holds no changeset metadata (changeset.json). */
export class ChangesetNotFound extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangesetNotFound', detail, ctx); }
}
/** A piece the metadata names is absent from the source. */
export class ChangesetPieceNotFound extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangesetPieceNotFound', detail, ctx); }
}
/** A piece's bytes do not match the size or digest its metadata states (corrupt, truncated, oversized). */
export class ChangesetPieceCorrupted extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangesetPieceCorrupted', detail, ctx); }
}
/** One change does not fit in a piece: its key or value is over the stated limits. */
export class ChangeTooLarge extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangeTooLarge', detail, ctx); }
}
/** A changeset's prevRoot is not the root of the state it is applied to (Kwil's PreviousBlock check). */
export class PrevRootMismatch extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('PrevRootMismatch', detail, ctx); }
}
/** Applying a changeset gave another root than the changeset (or the caller's expectRoot) states. */
export class ChangesetRootMismatch extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('ChangesetRootMismatch', detail, ctx); }
}

// ---- workers ---------------------------------------------------------------------------------

/** A worker failed to load, crashed or exited, twice for the same task (the retry included). */
export class WorkerFailed extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WorkerFailed', message, options);
  }
}

/** The pool was closed while the call waited for a worker or ran on one. */
export class PoolClosed extends LightsnapError {
  constructor() {
    super('PoolClosed', 'the worker pool was closed');
  }
}

// ---- the light client ------------------------------------------------------------------------

/** Untrusted light-client data (a light block, an RPC answer) does not have the expected shape; `path` says where. */
export class LightBlockMalformed extends LightsnapError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('LightBlockMalformed', `${path}: ${message}`);
    this.path = path;
  }
}

/** A header failed light-client verification (INVALID, or trust that cannot be reached); names the height. */
export class LightVerificationFailed extends LightsnapError {
  readonly height: number;
  readonly reason: string;
  readonly source?: string;
  constructor(height: number, reason: string, source?: string) {
    super('LightVerificationFailed', `header at height ${height}${source ? ` from ${source}` : ''} failed verification: ${reason}`);
    this.height = height;
    this.reason = reason;
    this.source = source;
  }
}

/** The trusted header is older than the trusting period: a new trust root is needed. */
export class TrustedHeaderExpired extends LightsnapError {
  constructor(message: string) {
    super('TrustedHeaderExpired', message);
  }
}

/** One side of a ConflictingHeaders: who served which header (and the light block, as evidence). */
export interface ConflictingSide {
  source: string;
  /** The header hash, uppercase hex. */
  hash: string;
  /** The light block in the RPC's JSON shape. */
  lightBlock: unknown;
}

/**
 * A witness served a validly signed header different from the primary's at the same height:
 * a fork or an attack. Both light blocks are kept as evidence.
 */
export class ConflictingHeaders extends LightsnapError {
  readonly height: number;
  readonly primary: ConflictingSide;
  readonly witness: ConflictingSide;
  constructor(height: number, primary: ConflictingSide, witness: ConflictingSide) {
    super('ConflictingHeaders',
      `witness ${witness.source} has header ${witness.hash} at height ${height}, the primary ${primary.source} has ${primary.hash}`);
    this.height = height;
    this.primary = primary;
    this.witness = witness;
  }
}

/** A light-block provider could not answer (timeouts, connection errors, server errors, no such height). */
export class ProviderUnavailable extends LightsnapError {
  readonly source: string;
  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('ProviderUnavailable', `${source}: ${message}`, options);
    this.source = source;
  }
}

// ---- the upgrade supervisor (lightsnap visor) ------------------------------------------------

/** config.json, a run-config.json, the journal or the home folder itself is malformed or out of bounds. */
export class VisorConfigInvalid extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VisorConfigInvalid', message, options);
  }
}

/** A status URL, height source or upgrade-info.json could not be read or answered malformed. */
export class UpgradeSourceFailed extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UpgradeSourceFailed', message, options);
  }
}

/** A release's files could not be installed: download failed, checksum missing or mismatched. */
export class ArtifactRefused extends LightsnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ArtifactRefused', message, options);
  }
}

/** The backup or the pre-upgrade hook stopped the upgrade (hook exit 30, retries used up, crash, timeout). */
export class UpgradeAborted extends LightsnapError {
  constructor(message: string) {
    super('UpgradeAborted', message);
  }
}

/** A supervised process exited more often than maxNumberOfRestarts allows; the message is the report. */
export class ProcessGaveUp extends LightsnapError {
  constructor(message: string) {
    super('ProcessGaveUp', message);
  }
}

/** Another supervisor is already running on this home folder. */
export class HomeBusy extends LightsnapError {
  constructor(message: string) {
    super('HomeBusy', message);
  }
}

// ---- migrations -------------------------------------------------------------------------------
// A migration is a run of heights (a genesis, then one changeset per height), so its errors are
// located as changeset errors are: by height, piece and source.

/** No migration is declared in this place (Kwil's ErrNoActiveMigration). */
export class NoActiveMigration extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('NoActiveMigration', detail, ctx); }
}
/** A genesis chunk or changeset piece index past the last one (Kwil's ErrNoMoreChunksToRead). */
export class NoMoreChunksToRead extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('NoMoreChunksToRead', detail, ctx); }
}
/** migration.json or a declaration is malformed, out of bounds, of an unknown version, or inconsistent. */
export class MigrationInvalid extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('MigrationInvalid', detail, ctx); }
}
/** A different migration than the one recorded or followed here (another id or genesis). */
export class MigrationMismatch extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('MigrationMismatch', detail, ctx); }
}
/** A height notified out of order, or notified again with other changes. */
export class HeightOutOfOrder extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('HeightOutOfOrder', detail, ctx); }
}
/** The source recorded nothing new before the stated deadline. */
export class MigrationStalled extends ChangesetError {
  constructor(detail: string, ctx?: ChangesetContext) { super('MigrationStalled', detail, ctx); }
}

// ---- the registry ----------------------------------------------------------------------------

type ErrorClass = abstract new (...args: never[]) => LightsnapError;

/**
 * Every error class by its `name` (its code, except JsonLinesError, whose code is InvalidArgument),
 * with the CLI exit status of its kind.
 */
export const ERRORS: Readonly<Record<string, { readonly cls: ErrorClass; readonly exit: ExitStatus }>> = {
  InvalidArgument: { cls: InvalidArgument, exit: EXIT.usage },
  JsonLinesError: { cls: JsonLinesError, exit: EXIT.usage },
  CoreUnavailable: { cls: CoreUnavailable, exit: EXIT.failure },
  CheckpointNotFound: { cls: CheckpointNotFound, exit: EXIT.input },
  ChunkNotFound: { cls: ChunkNotFound, exit: EXIT.input },
  ChunkCorrupted: { cls: ChunkCorrupted, exit: EXIT.verification },
  ChunkProofVerificationFailed: { cls: ChunkProofVerificationFailed, exit: EXIT.verification },
  ManifestInvalid: { cls: ManifestInvalid, exit: EXIT.verification },
  RootMismatch: { cls: RootMismatch, exit: EXIT.verification },
  RestoreAlreadyInProgress: { cls: RestoreAlreadyInProgress, exit: EXIT.input },
  NoRestoreInProgress: { cls: NoRestoreInProgress, exit: EXIT.usage },
  ChunkAlreadyRestored: { cls: ChunkAlreadyRestored, exit: EXIT.usage },
  SourceUnavailable: { cls: SourceUnavailable, exit: EXIT.network },
  UnsupportedFormatVersion: { cls: UnsupportedFormatVersion, exit: EXIT.input },
  KeyNotFound: { cls: KeyNotFound, exit: EXIT.notFound },
  StorageFailed: { cls: StorageFailed, exit: EXIT.storage },
  UnsortedLeaves: { cls: UnsortedLeaves, exit: EXIT.input },
  ProofInvalid: { cls: ProofInvalid, exit: EXIT.verification },
  MalformedProof: { cls: MalformedProof, exit: EXIT.input },
  UnsupportedHashOp: { cls: UnsupportedHashOp, exit: EXIT.input },
  ChangesetInvalid: { cls: ChangesetInvalid, exit: EXIT.verification },
  ChangesetNotFound: { cls: ChangesetNotFound, exit: EXIT.input },
  ChangesetPieceNotFound: { cls: ChangesetPieceNotFound, exit: EXIT.input },
  ChangesetPieceCorrupted: { cls: ChangesetPieceCorrupted, exit: EXIT.verification },
  ChangeTooLarge: { cls: ChangeTooLarge, exit: EXIT.input },
  PrevRootMismatch: { cls: PrevRootMismatch, exit: EXIT.verification },
  ChangesetRootMismatch: { cls: ChangesetRootMismatch, exit: EXIT.verification },
  WorkerFailed: { cls: WorkerFailed, exit: EXIT.failure },
  PoolClosed: { cls: PoolClosed, exit: EXIT.failure },
  LightBlockMalformed: { cls: LightBlockMalformed, exit: EXIT.input },
  LightVerificationFailed: { cls: LightVerificationFailed, exit: EXIT.verification },
  TrustedHeaderExpired: { cls: TrustedHeaderExpired, exit: EXIT.verification },
  ConflictingHeaders: { cls: ConflictingHeaders, exit: EXIT.verification },
  ProviderUnavailable: { cls: ProviderUnavailable, exit: EXIT.network },
  VisorConfigInvalid: { cls: VisorConfigInvalid, exit: EXIT.input },
  UpgradeSourceFailed: { cls: UpgradeSourceFailed, exit: EXIT.network },
  ArtifactRefused: { cls: ArtifactRefused, exit: EXIT.verification },
  UpgradeAborted: { cls: UpgradeAborted, exit: EXIT.failure },
  ProcessGaveUp: { cls: ProcessGaveUp, exit: EXIT.supervised },
  HomeBusy: { cls: HomeBusy, exit: EXIT.input },
  NoActiveMigration: { cls: NoActiveMigration, exit: EXIT.notFound },
  NoMoreChunksToRead: { cls: NoMoreChunksToRead, exit: EXIT.notFound },
  MigrationInvalid: { cls: MigrationInvalid, exit: EXIT.verification },
  MigrationMismatch: { cls: MigrationMismatch, exit: EXIT.verification },
  HeightOutOfOrder: { cls: HeightOutOfOrder, exit: EXIT.input },
  MigrationStalled: { cls: MigrationStalled, exit: EXIT.network },
};

/** The registered class of an error name, or undefined for one this version does not know. */
export function errorClass(name: string): ErrorClass | undefined {
  return Object.hasOwn(ERRORS, name) ? ERRORS[name].cls : undefined;
}

/** The CLI exit status of a failure: by the error's registered kind; `failure` for anything else. */
export function exitStatusOf(err: unknown): ExitStatus {
  if (!(err instanceof LightsnapError)) return EXIT.failure;
  const entry = Object.hasOwn(ERRORS, err.name) ? ERRORS[err.name] : Object.hasOwn(ERRORS, err.code) ? ERRORS[err.code] : undefined;
  return entry?.exit ?? EXIT.failure;
}
