// ICS23 operations and spec checks (SPECS §2.2–2.3, following go/ops.go and go/proof.go):
// LeafOp/InnerOp application, ExistenceProof.calculate and CheckAgainstSpec. Failures set
// `reason` (codes mirrored in src/core/ics23.ts) and return false / 0.
import { hashSupported, hashBegin, hashUpdate, hashEnd, hashInto, MAX_DIGEST, NO_HASH, SHA256 } from './ics23_hash';
import { ExistRec, InnerOpRec, step, spec, MAX_PATH } from './ics23_decode';

export const R_KEY_MISMATCH = 1;
export const R_VALUE_MISMATCH = 2;
export const R_ROOT_MISMATCH = 3;
export const R_NO_LEAF = 4;
export const R_LEAF_SPEC = 5;
export const R_IAVL = 6;
export const R_TENDERMINT = 7;
export const R_DEPTH_SHORT = 8;
export const R_DEPTH_LONG = 9;
export const R_INNER_HASH = 10;
export const R_INNER_PREFIX = 11;
export const R_INNER_SUFFIX = 12;
export const R_BAD_SPEC = 13;
export const R_EMPTY_KEY = 14;
export const R_EMPTY_VALUE = 15;
export const R_EMPTY_CHILD = 16;
export const R_UNSUPPORTED_HASH = 17;
export const R_LENGTH_OP = 18;
export const R_CHILD_TOO_LONG = 19;
export const R_NO_PROOF = 20;
export const R_NO_NEIGHBOURS = 21;
export const R_ORDER = 22;
export const R_NOT_LEFTMOST = 23;
export const R_NOT_RIGHTMOST = 24;
export const R_NOT_NEIGHBOURS = 25;
export const R_NO_HASH = 26;

let reason: i32 = 0;

/** Why the last check failed (0 when it did not). */
export function lastReason(): i32 {
  return reason;
}

/** Clears the state one call leaves: the reason, and any recorded path (see `calculate`). */
export function resetReason(): void {
  reason = 0;
  forgetPath();
}

export function reject(code: i32): bool {
  if (reason == 0) reason = code;
  return false;
}

// LengthOp numbers (cosmos.ics23.v1.LengthOp).
const NO_PREFIX = 0;
const VAR_PROTO = 1;
const FIXED32_BIG = 3;
const FIXED32_LITTLE = 4;
const FIXED64_BIG = 5;
const FIXED64_LITTLE = 6;
const REQUIRE_32_BYTES = 7;
const REQUIRE_64_BYTES = 8;

const KEY_DATA: usize = memory.data(MAX_DIGEST, 16);
const VALUE_DATA: usize = memory.data(MAX_DIGEST, 16);
const KEY_LENGTH: usize = memory.data(16, 16);
const VALUE_LENGTH: usize = memory.data(16, 16);

/** Writes the length prefix `lengthOp` puts before `len` bytes to `out`; returns its size or -1. */
function lengthPrefix(lengthOp: i32, len: usize, out: usize): i32 {
  if (lengthOp == NO_PREFIX) return 0;
  if (lengthOp == VAR_PROTO) {
    let n = 0;
    let v = len;
    while (v >= 0x80) {
      store<u8>(out + n++, <u8>(v | 0x80));
      v >>>= 7;
    }
    store<u8>(out + n++, <u8>v);
    return n;
  }
  if (lengthOp == FIXED32_BIG) { store<u32>(out, bswap<u32>(<u32>len)); return 4; }
  if (lengthOp == FIXED32_LITTLE) { store<u32>(out, <u32>len); return 4; }
  if (lengthOp == FIXED64_BIG) { store<u64>(out, bswap<u64>(<u64>len)); return 8; }
  if (lengthOp == FIXED64_LITTLE) { store<u64>(out, <u64>len); return 8; }
  if (lengthOp == REQUIRE_32_BYTES) return len == 32 ? 0 : -1;
  if (lengthOp == REQUIRE_64_BYTES) return len == 64 ? 0 : -1;
  return -1; // VAR_RLP and unknown values are not implemented upstream either
}

