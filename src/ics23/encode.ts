// Protobuf encoding of ICS23 objects, in declaration order, repeated int32 fields packed, under
// one of two presence rules: protobufjs's (the `ics23` codec namespace, byte for byte as
// @confio/ics23 0.6.8: a singular field is written when it is an own property that is not
// null, even holding its default) or proto3's canonical one (Go, Rust: defaults omitted), for
// the proofs lightsnap builds and the objects its verifier encodes for the one WASM verifier.
import { InvalidArgument } from '../errors.js';
import { fromBase64 } from './base64.js';
import { MESSAGES, type MessageDef, type MessageName } from './schema.js';
import type { CommitmentProof, ExistenceProof, InnerOp, LeafOp, ProofSpec } from './types.js';

/** Appends protobuf fields to a growing byte list; `finish()` returns them, as protobufjs's Writer. */
export class Writer {
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
    let n = v < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : undefined;
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

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** An int32 value as protobufjs writes one: negatives as 10-byte two's complement, others as uint32. */
  int32(v: number): void {
    this.varint(!Number.isFinite(v) ? 0 : v < 0 ? Math.trunc(v) : v >>> 0);
  }

  /** A length-delimited body written by `body`, in place after a one-byte length that moves up if it must grow. */
  delimited(body: () => void): void {
    this.reserve(1);
    const lengthAt = this.len++;
    body();
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

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function bytesOf(v: unknown, where: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return fromBase64(v, where);
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  throw new InvalidArgument(`${where}: expected a Uint8Array`);
}

function int32Of(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new InvalidArgument(`${where}: expected a number`);
}

function objectOf(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null) throw new InvalidArgument(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

/** Writes the fields of `m`, a `def` message; `canonical` omits fields holding their default. */
export function writeMessage(w: Writer, def: MessageDef, m: Record<string, unknown>, canonical: boolean): void {
  for (const f of def.fields) {
    const v = m[f.name];
    if (v == null) continue;
    const where = `${def.name}.${f.name}`;
    if (f.repeated) {
      const items = v as ArrayLike<unknown>;
      if (!items.length) continue;
      if (f.kind === 'message') {
        const sub = MESSAGES[f.type!];
        for (let i = 0; i < items.length; i++) {
          const item = objectOf(items[i], where);
          w.tag(f.no, 2);
          w.delimited(() => writeMessage(w, sub, item, canonical));
        }
      } else {
        w.tag(f.no, 2);
        w.delimited(() => {
          for (let i = 0; i < items.length; i++) w.int32(int32Of(items[i], where));
        });
      }
      continue;
    }
    if (!canonical && !hasOwn(m, f.name)) continue;
    if (f.kind === 'message') {
      const sub = objectOf(v, where);
      w.tag(f.no, 2);
      w.delimited(() => writeMessage(w, MESSAGES[f.type!], sub, canonical));
    } else if (f.kind === 'bytes') {
      const bytes = bytesOf(v, where);
      if (canonical && bytes.length === 0) continue;
      w.tag(f.no, 2);
      w.bytes(bytes);
    } else if (f.kind === 'bool') {
      if (canonical && !v) continue;
      w.tag(f.no, 0);
      w.varint(v ? 1 : 0);
    } else {
      const n = int32Of(v, where);
      if (canonical && (n | 0) === 0) continue;
      w.tag(f.no, 0);
      w.int32(n);
    }
  }
}

/** The canonical protobuf encoding of `m` as a `name` message. */
export function encodeMessage(name: MessageName, m: unknown): Uint8Array {
  const w = new Writer();
  writeMessage(w, MESSAGES[name], objectOf(m, name), true);
  return w.finish();
}

export const encodeCommitmentProof = (m: CommitmentProof) => encodeMessage('CommitmentProof', m);
export const encodeExistenceProof = (m: ExistenceProof) => encodeMessage('ExistenceProof', m);
export const encodeProofSpec = (m: ProofSpec) => encodeMessage('ProofSpec', m);
export const encodeLeafOp = (m: LeafOp) => encodeMessage('LeafOp', m);
export const encodeInnerOp = (m: InnerOp) => encodeMessage('InnerOp', m);
