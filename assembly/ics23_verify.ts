// ICS23 membership and non-membership verification (SPECS §2.3–2.4): picks the existence or
// non-existence proof for the key out of a CommitmentProof (plain, batch or compressed batch),
// checks it against the spec, recomputes the root, and for non-existence checks that the
// neighbours bracket the key (by hashed key when the spec asks) and are adjacent in the tree.
import {
  readField, expectWire, fail, fieldNumber, fieldPtr, fieldLen, WIRE_LEN, E_DUPLICATE, resetDecodeError,
} from './proto';
import {
  ExistRec, InnerOpRec, slot, step, spec, childOrder, decodeExist, decodeNonExist, decodeSpec, indexLookupInners,
  decodedSpecLen, keepDecodedSpec,
  nonexistKey, nonexistKeyLen, hasLeft, hasRight, decodeOnly, emitOpen, emitClose,
} from './ics23_decode';
import {
  reject, resetReason, checkAgainstSpec, calculate, classifySpec, recordPath, shareRecordedPath, forgetPath, R_KEY_MISMATCH, R_VALUE_MISMATCH, R_ROOT_MISMATCH,
  R_NO_PROOF, R_NO_NEIGHBOURS, R_ORDER, R_NOT_LEFTMOST, R_NOT_RIGHTMOST, R_NOT_NEIGHBOURS, R_UNSUPPORTED_HASH,
} from './ics23_ops';
import { hashSupported, hashInto, MAX_DIGEST, NO_HASH } from './ics23_hash';

const ROOT: usize = memory.data(MAX_DIGEST, 16);

