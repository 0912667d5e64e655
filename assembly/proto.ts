// A bounded protobuf reader for untrusted bytes. It never reads past `end`, never allocates
// and never recurses: callers walk one message at a time and descend into nested messages
// explicitly, so the schema (not the input) bounds the nesting depth. Failures set
// `decodeError` / `decodeErrorAt` and make the read functions return 0 (a valid position is
// never 0: inputs live in the scratch region, far above address 0).

// Decode error codes (mirrored in src/core/ics23.ts).
export const E_TRUNCATED = 1;      // a varint, a length or a fixed-width value runs past the end
export const E_VARINT = 2;         // a varint longer than 10 bytes or above 2^64
export const E_WIRE_TYPE = 3;      // wire type 3/4/6/7 (groups, invalid), or a known field with the wrong type
export const E_FIELD_NUMBER = 4;   // field number 0
export const E_DUPLICATE = 5;      // a singular message field or a oneof given twice
export const E_TOO_MANY = 6;       // more repeated entries than the verifier keeps (see the limits)
export const E_INDEX = 7;          // a compressed path index outside lookup_inners

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export let decodeError: i32 = 0;
export let decodeErrorAt: usize = 0;

// The field read by the last successful `readField`.
export let fieldNumber: u32 = 0;
export let wireType: u32 = 0;
/** Value of a varint field. */
export let fieldValue: u64 = 0;
/** Start and length of a length-delimited field's payload. */
export let fieldPtr: usize = 0;
export let fieldLen: usize = 0;

let varintValue: u64 = 0;

export function fail(code: i32, at: usize): usize {
  if (decodeError == 0) {
    decodeError = code;
    decodeErrorAt = at;
  }
  return 0;
}

export function resetDecodeError(): void {
  decodeError = 0;
  decodeErrorAt = 0;
}

/** Reads a varint at `p` into `varintValue`; returns the position after it, or 0. */
// @ts-ignore: decorator
@inline function readVarint(p: usize, end: usize): usize {
  // Nearly every tag and length in a proof is one byte: that case stays in the caller.
  if (p < end) {
    const b = load<u8>(p);
    if (b < 0x80) {
      varintValue = <u64>b;
      return p + 1;
    }
  }
  return readLongVarint(p, end);
}

function readLongVarint(p: usize, end: usize): usize {
  let v: u64 = 0;
  for (let shift: u64 = 0; shift < 70; shift += 7) {
    if (p >= end) return fail(E_TRUNCATED, p);
    const b = <u64>load<u8>(p);
    if (shift == 63 && b > 1) return fail(E_VARINT, p);
    v |= (b & 0x7f) << shift;
    p++;
    if (b < 0x80) {
      varintValue = v;
      return p;
    }
  }
  return fail(E_VARINT, p);
}

/** Reads the field starting at `p`; returns the position after it, or 0. */
export function readField(p: usize, end: usize): usize {
  const start = p;
  p = readVarint(p, end);
  if (p == 0) return 0;
  const tag = varintValue;
  if (tag >> 3 == 0 || tag >> 3 > 0x1fffffff) return fail(E_FIELD_NUMBER, start);
  fieldNumber = <u32>(tag >> 3);
  wireType = <u32>(tag & 7);
  if (wireType == WIRE_VARINT) {
    p = readVarint(p, end);
    fieldValue = varintValue;
    return p;
  }
  if (wireType == WIRE_LEN) {
    p = readVarint(p, end);
    if (p == 0) return 0;
    if (varintValue > <u64>(end - p)) return fail(E_TRUNCATED, start);
    fieldPtr = p;
    fieldLen = <usize>varintValue;
    return p + fieldLen;
  }
  if (wireType == WIRE_FIXED64) return end - p < 8 ? fail(E_TRUNCATED, start) : p + 8;
  if (wireType == WIRE_FIXED32) return end - p < 4 ? fail(E_TRUNCATED, start) : p + 4;
  return fail(E_WIRE_TYPE, start);
}

/** Fails unless the field just read has wire type `expected`. */
export function expectWire(expected: u32, at: usize): bool {
  if (wireType == expected) return true;
  fail(E_WIRE_TYPE, at);
  return false;
}

/** The varint field just read, as protobuf's int32/enum (two's-complement truncation). */
export function fieldInt32(): i32 {
  return <i32>fieldValue;
}

/** Reads one varint of a packed repeated payload at `p` into `fieldValue`; returns the next position or 0. */
export function readPackedVarint(p: usize, end: usize): usize {
  p = readVarint(p, end);
  fieldValue = varintValue;
  return p;
}
