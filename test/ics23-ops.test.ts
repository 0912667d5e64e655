// The operation-level vectors of cosmos/ics23 (testdata/Test*Data.json), run on every core.
import { describe, expect, it } from 'vitest';
import { sha512, sha512_256 } from '@noble/hashes/sha2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { blake2b, blake2s } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import {
  encodeProofSpec, type ExistenceProof, type InnerOp, type LeafOp, type ProofSpec,
} from '../src/ics23/index.js';
import { encodeExistenceProof, encodeInnerOp, encodeLeafOp } from '../src/ics23/encode.js';
import { REASONS } from '../src/ics23/verify.js';
import { fromBase64 } from './ics23-vectors.js';
import { hex, rng } from './helpers.js';
import doHashData from './vectors/ics23/TestDoHashData.json';
import leafOpData from './vectors/ics23/TestLeafOpData.json';
import innerOpData from './vectors/ics23/TestInnerOpData.json';
import existenceProofData from './vectors/ics23/TestExistenceProofData.json';
import checkLeafData from './vectors/ics23/TestCheckLeafData.json';
import checkAgainstSpecData from './vectors/ics23/TestCheckAgainstSpecData.json';
import emptyBranchData from './vectors/ics23/TestEmptyBranchData.json';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** HashOps lightsnap does not implement (neither does Go). */
const UNSUPPORTED: Record<number, string> = { 3: 'KECCAK256', 9: 'BLAKE3' };

// Go's JSON uses proto field names (snake_case) and base64 bytes; convert to the object shape.
type GoOp = Record<string, unknown>;
const b64 = (v: unknown) => fromBase64(v as string | null | undefined);

function goLeaf(o: GoOp): LeafOp {
  return { hash: o.hash as number, prehashKey: o.prehash_key as number, prehashValue: o.prehash_value as number,
    length: o.length as number, prefix: b64(o.prefix) };
}

function goInner(o: GoOp): InnerOp {
  return { hash: o.hash as number, prefix: b64(o.prefix), suffix: b64(o.suffix) };
}

function goExistence(o: GoOp): ExistenceProof {
  return { key: b64(o.key), value: b64(o.value), leaf: o.leaf ? goLeaf(o.leaf as GoOp) : null,
    path: ((o.path as GoOp[] | undefined) ?? []).map(goInner) };
}