/** Checks that `hashOp` can hash: NO_HASH cannot, and some HashOps are not implemented. */
function canHash(hashOp: i32): bool {
  if (hashOp == NO_HASH) return reject(R_NO_HASH);
  return hashSupported(hashOp) || reject(R_UNSUPPORTED_HASH);
}

/** `doHashOrNoop`: hashes into `out` and returns the digest length, or returns 0 for NO_HASH; -1 on failure. */
function prehash(hashOp: i32, src: usize, len: usize, out: usize): i32 {
  if (hashOp == NO_HASH) return 0;
  if (!hashSupported(hashOp)) { reject(R_UNSUPPORTED_HASH); return -1; }
  return <i32>hashInto(hashOp, src, len, out);
}

/** LeafOp.apply: hash(prefix || length(prehash_key(key)) || length(prehash_value(value))). */
export function applyLeaf(ex: ExistRec, key: usize, keyLen: usize, value: usize, valueLen: usize, out: usize): usize {
  if (keyLen == 0) return <usize>reject(R_EMPTY_KEY);
  if (valueLen == 0) return <usize>reject(R_EMPTY_VALUE);
  const kh = prehash(ex.leafPrehashKey, key, keyLen, KEY_DATA);
  if (kh < 0) return 0;
  if (kh > 0) { key = KEY_DATA; keyLen = kh; }
  const vh = prehash(ex.leafPrehashValue, value, valueLen, VALUE_DATA);
  if (vh < 0) return 0;
  if (vh > 0) { value = VALUE_DATA; valueLen = vh; }
  const kl = lengthPrefix(ex.leafLength, keyLen, KEY_LENGTH);
  const vl = lengthPrefix(ex.leafLength, valueLen, VALUE_LENGTH);
  if (kl < 0 || vl < 0) return <usize>reject(R_LENGTH_OP);
  if (!canHash(ex.leafHash)) return 0;
  hashBegin(ex.leafHash);
  hashUpdate(ex.leafPrefix, ex.leafPrefixLen);
  hashUpdate(KEY_LENGTH, kl);
  hashUpdate(key, keyLen);
  hashUpdate(VALUE_LENGTH, vl);
  hashUpdate(value, valueLen);
  return hashEnd(out);
}

/** InnerOp.apply: hash(prefix || child || suffix). `out` may equal `child`. */
export function applyInner(op: InnerOpRec, child: usize, childLen: usize, out: usize): usize {
  if (childLen == 0) return <usize>reject(R_EMPTY_CHILD);
  if (!canHash(op.hash)) return 0;
  hashBegin(op.hash);
  hashUpdate(op.prefix, op.prefixLen);
  hashUpdate(child, childLen);
  hashUpdate(op.suffix, op.suffixLen);
  return hashEnd(out);
}

/**
 * ExistenceProof.calculate into `out` (MAX_DIGEST bytes); returns the root length or 0. With
 * `withSpec`, an intermediate result longer than a child (when child_size >= 32) fails.
 */
export function calculate(ex: ExistRec, withSpec: bool, out: usize): usize {
  if (!ex.hasLeaf) return <usize>reject(R_NO_LEAF);
  let len = applyLeaf(ex, ex.key, ex.keyLen, ex.value, ex.valueLen, out);
  for (let i = 0; i < ex.pathLen && len != 0; i++) {
    if (recording) record(i, out, len);
    else if (i == sharedFrom && len == load<u32>(LEVEL_LENGTHS + (<usize>sharedWith << 2))
      && memory.compare(out, LEVELS + <usize>sharedWith * MAX_DIGEST, len) == 0) {
      // The same child entering the same steps as the recorded path: the same root, and the
      // same child-size checks passed on the way.
      memory.copy(out, LEVELS + <usize>MAX_PATH * MAX_DIGEST, recordedRootLen);
      return recordedRootLen;
    }
    len = applyInner(step(ex, i), out, len, out);
    if (withSpec && spec.childSize >= 32 && len > <usize>spec.childSize) return <usize>reject(R_CHILD_TOO_LONG);
  }
  if (recording && len != 0) {
    recordedRootLen = len;
    memory.copy(LEVELS + <usize>MAX_PATH * MAX_DIGEST, out, len);
  }
  return len;
}

