// The `ics23` codec namespace of @confio/ics23 0.6.8 (`ics23.CommitmentProof.decode(bytes)`,
// `.encode(message).finish()`, `create`, `fromObject`, `toObject`, `HashOp`, `LengthOp`) without
// protobufjs: decoding is the WASM verifier's decoder (same rules, same limits), which hands
// back the message tree as tokens; encoding is encode.ts; the shapes come from schema.ts.
import { backend } from '../core/load.js';
import { describeDecodeError } from '../core/ics23.js';
import { InvalidArgument, MalformedProof } from '../errors.js';
import { fromBase64, toBase64 } from './base64.js';
import { Writer, writeMessage } from './encode.js';
import { HASH_OP, LENGTH_OP, MESSAGES, MESSAGE_NAMES, type FieldDef, type MessageDef, type MessageName } from './schema.js';
import type * as T from './types.js';

/** protobufjs's conversion options (`longs` does not apply: ICS23 has no 64-bit fields). */
export interface ConversionOptions {
  longs?: unknown;
  enums?: unknown;
  bytes?: unknown;
  defaults?: boolean;
  arrays?: boolean;
  objects?: boolean;
  oneofs?: boolean;
  json?: boolean;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- protobufjs's own signatures return `{ [k: string]: any }` */
type PlainObject = { [k: string]: any };

/** A message class, shaped as protobufjs's static code. */
export interface MessageClass<I, M extends I> {
  new (properties?: I): M;
  create(properties?: I): M;
  /** Writes `message`; `.finish()` gives the bytes. */
  encode(message: I, writer?: Writer): Writer;
  /** Throws MalformedProof (with the byte offset) for bytes that are not this message. */
  decode(bytes: Uint8Array, length?: number): M;
  fromObject(object: PlainObject): M;
  toObject(message: M, options?: ConversionOptions): PlainObject;
}

type Instance = Record<string, unknown>;

// Token kinds of assembly/ics23_decode.ts (0 is a varint).
const TOKEN_BYTES = 1;
const TOKEN_OPEN = 2;
const TOKEN_CLOSE = 3;
const JSON_OPTIONS: ConversionOptions = { longs: String, enums: String, bytes: String, json: true };
const EMPTY_ARRAY = Object.freeze([]);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const classes = {} as Record<MessageName, MessageClass<object, Instance>>;

/** Turns the decoder's tokens for a `def` message into message instances (payloads are views of `bytes`); calls nothing in the core. */
function build(def: MessageDef, tokens: Int32Array, bytes: Uint8Array): Instance {
  const root = new classes[def.name]();
  const objects: Instance[] = [root];
  const defs: MessageDef[] = [def];
  for (let i = 0; i < tokens.length; i += 3) {
    const kind = tokens[i] & 3;
    if (kind === TOKEN_CLOSE) {
      objects.pop();
      defs.pop();
      continue;
    }
    const target = objects[objects.length - 1];
    const field = defs[defs.length - 1].byNumber[tokens[i] >>> 2]!;
    let value: unknown;
    if (kind === TOKEN_OPEN) {
      const sub = MESSAGES[field.type!];
      value = new classes[sub.name]();
      objects.push(value as Instance);
      defs.push(sub);
    } else if (kind === TOKEN_BYTES) {
      value = bytes.subarray(tokens[i + 1], tokens[i + 1] + tokens[i + 2]);
    } else { // a varint
      value = field.kind === 'bool' ? tokens[i + 1] !== 0 : tokens[i + 1];
    }
    if (!field.repeated) target[field.name] = value;
    else if (target[field.name] === EMPTY_ARRAY) target[field.name] = [value]; // the prototype's default
    else (target[field.name] as unknown[]).push(value);
  }
  return root;
}

function decode(def: MessageDef, input: Uint8Array, length?: number): Instance {
  if (!(input instanceof Uint8Array)) throw new InvalidArgument(`${def.name}.decode: expected a Uint8Array`);
  const bytes = length === undefined ? input : input.subarray(0, length);
  const result = backend().ics23.decode(def.decoderType, bytes);
  if (!('tokens' in result)) throw new MalformedProof(describeDecodeError(result.decodeError), result.decodeErrorAt);
  return build(def, result.tokens, bytes);
}

function bytesToObject(b: Uint8Array, o: ConversionOptions): unknown {
  return o.bytes === String ? toBase64(b) : o.bytes === Array ? Array.from(b) : b;
}

function defaultOf(f: FieldDef, o: ConversionOptions): unknown {
  if (f.kind === 'message') return null;
  if (f.kind === 'bytes') return o.bytes === String ? '' : o.bytes === Array ? [] : new Uint8Array(0);
  if (f.kind === 'bool') return false;
  return f.enumDef && o.enums === String ? f.enumDef[0] : 0;
}

function scalarToObject(f: FieldDef, v: unknown, o: ConversionOptions): unknown {
  if (f.kind === 'message') return toObject(MESSAGES[f.type!], v as Instance, o);
  if (f.kind === 'bytes') return bytesToObject(v as Uint8Array, o);
  return f.enumDef && o.enums === String ? f.enumDef[v as number] : v;
}

/** protobufjs's toObject: defaults and empty arrays only when asked, in its property order. */
function toObject(def: MessageDef, m: Instance, options?: ConversionOptions): PlainObject {
  const o = options ?? {};
  const d: PlainObject = {};
  if (o.arrays || o.defaults) for (const f of def.fields) if (f.repeated) d[f.name] = [];
  if (o.defaults) for (const f of def.fields) if (!f.repeated && !f.oneof) d[f.name] = defaultOf(f, o);
  for (const f of def.fields) {
    const v = m[f.name];
    if (f.repeated) {
      const items = v as unknown[] | null | undefined;
      if (items && items.length) d[f.name] = Array.from(items, (x) => scalarToObject(f, x, o));
    } else if (v != null && hasOwn(m, f.name)) {
      d[f.name] = scalarToObject(f, v, o);
      if (f.oneof && o.oneofs) d.proof = f.name;
    }
  }
  return d;
}

function enumFromObject(f: FieldDef, v: unknown): number | undefined {
  // protobufjs accepts a known name or a known number and leaves anything else unset.
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const byName = f.enumDef![v];
  if (typeof v === 'string') return typeof byName === 'number' ? byName : undefined;
  return typeof byName === 'string' ? v : undefined;
}

function fromObjectField(def: MessageDef, f: FieldDef, v: unknown): unknown {
  const where = `.ics23.${def.name}.${f.name}`;
  if (f.kind === 'message') {
    if (typeof v !== 'object' || v === null) throw new InvalidArgument(`${where}: object expected`);
    return fromObject(MESSAGES[f.type!], v as PlainObject);
  }
  if (f.kind === 'bool') return Boolean(v);
  if (f.enumDef) return enumFromObject(f, v);
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
    throw new InvalidArgument(`${where}: integer expected`);
  }
  return Number(v) | 0;
}

