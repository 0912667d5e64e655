// The few protobuf wire forms CometBFT hashes and signs (gogoproto, proto3: zero scalars and
// empty bytes are omitted; non-nullable sub-messages are always written). Values are built as
// byte arrays and concatenated: the messages are small and fixed, so clarity beats a streaming
// writer here.
import { concatBytes } from '../bytes.js';

/** Unsigned LEB128 of a non-negative integer, or of a negative int64 as 10-byte two's complement. */
export function uvarint(value: number | bigint): Uint8Array {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Uint8Array.from(out);
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

/** A varint field (int64, uint64, int32, enum), omitted when zero. */
export function varintField(field: number, value: number | bigint): Uint8Array {
  if (BigInt(value) === 0n) return EMPTY;
  return concatBytes([uvarint(field << 3), uvarint(value)]);
}

/** An sfixed64 field, omitted when zero. */
export function sfixed64Field(field: number, value: number | bigint): Uint8Array {
  if (BigInt(value) === 0n) return EMPTY;
  const out = new Uint8Array(9);
  out[0] = (field << 3) | 1;
  new DataView(out.buffer).setBigInt64(1, BigInt(value), true);
  return out;
}

/** A bytes field, omitted when empty. */
export function bytesField(field: number, value: Uint8Array): Uint8Array {
  if (value.length === 0) return EMPTY;
  return concatBytes([uvarint((field << 3) | 2), uvarint(value.length), value]);
}

/** A string field, omitted when empty. */
export function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, utf8.encode(value));
}

/** An embedded message, written even when its body is empty (gogoproto non-nullable). */
export function messageField(field: number, body: Uint8Array): Uint8Array {
  return concatBytes([uvarint((field << 3) | 2), uvarint(body.length), body]);
}

/** `protoio.MarshalDelimited`: the message preceded by its length as a uvarint. */
export function delimited(message: Uint8Array): Uint8Array {
  return concatBytes([uvarint(message.length), message]);
}
