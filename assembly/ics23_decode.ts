// Decodes ICS23 protobuf messages (cosmos.ics23.v1, SPECS §2.1) from untrusted bytes into
// fixed records in static memory. Byte fields are not copied: records point into the input.
// Every repeated field is capped (MAX_PATH, MAX_CHILDREN, MAX_LOOKUP) so memory is bounded.
import {
  readField, readPackedVarint, expectWire, fail, fieldNumber, wireType, fieldValue, fieldPtr, fieldLen,
  fieldInt32, WIRE_VARINT, WIRE_LEN, E_DUPLICATE, E_TOO_MANY, E_INDEX,
} from './proto';

/** Most inner ops one existence proof may carry (SMT paths reach 256; the default max depth is 128). */
export const MAX_PATH = 512;
/** Most entries of an InnerSpec's child_order. */
export const MAX_CHILDREN = 64;
/** Most entries of a compressed batch proof's lookup_inners table. */
export const MAX_LOOKUP = 4096;

// @ts-ignore: decorator
@unmanaged export class InnerOpRec {
  hash: i32 = 0;
  prefix: usize = 0;
  prefixLen: usize = 0;
  suffix: usize = 0;
  suffixLen: usize = 0;
}
const INNER_OP_SIZE = 20;

/** An ExistenceProof; its path (leaf → root) follows the 64-byte header. */
// @ts-ignore: decorator
@unmanaged export class ExistRec {
  key: usize = 0;
  keyLen: usize = 0;
  value: usize = 0;
  valueLen: usize = 0;
  hasLeaf: bool = false;
  leafHash: i32 = 0;
  leafPrehashKey: i32 = 0;
  leafPrehashValue: i32 = 0;
  leafLength: i32 = 0;
  leafPrefix: usize = 0;
  leafPrefixLen: usize = 0;
  pathLen: i32 = 0;
}
const EXIST_HEADER = 64;
const EXIST_SIZE = EXIST_HEADER + MAX_PATH * INNER_OP_SIZE;

/** The `i`-th inner op of `ex`'s path. */
export function step(ex: ExistRec, i: i32): InnerOpRec {
  return changetype<InnerOpRec>(changetype<usize>(ex) + <usize>EXIST_HEADER + <usize>(i * INNER_OP_SIZE));
}

// Four existence-proof slots: a candidate pair being decoded and the pair kept as the match.
const SLOTS: usize = memory.data(4 * EXIST_SIZE, 16);
export function slot(i: i32): ExistRec {
  return changetype<ExistRec>(SLOTS + <usize>(i * EXIST_SIZE));
}

// Token output for `ics23Decode`: while `emitting`, every field the decoders recognise is also
// written out as three i32s — (field << 2 | kind, a, b) — so the one decoder that verification
// uses also produces the message tree that the `ics23` codec namespace turns into objects.
export const TOKEN_VARINT = 0;  // a = the int32 value
export const TOKEN_BYTES = 1;   // a = offset of the payload in the input, b = its length
export const TOKEN_OPEN = 2;    // a sub-message begins
export const TOKEN_CLOSE = 3;   // the innermost open sub-message ends
export let emitting: bool = false;
/** Decoding without verifying: compressed paths keep their lookup indexes, nothing is resolved. */
export let decodeOnly: bool = false;
let tokenAt: usize = 0;
let tokenEnd: usize = 0;
let tokenBase: usize = 0;
export let tokenCount: i32 = 0;

/** Starts writing tokens to `out`; payload addresses are written relative to `base` (the input). */
export function startEmitting(base: usize, out: usize, capacity: usize): void {
  emitting = true;
  decodeOnly = true;
  tokenBase = base;
  tokenAt = out;
  tokenEnd = out + capacity * 12;
  tokenCount = 0;
}

export function stopEmitting(): void {
  emitting = false;
  decodeOnly = false;
}

/** Writes one token; fails (too many) when the output is full, which a well-sized output never is. */
export function emit(field: u32, kind: u32, a: usize, b: usize, at: usize): bool {
  if (tokenAt >= tokenEnd) { fail(E_TOO_MANY, at); return false; }
  store<u32>(tokenAt, (field << 2) | kind);
  store<u32>(tokenAt, <u32>a, 4);
  store<u32>(tokenAt, <u32>b, 8);
  tokenAt += 12;
  tokenCount++;
  return true;
}