function bytesFromObject(where: string, v: unknown): Uint8Array | undefined {
  if (typeof v === 'string') return fromBase64(v, where);
  if (v instanceof Uint8Array) return v.length ? v : undefined;
  if (Array.isArray(v)) return v.length ? Uint8Array.from(v as number[]) : undefined;
  throw new InvalidArgument(`${where}: buffer expected`);
}

/** protobufjs's fromObject: base64 strings or arrays for bytes, names or numbers for enums; typed errors for the wrong shapes. */
function fromObject(def: MessageDef, d: PlainObject): Instance {
  const Class = classes[def.name];
  if (d instanceof Class) return d;
  if (typeof d !== 'object' || d === null) throw new InvalidArgument(`.ics23.${def.name}: object expected`);
  const m = new Class();
  for (const f of def.fields) {
    const v = d[f.name];
    const where = `.ics23.${def.name}.${f.name}`;
    if (f.repeated) {
      if (!v) continue;
      if (!Array.isArray(v)) throw new InvalidArgument(`${where}: array expected`);
      m[f.name] = v.map((x) => fromObjectField(def, f, x));
      continue;
    }
    if (v == null) continue;
    const value = f.kind === 'bytes' ? bytesFromObject(where, v) : fromObjectField(def, f, v);
    if (value !== undefined) m[f.name] = value;
  }
  return m;
}

function makeClass(def: MessageDef): MessageClass<object, Instance> {
  const Class = class {
    constructor(properties?: PlainObject) {
      if (properties) for (const k of Object.keys(properties)) if (properties[k] != null) (this as unknown as Instance)[k] = properties[k];
    }

    static create(properties?: PlainObject) { return new Class(properties); }
    static encode(message: object, writer = new Writer()) {
      if (typeof message !== 'object' || message === null) throw new InvalidArgument(`${def.name}.encode: object expected`);
      writeMessage(writer, def, message as Instance, false);
      return writer;
    }
    static decode(bytes: Uint8Array, length?: number) { return decode(def, bytes, length); }
    static fromObject(object: PlainObject) { return fromObject(def, object); }
    static toObject(message: Instance, options?: ConversionOptions) { return toObject(def, message, options); }
    toJSON() { return toObject(def, this as unknown as Instance, JSON_OPTIONS); }
  };
  Object.defineProperty(Class, 'name', { value: def.name });
  // Unset fields read as protobufjs's defaults, from the prototype.
  for (const f of def.fields) {
    (Class.prototype as unknown as Instance)[f.name] = f.repeated ? EMPTY_ARRAY : f.kind === 'message' ? null
      : f.kind === 'bytes' ? new Uint8Array(0) : f.kind === 'bool' ? false : 0;
  }
  const oneof = def.fields.filter((f) => f.oneof).map((f) => f.name);
  if (oneof.length) {
    // The virtual `proof` property: which member of the oneof is set; setting it clears the others.
    Object.defineProperty(Class.prototype, 'proof', {
      get(this: Instance) {
        for (const k of Object.keys(this).reverse()) if (oneof.includes(k) && this[k] != null) return k;
        return undefined;
      },
      set(this: Instance, name: string) {
        for (const k of oneof) if (k !== name) delete this[k];
      },
    });
  }
  return Class as unknown as MessageClass<object, Instance>;
}

