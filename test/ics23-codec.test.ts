// The `ics23` codec namespace against @confio/ics23 0.6.8's protobufjs code, byte for byte:
// on every upstream vector and on seeded random messages of every type.
import { describe, expect, it } from 'vitest';
import * as confio from '@confio/ics23';
import { ics23, MalformedProof, InvalidArgument } from '../src/ics23/index.js';
import { concat, hex, rng } from './helpers.js';
import { jmtVectors, upstreamVectors } from './ics23-vectors.js';

const ROUNDS = Number((typeof process === 'undefined' ? undefined : process.env.ICS23_FUZZ_ROUNDS) ?? 1);

type Name = 'CommitmentProof' | 'ExistenceProof' | 'NonExistenceProof' | 'BatchProof' | 'BatchEntry' | 'CompressedBatchProof'
  | 'CompressedBatchEntry' | 'CompressedExistenceProof' | 'CompressedNonExistenceProof' | 'LeafOp' | 'InnerOp' | 'ProofSpec' | 'InnerSpec';
const NAMES: Name[] = ['CommitmentProof', 'ExistenceProof', 'NonExistenceProof', 'BatchProof', 'BatchEntry', 'CompressedBatchProof',
  'CompressedBatchEntry', 'CompressedExistenceProof', 'CompressedNonExistenceProof', 'LeafOp', 'InnerOp', 'ProofSpec', 'InnerSpec'];

/* eslint-disable @typescript-eslint/no-explicit-any -- both libraries' message classes, used side by side */
const ours = (name: Name) => (ics23 as any)[name];
const theirs = (name: Name) => (confio.ics23 as any)[name];

/** Byte arrays (Buffers from protobufjs in Node) as hex, so objects from both libraries compare by content. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `0x${hex(v)}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const OPTIONS = [
  undefined,
  { defaults: true },
  { arrays: true },
  { bytes: String },
  { bytes: Array, enums: String },
  { bytes: String, enums: String, defaults: true, arrays: true, oneofs: true },
];

/** Decodes with both, and checks the objects, every toObject form, toJSON and both re-encodings agree. */
function crossCheck(name: Name, bytes: Uint8Array, label: string): void {
  const a = ours(name).decode(bytes);
  const b = theirs(name).decode(bytes);
  for (const o of OPTIONS) {
    const mine = ours(name).toObject(a, o);
    // A default ProofSpec.prehashKeyBeforeComparison: a field 0.6.8's schema does not have.
    if (name === 'ProofSpec' && o?.defaults && mine.prehashKeyBeforeComparison === false) delete mine.prehashKeyBeforeComparison;
    expect(plain(mine), `${label} toObject ${JSON.stringify(o)}`).toEqual(plain(theirs(name).toObject(b, o)));
  }
  expect(JSON.stringify(a), `${label} toJSON`).toBe(JSON.stringify(b));
  const mine = ours(name).encode(a).finish();
  expect(hex(mine), `${label} re-encoded`).toBe(hex(theirs(name).encode(b).finish()));
  // Each library encodes the other's decoded objects the same way too.
  expect(hex(ours(name).encode(b).finish()), label).toBe(hex(mine));
  expect(hex(theirs(name).encode(a).finish()), label).toBe(hex(mine));
}

/** A random message of `name`, any field present or not (zero and empty values included), as a plain object. */
function randomMessage(r: ReturnType<typeof rng>, name: Name, depth = 0): Record<string, unknown> {
  const maybe = () => r.int(3) !== 0;
  const bytes = () => r.bytes(r.int(3) === 0 ? 0 : 1 + r.int(40));
  const int = () => [0, 1, 2, 6, 127, 128, 300, -1, 2 ** 31 - 1, -(2 ** 31)][r.int(10)];
  const sub = (n: Name) => randomMessage(r, n, depth + 1);
  const list = <T>(f: () => T, max = 4) => Array.from({ length: r.int(max + 1) }, f);
  const m: Record<string, unknown> = {};
  const set = (k: string, f: () => unknown) => { if (maybe()) m[k] = f(); };
  switch (name) {
    case 'CommitmentProof': {
      const which = (['exist', 'nonexist', 'batch', 'compressed'] as const)[r.int(4)];
      m[which] = sub(({ exist: 'ExistenceProof', nonexist: 'NonExistenceProof', batch: 'BatchProof', compressed: 'CompressedBatchProof' } as const)[which]);
      break;
    }
    case 'ExistenceProof': case 'CompressedExistenceProof':
      set('key', bytes); set('value', bytes); set('leaf', () => sub('LeafOp'));
      set('path', name === 'ExistenceProof' ? () => list(() => sub('InnerOp')) : () => list(() => r.int(20), 6));
      break;
    case 'NonExistenceProof': case 'CompressedNonExistenceProof': {
      const ex = name === 'NonExistenceProof' ? 'ExistenceProof' : 'CompressedExistenceProof';
      set('key', bytes); set('left', () => sub(ex)); set('right', () => sub(ex));
      break;
    }
    case 'BatchProof': set('entries', () => list(() => sub('BatchEntry'), 3)); break;
    case 'CompressedBatchProof':
      set('entries', () => list(() => sub('CompressedBatchEntry'), 3)); set('lookupInners', () => list(() => sub('InnerOp')));
      break;
    case 'BatchEntry': case 'CompressedBatchEntry': {
      const compressed = name === 'CompressedBatchEntry' ? 'Compressed' : '';
      if (r.int(2)) m.exist = sub(`${compressed}ExistenceProof` as Name); else m.nonexist = sub(`${compressed}NonExistenceProof` as Name);
      break;
    }
    case 'LeafOp':
      set('hash', () => r.int(7)); set('prehashKey', () => r.int(7)); set('prehashValue', () => r.int(7));
      set('length', () => r.int(9)); set('prefix', bytes);
      break;
    case 'InnerOp': set('hash', () => r.int(7)); set('prefix', bytes); set('suffix', bytes); break;
    case 'ProofSpec':
      set('leafSpec', () => sub('LeafOp')); set('innerSpec', () => sub('InnerSpec')); set('maxDepth', int); set('minDepth', int);
      break;
    case 'InnerSpec':
      set('childOrder', () => list(int, 5)); set('childSize', int); set('minPrefixLength', int); set('maxPrefixLength', int);
      set('emptyChild', bytes); set('hash', () => r.int(7));
      break;
  }
  return m;
}

