import { describe, expect, it } from 'vitest';
import * as confio from '@confio/ics23';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import {
  verifyMembership, verifyNonMembership, checkMembership, checkNonMembership, encodeProofSpec, jmtSpec, smtSpec,
  MalformedProof, type CommitmentProof,
} from '../src/ics23/index.js';
import { jmtVectors, specOf, uncheckedRange, upstreamVectors, type Vector } from './ics23-vectors.js';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];

function verifyVector(v: Vector, proof: Uint8Array | CommitmentProof = v.proof, root = v.root, key = v.key, value = v.value): boolean {
  const spec = specOf[v.tree];
  return v.exist ? verifyMembership(proof, spec, root, key, value) : verifyNonMembership(proof, spec, root, key);
}

/** Verifies, counting a proof that cannot be decoded as rejected. */
function verifyOrMalformed(v: Vector, proof: Uint8Array): boolean | 'malformed' {
  try {
    return verifyVector(v, proof);
  } catch (err) {
    if (err instanceof MalformedProof) return 'malformed';
    throw err;
  }
}

const confioSpec = { iavl: confio.iavlSpec, tendermint: confio.tendermintSpec };

/** @confio/ics23 0.6.8 predates SMT's prehashed keys (its smtSpec has prehash_key NO_HASH) and hashed-key ordering. */
function confioCanCheck(v: Vector): boolean {
  return v.tree !== 'smt';
}

function confioVerify(v: Vector, proof: Uint8Array): boolean | 'undecodable' {
  let decoded: confio.ics23.CommitmentProof;
  try {
    decoded = confio.ics23.CommitmentProof.decode(proof);
  } catch {
    return 'undecodable';
  }
  try {
    const spec = confioSpec[v.tree as 'iavl' | 'tendermint'];
    return v.exist ? confio.verifyMembership(decoded, spec, v.root, v.key, v.value)
      : confio.verifyNonMembership(decoded, spec, v.root, v.key);
  } catch {
    return 'undecodable';
  }
}

describe('ICS23 upstream vectors (cosmos/ics23 testdata)', () => {
  it('has all 18', () => {
    expect(upstreamVectors.map((v) => v.name)).toHaveLength(18);
  });

  for (const v of upstreamVectors) {
    describe(v.name, () => {
      it('verifies from protobuf bytes', () => {
        expect(verifyVector(v)).toBe(true);
      });

      it('verifies from the decoded object (as @confio/ics23 users pass it)', () => {
        const decoded = confio.ics23.CommitmentProof.decode(v.proof);
        expect(verifyVector(v, decoded)).toBe(true);
      });

      it('fails with the root, key or value altered', () => {
        const flip = (b: Uint8Array, i: number) => { const c = b.slice(); c[i] ^= 1; return c; };
        expect(verifyVector(v, v.proof, flip(v.root, 0))).toBe(false);
        expect(verifyVector(v, v.proof, flip(v.root, 31))).toBe(false);
        expect(verifyVector(v, v.proof, v.root.subarray(0, 31))).toBe(false);
        if (v.exist) {
          expect(verifyVector(v, v.proof, v.root, flip(v.key, v.key.length - 1))).toBe(false);
          expect(verifyVector(v, v.proof, v.root, v.key, flip(v.value, 0))).toBe(false);
          expect(verifyVector(v, v.proof, v.root, v.key, new Uint8Array(0))).toBe(false);
          // An existence proof is not a non-existence proof, and vice versa.
          expect(verifyNonMembership(v.proof, specOf[v.tree], v.root, v.key)).toBe(false);
        } else {
          // A key that is present (a neighbour's) is not proven absent; nor is absence membership.
          const { nonexist } = confio.ics23.CommitmentProof.decode(v.proof);
          for (const neighbour of [nonexist!.left, nonexist!.right]) {
            if (neighbour) expect(verifyVector(v, v.proof, v.root, neighbour.key!)).toBe(false);
          }
          expect(verifyMembership(v.proof, specOf[v.tree], v.root, v.key, new Uint8Array([1]))).toBe(false);
        }
      });

      it('fails with any one proof byte altered, agreeing with @confio/ics23', () => {
        const [skipFrom, skipTo] = uncheckedRange(v);
        const accepted: number[] = [];
        let compared = 0;
        for (let i = 0; i < v.proof.length; i++) {
          if (i >= skipFrom && i < skipTo) continue;
          const mutant = v.proof.slice();
          mutant[i] ^= 0x01;
          const ours = verifyOrMalformed(v, mutant);
          if (ours === true) accepted.push(i);
          // protobufjs ignores wire types, so it reads some mutants we reject as malformed: compare the rest.
          if (confioCanCheck(v) && ours !== 'malformed') {
            const theirs = confioVerify(v, mutant);
            if (theirs !== 'undecodable') {
              compared++;
              expect(ours === true, `byte ${i}: lightsnap ${ours}, @confio/ics23 ${theirs}`).toBe(theirs);
            }
          }
        }
        expect(accepted).toEqual([]);
        if (confioCanCheck(v)) expect(compared).toBeGreaterThan(0);
      });

      it.runIf(confioCanCheck(v))('agrees with @confio/ics23 on the unaltered proof, and accepts its spec objects', () => {
        expect(confioVerify(v, v.proof)).toBe(true);
        const theirSpec = confioSpec[v.tree as 'iavl' | 'tendermint'];
        const decoded = confio.ics23.CommitmentProof.decode(v.proof);
        expect(v.exist ? verifyMembership(decoded, theirSpec, v.root, v.key, v.value)
          : verifyNonMembership(decoded, theirSpec, v.root, v.key)).toBe(true);
      });
    });
  }

  it('rejects every vector under the other specs', () => {
    for (const v of upstreamVectors) {
      for (const other of ['iavl', 'tendermint', 'smt'] as const) {
        if (other === v.tree) continue;
        expect(verifyVector({ ...v, tree: other }), `${v.name} as ${other}`).toBe(false);
      }
    }
  });
});