// The two neighbours of a non-existence proof meet below the root, and from there up their
// paths are the same steps over the same child, so the second path need not be hashed past
// the meeting point. `calculate` records the child entering each step of the first path (and
// its root); for the second it stops at step `sharedFrom` if the child there equals the one
// recorded at step `sharedWith`.
const LEVELS: usize = memory.data(<i32>(MAX_PATH + 1) * MAX_DIGEST, 16);
const LEVEL_LENGTHS: usize = memory.data(MAX_PATH * 4, 16);
let recording: bool = false;
let recordedRootLen: usize = 0;
let sharedFrom: i32 = -1;
let sharedWith: i32 = -1;

function record(i: i32, child: usize, len: usize): void {
  memory.copy(LEVELS + <usize>i * MAX_DIGEST, child, len);
  if (i < MAX_PATH) store<u32>(LEVEL_LENGTHS + (<usize>i << 2), <u32>len);
}

/** The next `calculate` records its path. */
export function recordPath(): void {
  recording = true;
  recordedRootLen = 0;
  sharedFrom = -1;
}

/** The next `calculate` may take the recorded root from step `from`, where it meets the recorded path's `recordedStep`. */
export function shareRecordedPath(from: i32, recordedStep: i32): void {
  recording = false;
  sharedFrom = recordedRootLen > 0 ? from : -1;
  sharedWith = recordedStep;
}

/** Later `calculate`s neither record nor share. */
export function forgetPath(): void {
  recording = false;
  sharedFrom = -1;
}

function startsWith(p: usize, len: usize, q: usize, qLen: usize): bool {
  return len >= qLen && memory.compare(p, q, qLen) == 0;
}

// Whether the spec in use is IAVL's or Tendermint's (Go's SpecEquals), which switches on their
// extra prefix checks. Set by `classifySpec`.
let specIsIavl: bool = false;
let specIsTendermint: bool = false;

/** Compares the spec with IavlSpec and TendermintSpec the way Go's SpecEquals does. */
export function classifySpec(): void {
  const common = spec.hasLeafSpec && spec.hasInnerSpec && spec.leafHash == SHA256 && spec.leafPrehashKey == NO_HASH
    && spec.leafPrehashValue == SHA256 && spec.leafLength == 1 && spec.innerHash == SHA256 && spec.childCount == 2;
  specIsIavl = common && spec.minPrefixLength == 4 && spec.maxPrefixLength == 12 && spec.childSize == 33;
  specIsTendermint = common && spec.minPrefixLength == 1 && spec.maxPrefixLength == 1 && spec.childSize == 32;
}

let varintValue: i64 = 0;

/** Go's binary.ReadVarint (zig-zag) at `p`; returns the next position or 0. */
function readZigZag(p: usize, end: usize): usize {
  let v: u64 = 0;
  for (let shift: u64 = 0; shift < 70; shift += 7) {
    if (p >= end) return 0;
    const b = <u64>load<u8>(p++);
    if (shift == 63 && b > 1) return 0;
    v |= (b & 0x7f) << shift;
    if (b < 0x80) {
      varintValue = <i64>(v >>> 1) ^ -<i64>(v & 1);
      return p;
    }
  }
  return 0;
}