function bytesEqual(a: usize, aLen: usize, b: usize, bLen: usize): bool {
  if (aLen != bLen) return false;
  // Word by word even when a and b are not equally aligned (memory.compare then goes byte by byte).
  let i: usize = 0;
  for (; i + 8 <= aLen; i += 8) if (load<u64>(a + i, 0, 1) != load<u64>(b + i, 0, 1)) return false;
  for (; i < aLen; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** ExistenceProof.Verify: spec checks, key and value equal, calculated root equal. */
function verifyExist(ex: ExistRec, root: usize, rootLen: usize, key: usize, keyLen: usize, value: usize, valueLen: usize): bool {
  if (!checkAgainstSpec(ex)) return false;
  if (!bytesEqual(ex.key, ex.keyLen, key, keyLen)) return reject(R_KEY_MISMATCH);
  if (!bytesEqual(ex.value, ex.valueLen, value, valueLen)) return reject(R_VALUE_MISMATCH);
  const len = calculate(ex, true, ROOT);
  if (len == 0) return false;
  return bytesEqual(ROOT, len, root, rootLen) || reject(R_ROOT_MISMATCH);
}

const CMP_A: usize = memory.data(MAX_DIGEST, 16);
const CMP_B: usize = memory.data(MAX_DIGEST, 16);
let cmpFailed: bool = false;

/**
 * Compares keys in the order the spec's tree sorts them: byte-wise, after hashing both with
 * leaf_spec.prehash_key when prehash_key_before_comparison is set. Sets `cmpFailed` when the
 * hash cannot be computed.
 */
function compareKeys(a: usize, aLen: usize, b: usize, bLen: usize): i32 {
  if (spec.prehashKeyBeforeComparison && spec.leafPrehashKey != NO_HASH) {
    if (!hashSupported(spec.leafPrehashKey)) {
      cmpFailed = true;
      reject(R_UNSUPPORTED_HASH);
      return 0;
    }
    aLen = hashInto(spec.leafPrehashKey, a, aLen, CMP_A);
    bLen = hashInto(spec.leafPrehashKey, b, bLen, CMP_B);
    a = CMP_A;
    b = CMP_B;
  }
  const c = memory.compare(a, b, min(aLen, bLen));
  if (c != 0) return c;
  return aLen < bLen ? -1 : aLen > bLen ? 1 : 0;
}

/** Position of `branch` in the spec's child_order, or -1. */
function position(branch: i32): i32 {
  for (let i = 0; i < spec.childCount; i++) if (childOrder(i) == branch) return i;
  return -1;
}

// Padding of the branch last passed to `padding` (prefix length range and suffix length).
let padMin: i64 = 0;
let padMax: i64 = 0;
let padSuffix: i64 = 0;

function padding(branch: i32): bool {
  const idx = position(branch);
  if (idx < 0) return false;
  const before = <i64>idx * <i64>spec.childSize;
  padMin = before + <i64>spec.minPrefixLength;
  padMax = before + <i64>spec.maxPrefixLength;
  padSuffix = <i64>(spec.childCount - 1 - idx) * <i64>spec.childSize;
  return true;
}

function hasPadding(op: InnerOpRec): bool {
  const p = <i64>op.prefixLen;
  return p >= padMin && p <= padMax && <i64>op.suffixLen == padSuffix;
}

/** The branch whose padding `op` has, or -1. */
function orderFromPadding(op: InnerOpRec): i32 {
  for (let branch = 0; branch < spec.childCount; branch++) {
    if (padding(branch) && hasPadding(op)) return branch;
  }
  return -1;
}

/** Whether the `childSize` bytes at `p` (within `[base, base + len)`) equal the spec's empty child. */
function isEmptyChild(base: usize, len: usize, from: i64): bool {
  const size = <i64>spec.childSize;
  if (from < 0 || from + size > <i64>len || <i64>spec.emptyChildLen != size) return false;
  return memory.compare(base + <usize>from, spec.emptyChild, <usize>size) == 0;
}

/** The step's child sits right of branches that are all empty placeholders (in its prefix). */
export function leftBranchesAreEmpty(op: InnerOpRec): bool {
  const idx = orderFromPadding(op);
  if (idx <= 0) return false;
  const size = <i64>spec.childSize;
  const actualPrefix = <i64>op.prefixLen - <i64>idx * size;
  if (actualPrefix < 0) return false;
  for (let i = 0; i < idx; i++) {
    const pos = position(i);
    if (pos < 0 || !isEmptyChild(op.prefix, op.prefixLen, actualPrefix + <i64>pos * size)) return false;
  }
  return true;
}

/** The step's child sits left of branches that are all empty placeholders (in its suffix). */
export function rightBranchesAreEmpty(op: InnerOpRec): bool {
  const idx = orderFromPadding(op);
  if (idx < 0) return false;
  const rightBranches = spec.childCount - 1 - idx;
  if (rightBranches <= 0) return false;
  const size = <i64>spec.childSize;
  if (<i64>op.suffixLen != <i64>rightBranches * size) return false;
  for (let i = 0; i < rightBranches; i++) {
    const pos = position(i);
    if (pos < 0 || !isEmptyChild(op.suffix, op.suffixLen, <i64>pos * size)) return false;
  }
  return true;
}

/** Steps [0, count) of `ex` all go down the leftmost non-empty branch. */
function isLeftMost(ex: ExistRec, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const op = step(ex, i);
    if (!(padding(0) && hasPadding(op)) && !leftBranchesAreEmpty(op)) return false;
  }
  return true;
}

/** Steps [0, count) of `ex` all go down the rightmost non-empty branch. */
function isRightMost(ex: ExistRec, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const op = step(ex, i);
    if (!(padding(spec.childCount - 1) && hasPadding(op)) && !rightBranchesAreEmpty(op)) return false;
  }
  return true;
}

function sameStep(a: InnerOpRec, b: InnerOpRec): bool {
  return bytesEqual(a.prefix, a.prefixLen, b.prefix, b.prefixLen) && bytesEqual(a.suffix, a.suffixLen, b.suffix, b.suffixLen);
}

/** The two paths meet at a node where `left` goes down branch k and `right` branch k + 1, and are adjacent below it. */
function isLeftNeighbor(left: ExistRec, right: ExistRec): bool {
  let li = left.pathLen - 1;
  let ri = right.pathLen - 1;
  if (li < 0 || ri < 0) return false;
  while (sameStep(step(left, li), step(right, ri))) {
    if (li == 0 || ri == 0) return false;
    li--;
    ri--;
  }
  const lo = orderFromPadding(step(left, li));
  const ro = orderFromPadding(step(right, ri));
  if (lo < 0 || ro != lo + 1) return false;
  return isRightMost(left, li) && isLeftMost(right, ri);
}

/** How many steps, counted from the root, the two paths have in common (same hash, prefix and suffix). */
function sharedSteps(left: ExistRec, right: ExistRec): i32 {
  let n = 0;
  while (n < left.pathLen && n < right.pathLen) {
    const a = step(left, left.pathLen - 1 - n);
    const b = step(right, right.pathLen - 1 - n);
    if (a.hash != b.hash || !sameStep(a, b)) break;
    n++;
  }
  return n;
}