describe.each(kinds)('ICS23 verification on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind }).ics23;

  it('accepts all 18 upstream vectors and rejects them with a wrong root', () => {
    for (const v of upstreamVectors) {
      const spec = encodeProofSpec(specOf[v.tree]);
      const wrongRoot = v.root.slice();
      wrongRoot[5] ^= 0x40;
      if (v.exist) {
        expect(core.verifyMembership(v.proof, spec, v.root, v.key, v.value).status, v.name).toBe(1);
        expect(core.verifyMembership(v.proof, spec, wrongRoot, v.key, v.value).status, v.name).toBe(0);
      } else {
        expect(core.verifyNonMembership(v.proof, spec, v.root, v.key).status, v.name).toBe(1);
        expect(core.verifyNonMembership(v.proof, spec, wrongRoot, v.key).status, v.name).toBe(0);
      }
    }
  });

  // The core keeps the spec it decoded last: a spec that differs in one byte (same length)
  // must be decoded afresh, and the kept one must still apply after it.
  it('judges each call by its own spec when specs alternate', () => {
    for (const v of upstreamVectors.filter((u) => u.exist && u.tree !== 'smt')) {
      const spec = encodeProofSpec(specOf[v.tree]);
      const other = encodeProofSpec(specOf[v.tree === 'iavl' ? 'tendermint' : 'iavl']);
      const shifted = encodeProofSpec({ ...specOf[v.tree], leafSpec: { ...specOf[v.tree].leafSpec!, prefix: Uint8Array.of(7) } });
      expect(shifted.length, v.name).toBe(spec.length);
      for (const [s, want] of [[spec, 1], [shifted, 0], [spec, 1], [other, 0], [spec, 1], [spec, 1]] as const) {
        expect(core.verifyMembership(v.proof, s, v.root, v.key, v.value).status, v.name).toBe(want);
      }
    }
  });

  it('accepts the JMT proofs of SPECS Appendix B', () => {
    const spec = encodeProofSpec(jmtSpec);
    for (const j of jmtVectors) {
      expect(core.verifyMembership(j.existProof, spec, j.root, j.key, j.value).status, j.set).toBe(1);
      expect(core.verifyNonMembership(j.nonexistProof, spec, j.root, j.absentKey).status, j.set).toBe(1);
    }
  });
});