for (const name of MESSAGE_NAMES) classes[name] = makeClass(MESSAGES[name]);

/** A decoded or created message: the plain shape plus protobufjs's instance method. */
type Message<I, Extra = unknown> = I & Extra & { toJSON(): PlainObject };
type WithOneof = { proof?: string };

type HashOpEnum = { readonly [K in keyof typeof T.HashOp]: (typeof T.HashOp)[K] } & { readonly KECCAK: 3; readonly [value: number]: string };
type LengthOpEnum = { readonly [K in keyof typeof T.LengthOp]: (typeof T.LengthOp)[K] } & { readonly [value: number]: string };

const typed = <I, M extends I>(name: MessageName) => classes[name] as unknown as MessageClass<I, M>;

/** @confio/ics23's `ics23` namespace: the message classes and enums of cosmos.ics23.v1. */
export const ics23 = {
  HashOp: HASH_OP as unknown as HashOpEnum,
  LengthOp: LENGTH_OP as unknown as LengthOpEnum,
  CommitmentProof: typed<T.CommitmentProof, ics23.CommitmentProof>('CommitmentProof'),
  ExistenceProof: typed<T.ExistenceProof, ics23.ExistenceProof>('ExistenceProof'),
  NonExistenceProof: typed<T.NonExistenceProof, ics23.NonExistenceProof>('NonExistenceProof'),
  BatchProof: typed<T.BatchProof, ics23.BatchProof>('BatchProof'),
  BatchEntry: typed<T.BatchEntry, ics23.BatchEntry>('BatchEntry'),
  CompressedBatchProof: typed<T.CompressedBatchProof, ics23.CompressedBatchProof>('CompressedBatchProof'),
  CompressedBatchEntry: typed<T.CompressedBatchEntry, ics23.CompressedBatchEntry>('CompressedBatchEntry'),
  CompressedExistenceProof: typed<T.CompressedExistenceProof, ics23.CompressedExistenceProof>('CompressedExistenceProof'),
  CompressedNonExistenceProof: typed<T.CompressedNonExistenceProof, ics23.CompressedNonExistenceProof>('CompressedNonExistenceProof'),
  LeafOp: typed<T.LeafOp, ics23.LeafOp>('LeafOp'),
  InnerOp: typed<T.InnerOp, ics23.InnerOp>('InnerOp'),
  ProofSpec: typed<T.ProofSpec, ics23.ProofSpec>('ProofSpec'),
  InnerSpec: typed<T.InnerSpec, ics23.InnerSpec>('InnerSpec'),
};

/** The type names of @confio/ics23's namespace: `ics23.ICommitmentProof` (any object of the shape), `ics23.CommitmentProof` (an instance), … */
// eslint-disable-next-line @typescript-eslint/no-namespace -- mirrors protobufjs's generated namespace
export declare namespace ics23 {
  type HashOp = T.HashOp;
  type LengthOp = T.LengthOp;
  type ICommitmentProof = T.CommitmentProof;
  type IExistenceProof = T.ExistenceProof;
  type INonExistenceProof = T.NonExistenceProof;
  type IBatchProof = T.BatchProof;
  type IBatchEntry = T.BatchEntry;
  type ICompressedBatchProof = T.CompressedBatchProof;
  type ICompressedBatchEntry = T.CompressedBatchEntry;
  type ICompressedExistenceProof = T.CompressedExistenceProof;
  type ICompressedNonExistenceProof = T.CompressedNonExistenceProof;
  type ILeafOp = T.LeafOp;
  type IInnerOp = T.InnerOp;
  type IProofSpec = T.ProofSpec;
  type IInnerSpec = T.InnerSpec;
  type CommitmentProof = Message<T.CommitmentProof, WithOneof>;
  type ExistenceProof = Message<T.ExistenceProof>;
  type NonExistenceProof = Message<T.NonExistenceProof>;
  type BatchProof = Message<T.BatchProof>;
  type BatchEntry = Message<T.BatchEntry, WithOneof>;
  type CompressedBatchProof = Message<T.CompressedBatchProof>;
  type CompressedBatchEntry = Message<T.CompressedBatchEntry, WithOneof>;
  type CompressedExistenceProof = Message<T.CompressedExistenceProof>;
  type CompressedNonExistenceProof = Message<T.CompressedNonExistenceProof>;
  type LeafOp = Message<T.LeafOp>;
  type InnerOp = Message<T.InnerOp>;
  type ProofSpec = Message<T.ProofSpec>;
  type InnerSpec = Message<T.InnerSpec>;
}