/** Both neighbours' existence proofs; the right one reuses the left one's hashes above where they meet. */
function verifyNeighbours(left: ExistRec, right: ExistRec, root: usize, rootLen: usize): bool {
  const shared = sharedSteps(left, right);
  if (shared > 0) recordPath();
  let ok = verifyExist(left, root, rootLen, left.key, left.keyLen, left.value, left.valueLen);
  if (ok && shared > 0) shareRecordedPath(right.pathLen - shared, left.pathLen - shared);
  ok = ok && verifyExist(right, root, rootLen, right.key, right.keyLen, right.value, right.valueLen);
  forgetPath();
  return ok;
}

/** NonExistenceProof.Verify. */
function verifyNonExist(left: ExistRec, withLeft: bool, right: ExistRec, withRight: bool,
  root: usize, rootLen: usize, key: usize, keyLen: usize): bool {
  if (withLeft && withRight) {
    if (!verifyNeighbours(left, right, root, rootLen)) return false;
  } else {
    if (withLeft && !verifyExist(left, root, rootLen, left.key, left.keyLen, left.value, left.valueLen)) return false;
    if (withRight && !verifyExist(right, root, rootLen, right.key, right.keyLen, right.value, right.valueLen)) return false;
  }
  if (!withLeft && !withRight) return reject(R_NO_NEIGHBOURS);
  if (withRight && compareKeys(key, keyLen, right.key, right.keyLen) >= 0) return reject(R_ORDER);
  if (withLeft && compareKeys(key, keyLen, left.key, left.keyLen) <= 0) return reject(R_ORDER);
  if (cmpFailed) return false;
  if (!withLeft) return isLeftMost(right, right.pathLen) || reject(R_NOT_LEFTMOST);
  if (!withRight) return isRightMost(left, left.pathLen) || reject(R_NOT_RIGHTMOST);
  return isLeftNeighbor(left, right) || reject(R_NOT_NEIGHBOURS);
}

// What the proof walk is looking for, and what it found. With `wantAny`, the first existence
// proof in it (an entry's, or a non-existence proof's left or else right neighbour).
let wantAny: bool = false;
let wantExist: bool = true;
let wantKey: usize = 0;
let wantKeyLen: usize = 0;
let found: bool = false;
let foundHasLeft: bool = false;
let foundHasRight: bool = false;

// Slots: 0/1 hold the match (existence proof in 0; neighbours in 0 and 1), 2/3 the candidate.
/** Whether the candidate neighbours bracket the wanted key (Go's isLeft && isRight). */
function bracketsKey(): bool {
  if (hasLeft && compareKeys(slot(2).key, slot(2).keyLen, wantKey, wantKeyLen) >= 0) return false;
  if (hasRight && compareKeys(wantKey, wantKeyLen, slot(3).key, slot(3).keyLen) >= 0) return false;
  return !cmpFailed;
}

function keep(from: ExistRec, to: ExistRec): void {
  memory.copy(changetype<usize>(to), changetype<usize>(from), 64 + <usize>from.pathLen * 20);
}

/** Considers one ExistenceProof (field `exist`) or NonExistenceProof (`nonexist`) of the proof. */
function consider(isExist: bool, p: usize, end: usize, compressed: bool): bool {
  if (isExist) {
    const ex = slot(2);
    if (!decodeExist(p, end, ex, compressed)) return false;
    if (decodeOnly) return true;
    if (!found && (wantAny || (wantExist && bytesEqual(ex.key, ex.keyLen, wantKey, wantKeyLen)))) {
      keep(ex, slot(0));
      found = true;
    }
    return true;
  }
  if (!decodeNonExist(p, end, slot(2), slot(3), compressed)) return false;
  if (decodeOnly) return true;
  if (wantAny && !found && (hasLeft || hasRight)) {
    keep(hasLeft ? slot(2) : slot(3), slot(0));
    found = true;
  }
  if (!wantExist && !found && bracketsKey()) {
    if (hasLeft) keep(slot(2), slot(0));
    if (hasRight) keep(slot(3), slot(1));
    foundHasLeft = hasLeft;
    foundHasRight = hasRight;
    found = true;
  }
  return true;
}

/**
 * Walks a message that is one oneof of an existence proof (field 1) and a non-existence proof
 * (2): a BatchEntry / CompressedBatchEntry, or with `withBatches` a CommitmentProof, whose
 * oneof also has batch (3) and compressed (4).
 */