/** IAVL prefix rules (validateIavlOps): height, size, version as zig-zag varints, then the rest. */
function checkIavlPrefix(prefix: usize, prefixLen: usize, hashOp: i32, layer: i32): bool {
  const end = prefix + prefixLen;
  let p = readZigZag(prefix, end);
  if (p == 0) return reject(R_IAVL);
  const height = varintValue;
  if (height < 0 || height < <i64>layer) return reject(R_IAVL);
  p = readZigZag(p, end);
  if (p == 0 || varintValue < 0) return reject(R_IAVL);
  const size = varintValue;
  p = readZigZag(p, end);
  if (p == 0 || varintValue < 0) return reject(R_IAVL);
  const rest = end - p;
  if (layer == 0) {
    if (rest != 0 || height != 0 || size != 1) return reject(R_IAVL);
  } else {
    if ((rest != 1 && rest != 34) || hashOp != SHA256) return reject(R_IAVL);
  }
  return true;
}

/** LeafOp.CheckAgainstSpec. */
export function checkLeaf(ex: ExistRec): bool {
  if (!spec.hasLeafSpec) return reject(R_BAD_SPEC);
  if (specIsIavl && !checkIavlPrefix(ex.leafPrefix, ex.leafPrefixLen, ex.leafHash, 0)) return false;
  if (ex.leafHash != spec.leafHash || ex.leafPrehashKey != spec.leafPrehashKey
    || ex.leafPrehashValue != spec.leafPrehashValue || ex.leafLength != spec.leafLength) return reject(R_LEAF_SPEC);
  return startsWith(ex.leafPrefix, ex.leafPrefixLen, spec.leafPrefix, spec.leafPrefixLen) || reject(R_LEAF_SPEC);
}

/** InnerOp.CheckAgainstSpec for the op at `layer` (1 = just above the leaf). */
export function checkInner(op: InnerOpRec, layer: i32): bool {
  if (!spec.hasInnerSpec || !spec.hasLeafSpec) return reject(R_BAD_SPEC);
  if (op.hash != spec.innerHash) return reject(R_INNER_HASH);
  if (specIsIavl && !checkIavlPrefix(op.prefix, op.prefixLen, op.hash, layer)) return false;
  if (specIsTendermint) {
    if (op.prefixLen == 0 || load<u8>(op.prefix) != 1) return reject(R_TENDERMINT);
    if (op.suffixLen > 0 && op.prefixLen != 1) return reject(R_TENDERMINT);
  }
  if (startsWith(op.prefix, op.prefixLen, spec.leafPrefix, spec.leafPrefixLen)) return reject(R_INNER_PREFIX);
  if (<i64>op.prefixLen < <i64>spec.minPrefixLength) return reject(R_INNER_PREFIX);
  const maxPrefix = <i64>(spec.childCount - 1) * <i64>spec.childSize + <i64>spec.maxPrefixLength;
  if (<i64>op.prefixLen > maxPrefix) return reject(R_INNER_PREFIX);
  if (spec.childSize <= 0) return reject(R_BAD_SPEC);
  if (<i64>spec.maxPrefixLength >= <i64>spec.minPrefixLength + <i64>spec.childSize) return reject(R_BAD_SPEC);
  return op.suffixLen % <usize>spec.childSize == 0 || reject(R_INNER_SUFFIX);
}

/** ExistenceProof.CheckAgainstSpec: leaf, depth bounds (max 0 → 128), every inner op. */
export function checkAgainstSpec(ex: ExistRec): bool {
  if (!ex.hasLeaf) return reject(R_NO_LEAF);
  if (!checkLeaf(ex)) return false;
  if (spec.minDepth > 0 && ex.pathLen < spec.minDepth) return reject(R_DEPTH_SHORT);
  const maxDepth = spec.maxDepth == 0 ? 128 : spec.maxDepth;
  if (ex.pathLen > maxDepth) return reject(R_DEPTH_LONG);
  for (let i = 0; i < ex.pathLen; i++) {
    if (!checkInner(step(ex, i), i + 1)) return false;
  }
  return true;
}