describe('JMT proofs converted to ICS23 (SPECS §1.8, Appendix B) under jmtSpec', () => {
  for (const j of jmtVectors) {
    describe(`set ${j.set}`, () => {
      it('verifies membership of its key', () => {
        expect(verifyMembership(j.existProof, jmtSpec, j.root, j.key, j.value)).toBe(true);
      });

      it('verifies non-membership of an absent key (neighbours ordered by key hash)', () => {
        expect(verifyNonMembership(j.nonexistProof, jmtSpec, j.root, j.absentKey)).toBe(true);
      });

      it('rejects the non-membership proof for a present key', () => {
        expect(checkNonMembership(j.nonexistProof, jmtSpec, j.root, j.key)).toEqual({ valid: false, reason: 'no-proof-for-key' });
      });

      it('rejects a wrong value, a wrong root and the SMT spec', () => {
        expect(verifyMembership(j.existProof, jmtSpec, j.root, j.key, new TextEncoder().encode('other'))).toBe(false);
        const root = j.root.slice();
        root[0] ^= 1;
        expect(checkMembership(j.existProof, jmtSpec, root, j.key, j.value)).toEqual({ valid: false, reason: 'root-mismatch' });
        expect(verifyMembership(j.existProof, smtSpec, j.root, j.key, j.value)).toBe(false);
      });

      it('rejects the non-membership proof when the spec orders keys unhashed', () => {
        const unhashed = { ...jmtSpec, prehashKeyBeforeComparison: false };
        const hashedOrderMatters = !verifyNonMembership(j.nonexistProof, unhashed, j.root, j.absentKey);
        // Set B's only neighbour happens to sort after "notexist" either way.
        if (j.set !== 'B') expect(hashedOrderMatters).toBe(true);
      });
    });
  }
});

describe('non-existence proofs with their neighbours tampered', () => {
  const cases = [
    ...upstreamVectors.filter((v) => !v.exist).map((v) => ({ name: v.name, spec: specOf[v.tree], proof: v.proof, root: v.root, key: v.key })),
    ...jmtVectors.map((j) => ({ name: `jmt ${j.set}`, spec: jmtSpec, proof: j.nonexistProof, root: j.root, key: j.absentKey })),
  ];
  for (const c of cases) {
    const { nonexist } = confio.ics23.CommitmentProof.decode(c.proof);
    const { left, right } = nonexist!;
    it.runIf(left && right)(`${c.name}: dropping or swapping a neighbour fails`, () => {
      for (const tampered of [{ left }, { right }, { left: right, right: left }, { left, right: left }, { left: right, right }]) {
        expect(verifyNonMembership({ nonexist: { key: c.key, ...tampered } }, c.spec, c.root, c.key)).toBe(false);
      }
    });
    it(`${c.name}: a neighbour with a step removed or duplicated fails`, () => {
      for (const side of ['left', 'right'] as const) {
        const ex = nonexist![side];
        if (!ex || ex.path!.length < 2) continue;
        for (let i = 0; i < ex.path!.length; i++) {
          const without = { ...ex, path: ex.path!.filter((_, j) => j !== i) };
          const doubled = { ...ex, path: [...ex.path!.slice(0, i + 1), ...ex.path!.slice(i)] };
          for (const changed of [without, doubled]) {
            const proof = { nonexist: { key: c.key, left: side === 'left' ? changed : left, right: side === 'right' ? changed : right } };
            expect(verifyNonMembership(proof, c.spec, c.root, c.key), `${side} step ${i}`).toBe(false);
          }
        }
      }
    });
  }
});

describe('non-existence proofs whose neighbours share the top of their paths', () => {
  // The verifier hashes the shared top once (assembly/ics23_ops.ts calculate): the right
  // neighbour must still fail whenever anything of its own is wrong.
  const both = upstreamVectors.filter((v) => {
    const n = confio.ics23.CommitmentProof.decode(v.proof).nonexist;
    return n?.left && n?.right;
  });

  it('has cases with a shared top', () => {
    expect(both.length).toBeGreaterThanOrEqual(3);
  });

  for (const v of both) {
    const { nonexist } = confio.ics23.CommitmentProof.decode(v.proof);
    const spec = specOf[v.tree];
    const right = nonexist!.right!;
    const path = right.path!;
    const check = (r: typeof right) => verifyNonMembership({ nonexist: { key: v.key, left: nonexist!.left, right: r } }, spec, v.root, v.key);

    it(`${v.name}: verifies, and fails with the right neighbour's value, a low step or a shared step's hash op changed`, () => {
      expect(check(right)).toBe(true);
      expect(check({ ...right, value: new Uint8Array([...right.value!, 1]) })).toBe(false);
      const lowered = path.map((op, i) => i === 0 ? { ...op, prefix: Uint8Array.from(op.prefix!, (b, j) => j === op.prefix!.length - 1 ? b ^ 1 : b) } : op);
      expect(check({ ...right, path: lowered })).toBe(false);
      const top = path.length - 1;
      const rehashed = path.map((op, i) => i === top ? { ...op, hash: 2 } : op);
      expect(check({ ...right, path: rehashed })).toBe(false);
    });
  }
});
