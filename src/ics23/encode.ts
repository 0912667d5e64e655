// Protobuf encoding of ICS23 objects (proto3 rules: default values are omitted, repeated
// scalars packed). Objects are encoded so that the one verifier, in WASM, sees bytes whatever
// the caller passed.
import { InvalidArgument } from '../errors.js';
import type {
  CommitmentProof, CompressedBatchProof, CompressedExistenceProof, CompressedNonExistenceProof, ExistenceProof,
  InnerOp, InnerSpec, LeafOp, NonExistenceProof, ProofSpec, BatchProof,
} from './types.js';

/** Appends protobuf fields to a growing byte list. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number): void {
    this.reserve(10);
    // int32 fields encode negatives as 10-byte two's complement.
    let n = v < 0 ? BigInt.asUintN(64, BigInt(v)) : undefined;
    if (n === undefined) {
      while (v >= 0x80) {
        this.buf[this.len++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
      this.buf[this.len++] = v;
      return;
    }
    while (n >= 0x80n) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.len++] = Number(n);
  }

  bytes(data: Uint8Array): void {
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  /** A varint field, omitted when zero. */
  intField(field: number, v: number | null | undefined): void {
    if (v == null || v === 0) return;
    if (!Number.isSafeInteger(v)) throw new InvalidArgument(`ICS23 field ${field}: ${v} is not an integer`);
    this.varint(field << 3);
    this.varint(v);
  }

  /** A bytes field, omitted when empty. */
  bytesField(field: number, data: Uint8Array | null | undefined): void {
    if (data == null || data.length === 0) return;
    if (!(data instanceof Uint8Array)) throw new InvalidArgument(`ICS23 field ${field}: expected a Uint8Array`);
    this.varint((field << 3) | 2);
    this.bytes(data);
  }

  /**
   * A sub-message field, present whenever the object is. The body is written in place after a
   * one-byte length, then moved up if its length needs more bytes, so nothing is allocated.
   */
  messageField<T>(field: number, msg: T | null | undefined, encode: (w: Writer, m: T) => void): void {
    if (msg == null) return;
    this.varint((field << 3) | 2);
    this.reserve(1);
    const lengthAt = this.len++;
    encode(this, msg);
    this.patchLength(lengthAt);
  }

  /** A packed repeated int32 field, omitted when empty. */
  packedField(field: number, values: readonly number[] | null | undefined): void {
    if (values == null || values.length === 0) return;
    this.varint((field << 3) | 2);
    this.reserve(1);
    const lengthAt = this.len++;
    for (const v of values) {
      if (!Number.isSafeInteger(v)) throw new InvalidArgument(`ICS23 field ${field}: ${v} is not an integer`);
      this.varint(v);
    }
    this.patchLength(lengthAt);
  }

  /** Writes the length of the body that follows the one byte reserved at `lengthAt`. */
  private patchLength(lengthAt: number): void {
    const bodyLen = this.len - lengthAt - 1;
    let extra = 0;
    for (let n = bodyLen; n >= 0x80; n = Math.floor(n / 0x80)) extra++;
    if (extra > 0) {
      this.reserve(extra);
      this.buf.copyWithin(lengthAt + 1 + extra, lengthAt + 1, this.len);
    }
    const end = this.len + extra;
    this.len = lengthAt;
    this.varint(bodyLen);
    this.len = end;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function leafOp(w: Writer, m: LeafOp): void {
  w.intField(1, m.hash);
  w.intField(2, m.prehashKey);
  w.intField(3, m.prehashValue);
  w.intField(4, m.length);
  w.bytesField(5, m.prefix);
}

function innerOp(w: Writer, m: InnerOp): void {
  w.intField(1, m.hash);
  w.bytesField(2, m.prefix);
  w.bytesField(3, m.suffix);
}

function existenceProof(w: Writer, m: ExistenceProof): void {
  w.bytesField(1, m.key);
  w.bytesField(2, m.value);
  w.messageField(3, m.leaf, leafOp);
  for (const op of m.path ?? []) w.messageField(4, op, innerOp);
}

function nonExistenceProof(w: Writer, m: NonExistenceProof): void {
  w.bytesField(1, m.key);
  w.messageField(2, m.left, existenceProof);
  w.messageField(3, m.right, existenceProof);
}

function batchProof(w: Writer, m: BatchProof): void {
  for (const e of m.entries ?? []) {
    w.messageField(1, e, (ew, entry) => {
      ew.messageField(1, entry.exist, existenceProof);
      ew.messageField(2, entry.nonexist, nonExistenceProof);
    });
  }
}

function compressedExistenceProof(w: Writer, m: CompressedExistenceProof): void {
  w.bytesField(1, m.key);
  w.bytesField(2, m.value);
  w.messageField(3, m.leaf, leafOp);
  w.packedField(4, m.path);
}

function compressedNonExistenceProof(w: Writer, m: CompressedNonExistenceProof): void {
  w.bytesField(1, m.key);
  w.messageField(2, m.left, compressedExistenceProof);
  w.messageField(3, m.right, compressedExistenceProof);
}

function compressedBatchProof(w: Writer, m: CompressedBatchProof): void {
  for (const e of m.entries ?? []) {
    w.messageField(1, e, (ew, entry) => {
      ew.messageField(1, entry.exist, compressedExistenceProof);
      ew.messageField(2, entry.nonexist, compressedNonExistenceProof);
    });
  }
  for (const op of m.lookupInners ?? []) w.messageField(2, op, innerOp);
}

function commitmentProof(w: Writer, m: CommitmentProof): void {
  w.messageField(1, m.exist, existenceProof);
  w.messageField(2, m.nonexist, nonExistenceProof);
  w.messageField(3, m.batch, batchProof);
  w.messageField(4, m.compressed, compressedBatchProof);
}

function innerSpec(w: Writer, m: InnerSpec): void {
  w.packedField(1, m.childOrder);
  w.intField(2, m.childSize);
  w.intField(3, m.minPrefixLength);
  w.intField(4, m.maxPrefixLength);
  w.bytesField(5, m.emptyChild);
  w.intField(6, m.hash);
}

function proofSpec(w: Writer, m: ProofSpec): void {
  w.messageField(1, m.leafSpec, leafOp);
  w.messageField(2, m.innerSpec, innerSpec);
  w.intField(3, m.maxDepth);
  w.intField(4, m.minDepth);
  w.intField(5, m.prehashKeyBeforeComparison ? 1 : 0);
}

function encoder<T>(encode: (w: Writer, m: T) => void): (m: T) => Uint8Array {
  return (m) => {
    const w = new Writer();
    encode(w, m);
    return w.finish();
  };
}

export const encodeCommitmentProof = encoder(commitmentProof);
export const encodeExistenceProof = encoder(existenceProof);
export const encodeProofSpec = encoder(proofSpec);
export const encodeLeafOp = encoder(leafOp);
export const encodeInnerOp = encoder(innerOp);
