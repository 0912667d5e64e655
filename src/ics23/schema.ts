// The ICS23 messages (cosmos.ics23.v1, SPECS §2.1) as data: field names, numbers and kinds.
// The encoder and the `ics23` codec namespace (create / toObject / fromObject, and turning the
// core decoder's tokens into objects) all read this table; the WASM decoder is the other half.

import { HashOp, LengthOp } from './types.js';

/** An enum as protobufjs builds one: name → value and value → name. */
export type EnumDef = Readonly<Record<string, number | string>>;

function protoEnum(values: Record<string, number>, names: Record<number, string> = {}): EnumDef {
  const e: Record<string, number | string> = { ...values };
  for (const [name, value] of Object.entries(values)) e[value] = names[value] ?? name;
  return Object.freeze(e);
}

/**
 * cosmos.ics23.v1.HashOp with both names of 3: @confio/ics23 0.6.8's `KECCAK` (also the name
 * it converts 3 to) and 0.10's `KECCAK256`.
 */
export const HASH_OP = protoEnum({ ...HashOp, KECCAK: 3 }, { 3: 'KECCAK' });

/** cosmos.ics23.v1.LengthOp. */
export const LENGTH_OP = protoEnum(LengthOp);

export type FieldKind = 'bytes' | 'int32' | 'bool' | 'message';

export interface FieldDef {
  readonly name: string;
  readonly no: number;
  readonly kind: FieldKind;
  /** Repeated; repeated int32 fields are packed. */
  readonly repeated: boolean;
  /** Member of the message's `proof` oneof. */
  readonly oneof: boolean;
  readonly enumDef?: EnumDef;
  /** The sub-message's name (kind 'message'). */
  readonly type?: MessageName;
}

export interface MessageDef {
  readonly name: MessageName;
  /** The message's number in the core's `ics23Decode` (assembly/ics23.ts). */
  readonly decoderType: number;
  /** Fields in declaration order, which is also protobufjs's encoding order. */
  readonly fields: readonly FieldDef[];
  /** Fields by number (ICS23 numbers them from 1 to 6). */
  readonly byNumber: readonly (FieldDef | undefined)[];
}

type Spec = [name: string, no: number, kind: FieldKind | MessageName, options?: 'repeated' | 'oneof' | EnumDef];

export const MESSAGE_NAMES = [
  'CommitmentProof', 'ExistenceProof', 'NonExistenceProof', 'BatchProof', 'BatchEntry', 'CompressedBatchProof',
  'CompressedBatchEntry', 'CompressedExistenceProof', 'CompressedNonExistenceProof', 'LeafOp', 'InnerOp', 'ProofSpec',
  'InnerSpec',
] as const;
export type MessageName = (typeof MESSAGE_NAMES)[number];

const SPECS: Record<MessageName, Spec[]> = {
  CommitmentProof: [
    ['exist', 1, 'ExistenceProof', 'oneof'], ['nonexist', 2, 'NonExistenceProof', 'oneof'],
    ['batch', 3, 'BatchProof', 'oneof'], ['compressed', 4, 'CompressedBatchProof', 'oneof'],
  ],
  ExistenceProof: [['key', 1, 'bytes'], ['value', 2, 'bytes'], ['leaf', 3, 'LeafOp'], ['path', 4, 'InnerOp', 'repeated']],
  NonExistenceProof: [['key', 1, 'bytes'], ['left', 2, 'ExistenceProof'], ['right', 3, 'ExistenceProof']],
  BatchProof: [['entries', 1, 'BatchEntry', 'repeated']],
  BatchEntry: [['exist', 1, 'ExistenceProof', 'oneof'], ['nonexist', 2, 'NonExistenceProof', 'oneof']],
  CompressedBatchProof: [['entries', 1, 'CompressedBatchEntry', 'repeated'], ['lookupInners', 2, 'InnerOp', 'repeated']],
  CompressedBatchEntry: [
    ['exist', 1, 'CompressedExistenceProof', 'oneof'], ['nonexist', 2, 'CompressedNonExistenceProof', 'oneof'],
  ],
  CompressedExistenceProof: [['key', 1, 'bytes'], ['value', 2, 'bytes'], ['leaf', 3, 'LeafOp'], ['path', 4, 'int32', 'repeated']],
  CompressedNonExistenceProof: [
    ['key', 1, 'bytes'], ['left', 2, 'CompressedExistenceProof'], ['right', 3, 'CompressedExistenceProof'],
  ],
  LeafOp: [
    ['hash', 1, 'int32', HASH_OP], ['prehashKey', 2, 'int32', HASH_OP], ['prehashValue', 3, 'int32', HASH_OP],
    ['length', 4, 'int32', LENGTH_OP], ['prefix', 5, 'bytes'],
  ],
  InnerOp: [['hash', 1, 'int32', HASH_OP], ['prefix', 2, 'bytes'], ['suffix', 3, 'bytes']],
  ProofSpec: [
    ['leafSpec', 1, 'LeafOp'], ['innerSpec', 2, 'InnerSpec'], ['maxDepth', 3, 'int32'], ['minDepth', 4, 'int32'],
    // Not in @confio/ics23 0.6.8's schema (added in 0.10, as in Go).
    ['prehashKeyBeforeComparison', 5, 'bool'],
  ],
  InnerSpec: [
    ['childOrder', 1, 'int32', 'repeated'], ['childSize', 2, 'int32'], ['minPrefixLength', 3, 'int32'],
    ['maxPrefixLength', 4, 'int32'], ['emptyChild', 5, 'bytes'], ['hash', 6, 'int32', HASH_OP],
  ],
};

const SCALARS = new Set<string>(['bytes', 'int32', 'bool']);

export const MESSAGES = Object.fromEntries(MESSAGE_NAMES.map((name, decoderType) => {
  const fields: FieldDef[] = SPECS[name].map(([fieldName, no, kind, option]) => ({
    name: fieldName,
    no,
    kind: SCALARS.has(kind) ? kind as FieldKind : 'message',
    type: SCALARS.has(kind) ? undefined : kind as MessageName,
    repeated: option === 'repeated',
    oneof: option === 'oneof',
    enumDef: typeof option === 'object' ? option : undefined,
  }));
  const byNumber: (FieldDef | undefined)[] = [];
  for (const f of fields) byNumber[f.no] = f;
  return [name, { name, decoderType, fields, byNumber }];
})) as unknown as Record<MessageName, MessageDef>;