function walkOneof(p: usize, end: usize, withBatches: bool, compressed: bool): bool {
  const last: u32 = withBatches ? 4 : 2;
  let seen = false;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n < 1 || n > last) continue;
    if (!expectWire(WIRE_LEN, at)) return false;
    if (seen) { fail(E_DUPLICATE, at); return false; }
    seen = true;
    if (!emitOpen(n, at)) return false;
    const ok = n <= 2 ? consider(n == 1, fieldPtr, fieldPtr + fieldLen, compressed) : walkBatch(fieldPtr, fieldPtr + fieldLen, n == 4);
    if (!ok || !emitClose(at)) return false;
  }
  return true;
}

/** Walks a BatchEntry / CompressedBatchEntry: oneof { exist = 1; nonexist = 2 }. */
export function walkEntry(p: usize, end: usize, compressed: bool): bool {
  return walkOneof(p, end, false, compressed);
}

/** Walks the entries of a BatchProof or CompressedBatchProof. */
export function walkBatch(p: usize, end: usize, compressed: bool): bool {
  if (compressed && !indexLookupInners(p, end)) return false;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    if (fieldNumber != 1) continue;
    if (!expectWire(WIRE_LEN, at)) return false;
    if (!emitOpen(1, at) || !walkEntry(fieldPtr, fieldPtr + fieldLen, compressed) || !emitClose(at)) return false;
  }
  return true;
}

/** Walks a CommitmentProof: oneof { exist = 1; nonexist = 2; batch = 3; compressed = 4 }. */
export function walkProof(p: usize, end: usize): bool {
  return walkOneof(p, end, true, false);
}

// Results of `verify`.
export const VALID = 1;
export const INVALID = 0;
export const MALFORMED_PROOF = -1;
export const MALFORMED_SPEC = -2;

// The spec bytes last decoded by `begin`, kept so that the next call with the same spec (nearly
// every call) skips decoding it again. `spec` then points into this copy.
const SPEC_COPY_MAX: usize = 512;
const SPEC_COPY: usize = memory.data(<i32>SPEC_COPY_MAX, 16);

/** Prepares a call: clears the reason and decode error, decodes the spec unless it is the one decoded last. */
export function begin(specPtr: usize, specLen: usize): bool {
  resetReason();
  resetDecodeError();
  cmpFailed = false;
  if (specLen == decodedSpecLen() && bytesEqual(specPtr, specLen, SPEC_COPY, specLen)) return true;
  if (!decodeSpec(specPtr, specPtr + specLen)) return false;
  classifySpec();
  if (specLen <= SPEC_COPY_MAX) {
    memory.copy(SPEC_COPY, specPtr, specLen);
    keepDecodedSpec(specPtr, SPEC_COPY, specLen);
  }
  return true;
}

/**
 * Verifies membership of (key, value) (`exist`) or non-membership of key under `root`.
 * Returns VALID, INVALID (see `reason`), MALFORMED_PROOF or MALFORMED_SPEC.
 */
export function verify(exist: bool, proof: usize, proofLen: usize, specPtr: usize, specLen: usize,
  root: usize, rootLen: usize, key: usize, keyLen: usize, value: usize, valueLen: usize): i32 {
  if (!begin(specPtr, specLen)) return MALFORMED_SPEC;
  wantAny = false;
  wantExist = exist;
  wantKey = key;
  wantKeyLen = keyLen;
  found = false;
  if (!walkProof(proof, proof + proofLen)) return MALFORMED_PROOF;
  cmpFailed = false;
  if (!found) {
    reject(R_NO_PROOF);
    return INVALID;
  }
  const ok = exist
    ? verifyExist(slot(0), root, rootLen, key, keyLen, value, valueLen)
    : verifyNonExist(slot(0), foundHasLeft, slot(1), foundHasRight, root, rootLen, key, keyLen);
  return ok ? VALID : INVALID;
}

/**
 * CommitmentProof.Calculate: the root its (first) existence proof computes, into `out`;
 * returns its length, 0 when the proof has none or it cannot be computed (see `reason`), or
 * MALFORMED_PROOF.
 */
export function commitmentRoot(proof: usize, proofLen: usize, out: usize): i32 {
  resetReason();
  resetDecodeError();
  wantAny = true;
  found = false;
  if (!walkProof(proof, proof + proofLen)) return MALFORMED_PROOF;
  if (!found) {
    reject(R_NO_PROOF);
    return 0;
  }
  return <i32>calculate(slot(0), false, out);
}
