// The ICS23 exports of the core. Verification returns 1 (valid), 0 (invalid: `ics23Reason`
// says why), -1 (the proof bytes are malformed) or -2 (the spec bytes are malformed);
// `ics23DecodeError` / `ics23DecodeErrorAt` locate a decode error. The operation-level
// exports exist for the upstream operation vectors and return 0 on failure.
import { decodeError, decodeErrorAt, resetDecodeError } from './proto';
import {
  slot, step, decodeExist, decodeInnerOp, decodeLeafOp, decodeNonExist, decodeSpec, decodeInnerSpec, resetSpec,
  startEmitting, stopEmitting, tokenCount,
} from './ics23_decode';
import { lastReason, resetReason, reject, R_NO_HASH, R_UNSUPPORTED_HASH, applyLeaf, applyInner, calculate, checkAgainstSpec, checkLeaf, checkInner } from './ics23_ops';
import { verify, begin, commitmentRoot, walkProof, walkBatch, walkEntry, leftBranchesAreEmpty, rightBranchesAreEmpty, MALFORMED_PROOF, MALFORMED_SPEC } from './ics23_verify';
import { hashSupported, hashInto } from './ics23_hash';

export function ics23VerifyMembership(proof: usize, proofLen: usize, spec: usize, specLen: usize, root: usize, rootLen: usize,
  key: usize, keyLen: usize, value: usize, valueLen: usize): i32 {
  return verify(true, proof, proofLen, spec, specLen, root, rootLen, key, keyLen, value, valueLen);
}

export function ics23VerifyNonMembership(proof: usize, proofLen: usize, spec: usize, specLen: usize, root: usize, rootLen: usize,
  key: usize, keyLen: usize): i32 {
  return verify(false, proof, proofLen, spec, specLen, root, rootLen, key, keyLen, 0, 0);
}

/** The root a CommitmentProof's first existence proof computes (Go's CommitmentProof.Calculate); see commitmentRoot. */
export function ics23CommitmentRoot(proof: usize, proofLen: usize, out: usize): i32 {
  return commitmentRoot(proof, proofLen, out);
}

export function ics23Reason(): i32 {
  return lastReason();
}

export function ics23DecodeError(): i32 {
  return decodeError;
}

export function ics23DecodeErrorAt(): usize {
  return decodeErrorAt;
}

function resetOp(): void {
  resetReason();
  resetDecodeError();
}

/** doHash: digest of `len` bytes at `src` into `out`; returns its length, 0 if the op cannot hash. */
export function ics23HashOp(hashOp: i32, src: usize, len: usize, out: usize): usize {
  resetOp();
  if (!hashSupported(hashOp)) return <usize>reject(hashOp == 0 ? R_NO_HASH : R_UNSUPPORTED_HASH);
  return hashInto(hashOp, src, len, out);
}

/** LeafOp.apply with the LeafOp message at `op`. */
export function ics23ApplyLeaf(op: usize, opLen: usize, key: usize, keyLen: usize, value: usize, valueLen: usize, out: usize): usize {
  resetOp();
  const ex = slot(0);
  if (!decodeLeafOp(op, op + opLen, ex)) return 0;
  return applyLeaf(ex, key, keyLen, value, valueLen, out);
}

/** InnerOp.apply with the InnerOp message at `op`. */
export function ics23ApplyInner(op: usize, opLen: usize, child: usize, childLen: usize, out: usize): usize {
  resetOp();
  const rec = step(slot(0), 0);
  if (!decodeInnerOp(op, op + opLen, rec)) return 0;
  return applyInner(rec, child, childLen, out);
}

/** ExistenceProof.calculate (no spec) of the ExistenceProof message at `proof`. */
export function ics23Calculate(proof: usize, proofLen: usize, out: usize): usize {
  resetOp();
  const ex = slot(0);
  if (!decodeExist(proof, proof + proofLen, ex, false)) return 0;
  return calculate(ex, false, out);
}

/** ExistenceProof.CheckAgainstSpec: 1 passes, 0 fails, -1/-2 malformed proof/spec. */
export function ics23CheckAgainstSpec(proof: usize, proofLen: usize, spec: usize, specLen: usize): i32 {
  if (!begin(spec, specLen)) return MALFORMED_SPEC;
  const ex = slot(0);
  if (!decodeExist(proof, proof + proofLen, ex, false)) return MALFORMED_PROOF;
  return checkAgainstSpec(ex) ? 1 : 0;
}