function goSpec(o: GoOp): ProofSpec {
  const inner = o.inner_spec as GoOp | undefined;
  return {
    leafSpec: o.leaf_spec ? goLeaf(o.leaf_spec as GoOp) : null,
    innerSpec: inner ? {
      childOrder: inner.child_order as number[], childSize: inner.child_size as number,
      minPrefixLength: inner.min_prefix_length as number, maxPrefixLength: inner.max_prefix_length as number,
      emptyChild: b64(inner.empty_child), hash: inner.hash as number,
    } : null,
    maxDepth: o.max_depth as number, minDepth: o.min_depth as number,
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe.each(kinds)('ICS23 operations on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind }).ics23;

  describe('doHash (TestDoHashData.json)', () => {
    for (const [name, c] of Object.entries(doHashData as Record<string, GoOp>)) {
      const op = c.HashOp as number;
      // The upstream sha512 case spells its field "PreImage" (Go's JSON matching is case-insensitive).
      const preimage = utf8((c.Preimage ?? c.PreImage) as string);
      if (UNSUPPORTED[op]) {
        it.skip(`${name}: skipped, ${UNSUPPORTED[op]} is an unsupported hash op in lightsnap`, () => {});
        it(`${name}: reports ${UNSUPPORTED[op]} as an unsupported hash op`, () => {
          const r = core.hashOp(op, preimage);
          expect(r.bytes).toBeNull();
          expect(REASONS[r.reason]).toBe('unsupported-hash');
        });
        continue;
      }
      it(name, () => {
        expect(hex(core.hashOp(op, preimage).bytes!)).toBe(c.ExpectedHash);
      });
    }
  });

  it('SHA-512, SHA-512/256, RIPEMD-160, BITCOIN, BLAKE2b and BLAKE2s match @noble/hashes at every padding boundary', () => {
    const r = rng(23);
    const data = r.bytes(400);
    for (let len = 0; len <= 400; len += len < 260 ? 1 : 17) {
      const msg = data.subarray(0, len);
      expect(hex(core.hashOp(1, msg).bytes!), `sha256 ${len}`).toBe(hex(sha256(msg)));
      expect(hex(core.hashOp(2, msg).bytes!), `sha512 ${len}`).toBe(hex(sha512(msg)));
      expect(hex(core.hashOp(6, msg).bytes!), `sha512/256 ${len}`).toBe(hex(sha512_256(msg)));
      expect(hex(core.hashOp(4, msg).bytes!), `ripemd160 ${len}`).toBe(hex(ripemd160(msg)));
      expect(hex(core.hashOp(5, msg).bytes!), `bitcoin ${len}`).toBe(hex(ripemd160(sha256(msg))));
      expect(hex(core.hashOp(7, msg).bytes!), `blake2b ${len}`).toBe(hex(blake2b(msg)));
      expect(hex(core.hashOp(8, msg).bytes!), `blake2s ${len}`).toBe(hex(blake2s(msg)));
    }
  });

  // Short SHA-256 messages are gathered in one frame and longer ones streamed: an inner op's
  // pieces cross that switch at every length and every split.
  it('SHA-256 InnerOp.apply equals SHA-256(prefix || child || suffix) for every length and split up to 200 bytes', () => {
    const r = rng(29);
    const data = r.bytes(200);
    for (let len = 1; len <= 200; len += len < 140 ? 1 : 7) {
      for (const [a, b] of [[0, len], [1, len], [len >> 1, len], [1, len - 1], [len - 1, len]]) {
        if (b <= a || a < 0 || b > len) continue;
        const prefix = data.subarray(0, a);
        const child = data.subarray(a, b);
        const suffix = data.subarray(b, len);
        const got = core.applyInner(encodeInnerOp({ hash: 1, prefix, suffix }), child);
        expect(hex(got.bytes!), `length ${len}, child [${a}, ${b})`).toBe(hex(sha256(data.subarray(0, len))));
      }
    }
  });

  it('NO_HASH cannot hash; KECCAK256 and BLAKE3 are reported as unsupported', () => {
    expect(REASONS[core.hashOp(0, utf8('x')).reason]).toBe('no-hash');
    expect(REASONS[core.hashOp(3, utf8('x')).reason]).toBe('unsupported-hash');
    expect(REASONS[core.hashOp(9, utf8('x')).reason]).toBe('unsupported-hash');
  });

  describe('LeafOp.apply (TestLeafOpData.json)', () => {
    for (const [name, c] of Object.entries(leafOpData as Record<string, GoOp>)) {
      it(name, () => {
        const r = core.applyLeaf(encodeLeafOp(goLeaf(c.Op as GoOp)), b64(c.Key), b64(c.Value));
        if (c.IsErr) expect(r.bytes).toBeNull();
        else expect(hex(r.bytes!)).toBe(hex(b64(c.Expected)));
      });
    }
  });

  describe('InnerOp.apply (TestInnerOpData.json)', () => {
    for (const [name, c] of Object.entries(innerOpData as Record<string, GoOp>)) {
      it(name, () => {
        const r = core.applyInner(encodeInnerOp(goInner(c.Op as GoOp)), b64(c.Child));
        if (c.IsErr) expect(r.bytes).toBeNull();
        else expect(hex(r.bytes!)).toBe(hex(b64(c.Expected)));
      });
    }
  });

  describe('ExistenceProof.calculate (TestExistenceProofData.json)', () => {
    for (const [name, c] of Object.entries(existenceProofData as Record<string, GoOp>)) {
      it(name, () => {
        const r = core.calculate(encodeExistenceProof(goExistence(c.Proof as GoOp)));
        if (c.IsErr) expect(r.bytes).toBeNull();
        else expect(hex(r.bytes!)).toBe(hex(b64(c.Expected)));
      });
    }
  });

  describe('LeafOp.CheckAgainstSpec (TestCheckLeafData.json)', () => {
    for (const [name, c] of Object.entries(checkLeafData as Record<string, GoOp>)) {
      it(name, () => {
        const spec = encodeProofSpec({ leafSpec: goLeaf(c.Spec as GoOp) });
        expect(core.checkLeaf(encodeLeafOp(goLeaf(c.Leaf as GoOp)), spec).status).toBe(c.IsErr ? 0 : 1);
      });
    }
  });

  describe('ExistenceProof.CheckAgainstSpec (TestCheckAgainstSpecData.json)', () => {
    for (const [name, c] of Object.entries(checkAgainstSpecData as Record<string, GoOp>)) {
      it(name, () => {
        const r = core.checkAgainstSpec(encodeExistenceProof(goExistence(c.Proof as GoOp)), encodeProofSpec(goSpec(c.Spec as GoOp)));
        expect(r.status, REASONS[r.reason]).toBe(c.Err === '' ? 1 : 0);
      });
    }
  });

  describe('empty-branch detection (TestEmptyBranchData.json)', () => {
    (emptyBranchData as GoOp[]).forEach((c, i) => {
      it(`case ${i}: left empty ${c.IsLeft}, right empty ${c.IsRight}`, () => {
        const bits = core.emptyBranches(encodeInnerOp(goInner(c.Op as GoOp)), encodeProofSpec(goSpec(c.Spec as GoOp))).status;
        expect(bits & 4).toBe(4); // the op itself is valid for the spec
        expect((bits & 1) === 1).toBe(c.IsLeft);
        expect((bits & 2) === 2).toBe(c.IsRight);
      });
    });
  });
});