function emitVarint(field: u32, at: usize): bool {
  return !emitting || emit(field, TOKEN_VARINT, <usize><u32>fieldInt32(), 0, at);
}

function emitBytes(field: u32, at: usize): bool {
  return !emitting || emit(field, TOKEN_BYTES, fieldPtr - tokenBase, fieldLen, at);
}

export function emitOpen(field: u32, at: usize): bool {
  return !emitting || emit(field, TOKEN_OPEN, 0, 0, at);
}

export function emitClose(at: usize): bool {
  return !emitting || emit(0, TOKEN_CLOSE, 0, 0, at);
}

// @ts-ignore: decorator
@unmanaged export class SpecRec {
  hasLeafSpec: bool = false;
  leafHash: i32 = 0;
  leafPrehashKey: i32 = 0;
  leafPrehashValue: i32 = 0;
  leafLength: i32 = 0;
  leafPrefix: usize = 0;
  leafPrefixLen: usize = 0;
  hasInnerSpec: bool = false;
  childCount: i32 = 0;
  childSize: i32 = 0;
  minPrefixLength: i32 = 0;
  maxPrefixLength: i32 = 0;
  emptyChild: usize = 0;
  emptyChildLen: usize = 0;
  innerHash: i32 = 0;
  maxDepth: i32 = 0;
  minDepth: i32 = 0;
  prehashKeyBeforeComparison: bool = false;
}
const SPEC_MEM: usize = memory.data(128, 16);
const CHILD_ORDER: usize = memory.data(MAX_CHILDREN * 4, 16);
export const spec = changetype<SpecRec>(SPEC_MEM);

/** Entry `i` of the spec's child_order. */
export function childOrder(i: i32): i32 {
  return load<i32>(CHILD_ORDER + (<usize>i << 2));
}

/** Decodes a LeafOp message into the leaf fields of `ex`. */
export function decodeLeafOp(p: usize, end: usize, ex: ExistRec): bool {
  ex.leafHash = 0; ex.leafPrehashKey = 0; ex.leafPrehashValue = 0; ex.leafLength = 0;
  ex.leafPrefix = p; ex.leafPrefixLen = 0;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n >= 1 && n <= 4) {
      if (!expectWire(WIRE_VARINT, at) || !emitVarint(n, at)) return false;
      if (n == 1) ex.leafHash = fieldInt32();
      else if (n == 2) ex.leafPrehashKey = fieldInt32();
      else if (n == 3) ex.leafPrehashValue = fieldInt32();
      else ex.leafLength = fieldInt32();
    } else if (n == 5) {
      if (!expectWire(WIRE_LEN, at) || !emitBytes(n, at)) return false;
      ex.leafPrefix = fieldPtr; ex.leafPrefixLen = fieldLen;
    }
  }
  return true;
}

/** Decodes an InnerOp message into `op`. */
export function decodeInnerOp(p: usize, end: usize, op: InnerOpRec): bool {
  op.hash = 0; op.prefix = p; op.prefixLen = 0; op.suffix = p; op.suffixLen = 0;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n == 1) {
      if (!expectWire(WIRE_VARINT, at) || !emitVarint(n, at)) return false;
      op.hash = fieldInt32();
    } else if (n == 2 || n == 3) {
      if (!expectWire(WIRE_LEN, at) || !emitBytes(n, at)) return false;
      if (n == 2) { op.prefix = fieldPtr; op.prefixLen = fieldLen; } else { op.suffix = fieldPtr; op.suffixLen = fieldLen; }
    }
  }
  return true;
}

// Locations of a compressed batch proof's lookup_inners (InnerOp messages).
const LOOKUP: usize = memory.data(MAX_LOOKUP * 8, 16);
let lookupCount: i32 = 0;

/** Indexes the lookup_inners (field 2) of a CompressedBatchProof, checking each InnerOp decodes. */
export function indexLookupInners(p: usize, end: usize): bool {
  lookupCount = 0;
  const probe = step(slot(0), 0);
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    if (fieldNumber != 2) continue;
    if (!expectWire(WIRE_LEN, at)) return false;
    if (lookupCount == MAX_LOOKUP) { fail(E_TOO_MANY, at); return false; }
    const ptr = fieldPtr;
    const len = fieldLen;
    if (!emitOpen(2, at) || !decodeInnerOp(ptr, ptr + len, probe) || !emitClose(at)) return false;
    store<usize>(LOOKUP + (<usize>lookupCount << 3), ptr);
    store<usize>(LOOKUP + (<usize>lookupCount << 3), len, 4);
    lookupCount++;
  }
  return true;
}

