// lightsnap's public API.
export { init, initSync, type InitOptions } from './core/load.js';
export type { BackendKind } from './core/backend.js';
export { sha256, Sha256, sha256Batch, sha256Batch64, sha256BatchPacked, MAX_BATCH_MESSAGES } from './hash/sha256.js';
export { LightsnapError, InvalidArgument, CoreUnavailable } from './errors.js';
export { fastcdc, FastCdcChunker, type CdcChunk, type CdcChunkData } from './chunk/fastcdc.js';
export { fastcdcStream, type ByteSource } from './chunk/stream.js';
export { DEFAULT_AVG_SIZE, FASTCDC_LIMITS, type FastCdcOptions } from './chunk/options.js';
export { PLACEHOLDER_HASH, leafHash, internalHash, type Leaf } from './tree/hash.js';
export { RootBuilder, rootOfSortedLeaves, rootOfPairs, rootOfPairStream } from './tree/root.js';
export type { Pair } from './tree/pairs.js';
export { UnsortedLeaves, ProofInvalid } from './tree/errors.js';
export {
  encodeProof, decodeProof, verifyMembership, verifyNonMembership, MAX_PROOF_BYTES, type SparseMerkleProof,
} from './tree/proof.js';
export {
  RangeProofBuilder, verifyRangeProof, MIN_KEY_HASH, MAX_KEY_HASH, MAX_RANGE_PROOF_BYTES, type ChunkRange,
} from './tree/range-proof.js';
export { MemoryTree, type HashedChange } from './tree/memory-tree.js';
export {
  toIcs23Existence, ics23ExistenceProof, ics23NonExistenceProof, ics23ProofFromTree, type ProvenEntry,
} from './tree/ics23.js';
