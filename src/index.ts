// lightsnap's public API.
export { init, initSync, type InitOptions } from './core/load.js';
export type { BackendKind } from './core/backend.js';
export { ed25519Verify, ed25519VerifyBatch, MAX_ED25519_MESSAGE_BYTES, type Ed25519Item } from './core/ed25519.js';
export { sha256, sha256Whole, Sha256, sha256Batch, sha256Batch64, sha256BatchPacked, MAX_BATCH_MESSAGES } from './hash/sha256.js';
export { fastcdc, FastCdcChunker, type CdcChunk, type CdcChunkData } from './chunk/fastcdc.js';
export { fastcdcStream, type ByteSource } from './chunk/stream.js';
export { DEFAULT_AVG_SIZE, FASTCDC_LIMITS, type FastCdcOptions } from './chunk/options.js';
export { PLACEHOLDER_HASH, leafHash, internalHash, type Leaf } from './tree/hash.js';
export { RootBuilder, rootOfSortedLeaves, rootOfPairs, rootOfPairStream } from './tree/root.js';
export type { Pair } from './tree/pairs.js';
export {
  encodeProof, decodeProof, verifyMembership, verifyNonMembership, MAX_PROOF_BYTES, type SparseMerkleProof,
} from './tree/proof.js';
export { RangeProofBuilder, type ChunkRange } from './tree/range/builder.js';
export { verifyRangeProof } from './tree/range/verify.js';
export { proveInChunk, type KeyProof } from './tree/range/prove.js';
export { MIN_KEY_HASH, MAX_KEY_HASH, nextKeyHash } from './tree/range/key-space.js';
export { MAX_RANGE_PROOF_BYTES } from './tree/range/encoding.js';
export { MemoryTree, type HashedChange } from './tree/memory-tree.js';
export {
  toIcs23Existence, ics23ExistenceProof, ics23NonExistenceProof, ics23ProofFromTree, type ProvenEntry,
} from './tree/ics23.js';
// Checkpoints (docs/FORMAT.md): create, verify, restore, query. Browser-safe; the filesystem
// store, the directory source and the HTTP server are in 'lightsnap/node'.
export { createCheckpoint, createCheckpointFromSorted, type CreateOptions, type CreatedCheckpoint } from './checkpoint/create.js';
export { Creator, Checkpointer, type CheckpointerOptions, type StateSource } from './checkpoint/creator.js';
export { checkpointSettingsAt, type CheckpointSettings } from './checkpoint/settings.js';
export { Restorer, type RestorerOptions, type RestoreStatus } from './checkpoint/restorer.js';
export { verifyCheckpoint, restoreCheckpoint, type TransferOptions, type TransferResult } from './checkpoint/transfer.js';
export { verifyChunk, localVerifier, type ChunkInput, type Verifier } from './checkpoint/verify.js';
export { openCheckpoint, type CheckpointView } from './checkpoint/query.js';
export { defaultChunking, DEFAULT_MAX_CHUNK_BYTES } from './checkpoint/splitter.js';
// Every typed error (src/errors.ts); the worker and ICS23 ones are exported by their entries too.
export {
  LightsnapError, InvalidArgument, CoreUnavailable, JsonLinesError, UnsortedLeaves, ProofInvalid,
  CheckpointError, CheckpointNotFound, ChunkNotFound, ChunkCorrupted, ChunkProofVerificationFailed, ManifestInvalid,
  RootMismatch, RestoreAlreadyInProgress, NoRestoreInProgress, ChunkAlreadyRestored, SourceUnavailable, KeyNotFound,
  StorageFailed, ChangesetError, ChangesetInvalid, ChangesetNotFound, ChangesetPieceNotFound, ChangesetPieceCorrupted,
  ChangeTooLarge, PrevRootMismatch, ChangesetRootMismatch, EXIT, ERRORS, exitStatusOf, type ErrorContext, type ExitStatus,
  type ChangesetContext, UnsupportedFormatVersion, NoActiveMigration, NoMoreChunksToRead, MigrationInvalid,
  MigrationMismatch, HeightOutOfOrder, MigrationStalled,
} from './errors.js';
export {
  parseManifest, encodeManifest, validateManifest, MAX_MANIFEST_BYTES, MAX_CHUNKS, MANIFEST_FORMAT_VERSION, READABLE_FORMAT_VERSIONS,
  type Manifest, type ChunkEntry, type ChunkingParams,
} from './format/manifest.js';
export { encodeChunk, decodeChunk, MAX_KEY_LENGTH } from './format/chunk.js';
export { readJsonLines, parseLine, decodeBytesString } from './format/jsonl.js';
export type { Store } from './store/store.js';
export { memoryStore } from './store/memory.js';
export type { Source, FetchOptions } from './net/source.js';
export { httpSource, type HttpSourceOptions } from './net/http-source.js';
export { storeSource } from './net/store-source.js';
export type { ProgressEvent, ProgressListener, TransferProgressEvent, ChunkState } from './progress.js';
export {
  createStreamCheckpoint, readStreamCheckpoint, streamChunkProof, verifyStreamChunk,
  type CreateStreamOptions, type ReadStreamOptions,
} from './stream/stream-checkpoint.js';
export {
  parseStreamManifest, encodeStreamManifest, type StreamManifest, type StreamChunker,
} from './format/stream-manifest.js';
export { decodeCosmosSnapshot, CosmosSnapshotVerifier, type CosmosSnapshot } from './stream/cosmos-snapshot.js';
// Changesets (docs/FORMAT.md, "Changeset"): one height's ordered changes in content-addressed pieces.
export {
  ChangesetWriter, encodeChangeset, encodeChangesetMetadata, parseChangesetMetadata, decodeChangesetPiece,
  CHANGESET_FORMAT, CHANGESET_FORMAT_VERSION, MAX_PIECE_BYTES, MAX_PIECES, MAX_CHANGE_BYTES,
  type ChangesetMetadata, type ChangesetRoots, type PieceEntry, type Piece, type EncodedChangeset,
} from './format/changeset.js';
export {
  writeChangeset, loadChangesetMetadata, fetchPiece, readChanges, openChangeset, piecePath, CHANGESET_METADATA_PATH,
  type WrittenChangeset,
} from './changeset/io.js';
export { diffCheckpoints, type CheckpointDiff } from './changeset/diff.js';
export {
  applyChangesets, appendInPlace, collectGarbage, currentManifest, ChangesetApplier,
  type ChangesetToApply, type ApplyOptions, type ApplyResult, type HeightApplied, type AppendOptions,
} from './checkpoint/apply.js';
export type { WrittenCheckpoint } from './checkpoint/writer.js';
// Long-running migrations (docs/FORMAT.md, "Migration"): the old side records, the new side follows.
export { Migrator, type MigratorOptions, type NoMigration } from './migrate/migrator.js';
export {
  MigrationManager, CURRENT_FILE, type MigrationManagerOptions, type MigrationEvent, type CurrentPointer,
} from './migrate/manager.js';
export {
  encodeDeclaration, decodeDeclaration, declarationId, endHeight, type MigrationDeclaration,
} from './migrate/declaration.js';
export {
  parseMigration, encodeMigration, type MigrationMetadata, type MigrationStatus, type GenesisInfo,
} from './migrate/metadata.js';
export { prefixedStore } from './store/prefixed.js';