describe('ics23 codec namespace vs @confio/ics23 0.6.8', () => {
  it('has every message class and both enums', () => {
    for (const name of NAMES) {
      for (const fn of ['create', 'encode', 'decode', 'fromObject', 'toObject']) expect(typeof ours(name)[fn], `${name}.${fn}`).toBe('function');
    }
    for (const [k, v] of Object.entries(confio.ics23.HashOp)) expect((ics23.HashOp as any)[k], `HashOp.${k}`).toBe(v);
    for (const [k, v] of Object.entries(confio.ics23.LengthOp)) expect((ics23.LengthOp as any)[k], `LengthOp.${k}`).toBe(v);
  });

  it('decodes and re-encodes every upstream and JMT vector exactly as protobufjs does', () => {
    for (const v of upstreamVectors) {
      crossCheck('CommitmentProof', v.proof, v.name);
      expect(hex(ics23.CommitmentProof.encode(ics23.CommitmentProof.decode(v.proof)).finish())).toBe(hex(v.proof));
    }
    for (const j of jmtVectors) {
      crossCheck('CommitmentProof', j.existProof, `jmt ${j.set} exist`);
      crossCheck('CommitmentProof', j.nonexistProof, `jmt ${j.set} nonexist`);
    }
  });

  it('decoded messages are instances with protobufjs defaults and the oneof name', () => {
    const p = ics23.CommitmentProof.decode(upstreamVectors.find((v) => v.exist)!.proof);
    expect(p).toBeInstanceOf(ics23.CommitmentProof);
    expect(p.exist).toBeInstanceOf(ics23.ExistenceProof);
    expect(p.proof).toBe('exist');
    expect(p.nonexist).toBeNull();
    const empty = ics23.LeafOp.create();
    expect([empty.hash, empty.prefix!.length, ics23.ExistenceProof.create().path!.length]).toEqual([0, 0, 0]);
    p.proof = 'nonexist';
    expect(p.exist).toBeNull();
  });

  for (const name of NAMES) {
    it(`${name}: random messages encode, decode and convert the same`, () => {
      const r = rng(0x1c523 + NAMES.indexOf(name));
      for (let n = 0; n < 150 * ROUNDS; n++) {
        const m = randomMessage(r, name);
        const label = `${name} #${n}`;
        const bytes = theirs(name).encode(m).finish();
        expect(hex(ours(name).encode(m).finish()), `${label} encode`).toBe(hex(bytes));
        crossCheck(name, bytes, label);
        // create / fromObject / toObject(JSON) round trips match too.
        const json = theirs(name).toObject(theirs(name).decode(bytes), { bytes: String, enums: String, longs: String });
        expect(hex(ours(name).encode(ours(name).fromObject(json)).finish()), `${label} fromObject`).toBe(hex(bytes));
        expect(hex(ours(name).encode(ours(name).create(m)).finish()), `${label} create`).toBe(hex(bytes));
      }
    });
  }

  it('a ProofSpec keeps prehashKeyBeforeComparison (0.10 and Go; 0.6.8 drops the field)', () => {
    const bytes = ics23.ProofSpec.encode({ maxDepth: 3, prehashKeyBeforeComparison: true }).finish();
    expect(ics23.ProofSpec.decode(bytes).prehashKeyBeforeComparison).toBe(true);
    expect(ics23.ProofSpec.toObject(ics23.ProofSpec.decode(bytes))).toEqual({ maxDepth: 3, prehashKeyBeforeComparison: true });
  });
});