function appendLookup(ex: ExistRec, index: u64, at: usize): bool {
  if (ex.pathLen == MAX_PATH) { fail(E_TOO_MANY, at); return false; }
  if (decodeOnly) {
    ex.pathLen++;
    return emit(4, TOKEN_VARINT, <usize><u32>index, 0, at);
  }
  if (index >= <u64>lookupCount) { fail(E_INDEX, at); return false; }
  const e = LOOKUP + (<usize>index << 3);
  const ptr = load<usize>(e);
  const ok = decodeInnerOp(ptr, ptr + load<usize>(e, 4), step(ex, ex.pathLen));
  ex.pathLen++;
  return ok;
}

/**
 * Decodes an ExistenceProof (or, with `compressed`, a CompressedExistenceProof whose path
 * holds indexes into the lookup table) into `ex`.
 */
export function decodeExist(p: usize, end: usize, ex: ExistRec, compressed: bool): bool {
  ex.key = p; ex.keyLen = 0; ex.value = p; ex.valueLen = 0; ex.hasLeaf = false; ex.pathLen = 0;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n == 1 || n == 2 || n == 3) {
      if (!expectWire(WIRE_LEN, at)) return false;
      if (n == 1) { ex.key = fieldPtr; ex.keyLen = fieldLen; }
      else if (n == 2) { ex.value = fieldPtr; ex.valueLen = fieldLen; }
      else {
        if (ex.hasLeaf) { fail(E_DUPLICATE, at); return false; }
        ex.hasLeaf = true;
        if (!emitOpen(n, at) || !decodeLeafOp(fieldPtr, fieldPtr + fieldLen, ex) || !emitClose(at)) return false;
        continue;
      }
      if (!emitBytes(n, at)) return false;
    } else if (n == 4 && !compressed) {
      if (!expectWire(WIRE_LEN, at)) return false;
      if (ex.pathLen == MAX_PATH) { fail(E_TOO_MANY, at); return false; }
      if (!emitOpen(n, at) || !decodeInnerOp(fieldPtr, fieldPtr + fieldLen, step(ex, ex.pathLen)) || !emitClose(at)) return false;
      ex.pathLen++;
    } else if (n == 4) {
      if (wireType == WIRE_VARINT) {
        if (!appendLookup(ex, fieldValue, at)) return false;
      } else {
        if (!expectWire(WIRE_LEN, at)) return false;
        let q = fieldPtr;
        const qEnd = fieldPtr + fieldLen;
        while (q < qEnd) {
          const qAt = q;
          q = readPackedVarint(q, qEnd);
          if (q == 0 || !appendLookup(ex, fieldValue, qAt)) return false;
        }
      }
    }
  }
  return true;
}

// The NonExistenceProof last decoded: its key and which neighbours it has.
export let nonexistKey: usize = 0;
export let nonexistKeyLen: usize = 0;
export let hasLeft: bool = false;
export let hasRight: bool = false;

/** Decodes a NonExistenceProof, its neighbours into `left` and `right`. */
export function decodeNonExist(p: usize, end: usize, left: ExistRec, right: ExistRec, compressed: bool): bool {
  nonexistKey = p; nonexistKeyLen = 0; hasLeft = false; hasRight = false;
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n < 1 || n > 3) continue;
    if (!expectWire(WIRE_LEN, at)) return false;
    if (n == 1) {
      nonexistKey = fieldPtr; nonexistKeyLen = fieldLen;
      if (!emitBytes(n, at)) return false;
      continue;
    }
    if ((n == 2 && hasLeft) || (n == 3 && hasRight)) { fail(E_DUPLICATE, at); return false; }
    if (n == 2) hasLeft = true; else hasRight = true;
    if (!emitOpen(n, at) || !decodeExist(fieldPtr, fieldPtr + fieldLen, n == 2 ? left : right, compressed) || !emitClose(at)) return false;
  }
  return true;
}

