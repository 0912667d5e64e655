// ICS23 proof verification in WASM, a drop-in for every export of @confio/ics23 0.6.8 (and
// upstream 0.10's batch helpers, smtSpec and jmtSpec).
export {
  verifyMembership, verifyNonMembership, batchVerifyMembership, batchVerifyNonMembership, checkMembership,
  checkNonMembership, REASONS,
} from './verify.js';
export type { Ics23Reason, Ics23Verdict } from './verify.js';
export { calculateExistenceRoot, verifyExistence, verifyNonExistence } from './proofs.js';
export { compress, decompress, compressBatch, decompressBatch } from './compress.js';
export { ics23 } from './codec.js';
export type { ConversionOptions, MessageClass } from './codec.js';
export { iavlSpec, tendermintSpec, smtSpec, jmtSpec } from './specs.js';
export { MalformedProof, UnsupportedHashOp, ProofInvalid, InvalidArgument } from '../errors.js';
export { encodeCommitmentProof, encodeProofSpec } from './encode.js';
export { HashOp, LengthOp } from './types.js';
export type * from './types.js';
/** The root hash a proof commits to (@confio/ics23's name). */
export type CommitmentRoot = Uint8Array;