/** Whether `bytes` could hold a varint longer than 5 bytes (5 bytes in a row with the continuation bit). */
function hasLongVarint(bytes: Uint8Array): boolean {
  let run = 0;
  for (const b of bytes) {
    run = b & 0x80 ? run + 1 : 0;
    if (run >= 5) return true;
  }
  return false;
}

describe('ics23 codec on hostile input', () => {
  it('random and truncated bytes decode or throw MalformedProof, never anything else, and agree with protobufjs when both decode', () => {
    const r = rng(4242);
    let compared = 0;
    const inputs: Uint8Array[] = [];
    for (const v of upstreamVectors) for (let len = 0; len < v.proof.length; len += 7) inputs.push(v.proof.subarray(0, len));
    for (let n = 0; n < 300 * ROUNDS; n++) {
      const v = upstreamVectors[r.int(upstreamVectors.length)].proof.slice();
      for (let k = 0; k < 1 + r.int(3); k++) v[r.int(v.length)] ^= 1 + r.int(255);
      inputs.push(v, r.bytes(r.int(64)));
    }
    for (const bytes of inputs) {
      for (const name of NAMES) {
        let mine: unknown;
        try {
          mine = ours(name).decode(bytes);
        } catch (err) {
          expect(err, `${name} ${hex(bytes)}`).toBeInstanceOf(MalformedProof);
          continue;
        }
        let other: unknown;
        try {
          other = theirs(name).decode(bytes);
        } catch {
          continue; // protobufjs fails on some inputs it cannot read either (e.g. truncated groups)
        }
        // We reject what protobufjs misreads (wrong wire types, a oneof or message twice, groups);
        // whatever both read, both read the same — except a varint of 6 to 9 bytes, which
        // protobufjs's int32 reader takes to be 10 bytes long whatever its continuation bits say.
        const a = hex(ours(name).encode(mine).finish());
        const b = hex(theirs(name).encode(other).finish());
        if (a !== b && hasLongVarint(bytes)) continue;
        compared++;
        expect(a, `${name} ${hex(bytes)}`).toBe(b);
      }
    }
    expect(compared).toBeGreaterThan(inputs.length / 2);
  });

  it('a malformed proof names the byte where decoding failed', () => {
    const bytes = upstreamVectors[0].proof.subarray(0, 20);
    try {
      ics23.CommitmentProof.decode(bytes);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedProof);
      expect((err as MalformedProof).offset).toBeGreaterThanOrEqual(0);
      expect((err as MalformedProof).offset).toBeLessThan(20);
    }
  });

  it('paths beyond the verifier limit are malformed, not an unbounded allocation', () => {
    const op = ics23.InnerOp.encode({ hash: 1, prefix: new Uint8Array([1]) }).finish();
    const path = concat(...Array.from({ length: 513 }, () => Uint8Array.of(0x22, op.length, ...op)));
    expect(() => ics23.ExistenceProof.decode(path)).toThrow(MalformedProof);
    expect(ics23.ExistenceProof.decode(path.subarray(0, 512 * (op.length + 2))).path).toHaveLength(512);
  });

  it('fromObject and encode reject the wrong shapes with InvalidArgument', () => {
    expect(() => ics23.CommitmentProof.fromObject({ exist: 5 })).toThrow(InvalidArgument);
    expect(() => ics23.ExistenceProof.fromObject({ path: {} })).toThrow(InvalidArgument);
    expect(() => ics23.ExistenceProof.fromObject({ path: [null] })).toThrow(InvalidArgument);
    expect(() => ics23.ExistenceProof.fromObject({ key: 'not base64!' })).toThrow(InvalidArgument);
    expect(() => ics23.ExistenceProof.fromObject({ key: 17 })).toThrow(InvalidArgument);
    expect(() => ics23.InnerSpec.fromObject({ childSize: {} })).toThrow(InvalidArgument);
    expect(() => ics23.CommitmentProof.encode({ exist: { key: 5 } } as any)).toThrow(InvalidArgument);
    expect(() => ics23.CommitmentProof.decode('0a00' as any)).toThrow(InvalidArgument);
  });

  it('fromObject reads names and numbers for enums and base64 for bytes, like protobufjs', () => {
    const o = { hash: 'SHA256', prehashValue: 1, length: 'VAR_PROTO', prefix: 'AA==' };
    const mine = ics23.LeafOp.fromObject(o);
    expect(hex(ics23.LeafOp.encode(mine).finish())).toBe(hex(confio.ics23.LeafOp.encode(confio.ics23.LeafOp.fromObject(o)).finish()));
    expect(ics23.InnerOp.fromObject({ hash: 'KECCAK256' }).hash).toBe(3);
    expect(ics23.InnerOp.fromObject({ hash: 'NOT_A_HASH' }).hash).toBe(0);
  });
});