/** LeafOp.CheckAgainstSpec for the LeafOp message at `op`: 1 passes, 0 fails, -1/-2 malformed. */
export function ics23CheckLeaf(op: usize, opLen: usize, spec: usize, specLen: usize): i32 {
  if (!begin(spec, specLen)) return MALFORMED_SPEC;
  const ex = slot(0);
  if (!decodeLeafOp(op, op + opLen, ex)) return MALFORMED_PROOF;
  ex.hasLeaf = true;
  return checkLeaf(ex) ? 1 : 0;
}

/**
 * For the InnerOp message at `op`: bit 0 = its left branches are empty placeholders, bit 1 =
 * its right branches are, bit 2 = it passes CheckAgainstSpec as layer 1; -1/-2 malformed.
 */
export function ics23EmptyBranches(op: usize, opLen: usize, spec: usize, specLen: usize): i32 {
  if (!begin(spec, specLen)) return MALFORMED_SPEC;
  const rec = step(slot(0), 0);
  if (!decodeInnerOp(op, op + opLen, rec)) return MALFORMED_PROOF;
  return (leftBranchesAreEmpty(rec) ? 1 : 0) | (rightBranchesAreEmpty(rec) ? 2 : 0) | (checkInner(rec, 1) ? 4 : 0);
}

// Message types of `ics23Decode` (the order of src/ics23/schema.ts's MESSAGE_TYPES).
const M_COMMITMENT_PROOF = 0;
const M_EXISTENCE_PROOF = 1;
const M_NON_EXISTENCE_PROOF = 2;
const M_BATCH_PROOF = 3;
const M_BATCH_ENTRY = 4;
const M_COMPRESSED_BATCH_PROOF = 5;
const M_COMPRESSED_BATCH_ENTRY = 6;
const M_COMPRESSED_EXISTENCE_PROOF = 7;
const M_COMPRESSED_NON_EXISTENCE_PROOF = 8;
const M_LEAF_OP = 9;
const M_INNER_OP = 10;
const M_PROOF_SPEC = 11;
const M_INNER_SPEC = 12;

function decodeMessage(type: i32, p: usize, end: usize): bool {
  switch (type) {
    case M_COMMITMENT_PROOF: return walkProof(p, end);
    case M_EXISTENCE_PROOF: return decodeExist(p, end, slot(0), false);
    case M_NON_EXISTENCE_PROOF: return decodeNonExist(p, end, slot(0), slot(1), false);
    case M_BATCH_PROOF: return walkBatch(p, end, false);
    case M_BATCH_ENTRY: return walkEntry(p, end, false);
    case M_COMPRESSED_BATCH_PROOF: return walkBatch(p, end, true);
    case M_COMPRESSED_BATCH_ENTRY: return walkEntry(p, end, true);
    case M_COMPRESSED_EXISTENCE_PROOF: return decodeExist(p, end, slot(0), true);
    case M_COMPRESSED_NON_EXISTENCE_PROOF: return decodeNonExist(p, end, slot(0), slot(1), true);
    case M_LEAF_OP: return decodeLeafOp(p, end, slot(0));
    case M_INNER_OP: return decodeInnerOp(p, end, step(slot(0), 0));
    case M_PROOF_SPEC: return decodeSpec(p, end);
    case M_INNER_SPEC: resetSpec(p); return decodeInnerSpec(p, end);
  }
  return false;
}

/**
 * Decodes a message of `type` with the verifier's decoder (same rules, same limits), writing
 * its fields as tokens (see ics23_decode.ts) to `out`, room for `capacity` tokens. Returns the
 * token count, or -1 when the bytes are malformed (`ics23DecodeError` says why).
 */
export function ics23Decode(type: i32, p: usize, len: usize, out: usize, capacity: usize): i32 {
  resetOp();
  startEmitting(p, out, capacity);
  const ok = decodeMessage(type, p, p + len);
  stopEmitting();
  return ok ? tokenCount : -1;
}