function decodeLeafSpec(p: usize, end: usize): bool {
  // A LeafOp, decoded through a scratch existence slot's leaf fields.
  const tmp = slot(3);
  if (!decodeLeafOp(p, end, tmp)) return false;
  spec.leafHash = tmp.leafHash; spec.leafPrehashKey = tmp.leafPrehashKey;
  spec.leafPrehashValue = tmp.leafPrehashValue; spec.leafLength = tmp.leafLength;
  spec.leafPrefix = tmp.leafPrefix; spec.leafPrefixLen = tmp.leafPrefixLen;
  return true;
}

export function decodeInnerSpec(p: usize, end: usize): bool {
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n == 1) {
      if (wireType == WIRE_VARINT) {
        if (!appendChild(fieldInt32(), at) || !emitVarint(n, at)) return false;
      } else {
        if (!expectWire(WIRE_LEN, at)) return false;
        let q = fieldPtr;
        const qEnd = fieldPtr + fieldLen;
        while (q < qEnd) {
          const qAt = q;
          q = readPackedVarint(q, qEnd);
          if (q == 0 || !appendChild(<i32>fieldValue, qAt) || !emitVarint(n, qAt)) return false;
        }
      }
    } else if (n == 5) {
      if (!expectWire(WIRE_LEN, at) || !emitBytes(n, at)) return false;
      spec.emptyChild = fieldPtr; spec.emptyChildLen = fieldLen;
    } else if (n >= 2 && n <= 6) {
      if (!expectWire(WIRE_VARINT, at) || !emitVarint(n, at)) return false;
      const v = fieldInt32();
      if (n == 2) spec.childSize = v;
      else if (n == 3) spec.minPrefixLength = v;
      else if (n == 4) spec.maxPrefixLength = v;
      else spec.innerHash = v;
    }
  }
  return true;
}

function appendChild(v: i32, at: usize): bool {
  if (spec.childCount == MAX_CHILDREN) { fail(E_TOO_MANY, at); return false; }
  store<i32>(CHILD_ORDER + (<usize>spec.childCount << 2), v);
  spec.childCount++;
  return true;
}

// Length of the spec bytes `spec` was decoded from and still points into (see keepDecodedSpec),
// or -1 once anything decodes into `spec` again.
let keptSpecLen: usize = -1;

export function decodedSpecLen(): usize {
  return keptSpecLen;
}

/** `spec`, decoded from `len` bytes at `from`, is to point into their copy at `to`. */
export function keepDecodedSpec(from: usize, to: usize, len: usize): void {
  spec.leafPrefix = spec.leafPrefix - from + to;
  spec.emptyChild = spec.emptyChild - from + to;
  keptSpecLen = len;
}

/** Clears `spec` before decoding into it. */
export function resetSpec(p: usize): void {
  keptSpecLen = -1;
  for (let i: usize = 0; i < 128; i += 8) store<u64>(SPEC_MEM + i, 0); // no memory.fill call-out (see ics23_hash.ts)
  spec.leafPrefix = p; spec.emptyChild = p;
}

/** Decodes a ProofSpec into `spec`. */
export function decodeSpec(p: usize, end: usize): bool {
  resetSpec(p);
  while (p < end) {
    const at = p;
    p = readField(p, end);
    if (p == 0) return false;
    const n = fieldNumber;
    if (n == 1 || n == 2) {
      if (!expectWire(WIRE_LEN, at)) return false;
      if ((n == 1 && spec.hasLeafSpec) || (n == 2 && spec.hasInnerSpec)) { fail(E_DUPLICATE, at); return false; }
      if (!emitOpen(n, at)) return false;
      if (n == 1) {
        spec.hasLeafSpec = true;
        if (!decodeLeafSpec(fieldPtr, fieldPtr + fieldLen)) return false;
      } else {
        spec.hasInnerSpec = true;
        if (!decodeInnerSpec(fieldPtr, fieldPtr + fieldLen)) return false;
      }
      if (!emitClose(at)) return false;
    } else if (n >= 3 && n <= 5) {
      if (!expectWire(WIRE_VARINT, at) || !emitVarint(n, at)) return false;
      if (n == 3) spec.maxDepth = fieldInt32();
      else if (n == 4) spec.minDepth = fieldInt32();
      else spec.prehashKeyBeforeComparison = fieldValue != 0;
    }
  }
  return true;
}
