// ICS23 proof verification in WASM, a drop-in for @confio/ics23's
// verifyMembership / verifyNonMembership.
export { verifyMembership, verifyNonMembership, checkMembership, checkNonMembership, REASONS } from './verify.js';
export type { Ics23Reason, Ics23Verdict } from './verify.js';
export { iavlSpec, tendermintSpec, smtSpec, jmtSpec } from './specs.js';
export { MalformedProof, UnsupportedHashOp } from '../errors.js';
export { encodeCommitmentProof, encodeProofSpec } from './encode.js';
export { HashOp, LengthOp } from './types.js';
export type * from './types.js';
