// Batch and compressed batch proofs (SPECS §2.1): built from the upstream vectors, checked
// against @confio/ics23, which still verifies both kinds.
import { describe, expect, it } from 'vitest';
import * as confio from '@confio/ics23';
import {
  verifyMembership, verifyNonMembership, checkMembership, encodeCommitmentProof, MalformedProof,
  type CommitmentProof, type CompressedBatchProof, type ExistenceProof, type InnerOp,
} from '../src/ics23/index.js';
import { encodeInnerOp } from '../src/ics23/encode.js';
import { hex } from './helpers.js';
import { specOf, upstreamVectors, type TreeName } from './ics23-vectors.js';

const decode = (bytes: Uint8Array) => confio.ics23.CommitmentProof.decode(bytes) as CommitmentProof;

function batchOf(tree: TreeName): CommitmentProof {
  const entries = upstreamVectors.filter((v) => v.tree === tree).map((v) => {
    const p = decode(v.proof);
    return p.exist ? { exist: p.exist } : { nonexist: p.nonexist };
  });
  return { batch: { entries } };
}

/** Compression as in rust/src/compress.rs: each distinct InnerOp (by encoding) once, in first-seen order. */
function compress(proof: CommitmentProof): CommitmentProof {
  const lookup: InnerOp[] = [];
  const index = new Map<string, number>();
  const indexes = (ex: ExistenceProof) => ({
    key: ex.key, value: ex.value, leaf: ex.leaf,
    path: (ex.path ?? []).map((op) => {
      const k = hex(encodeInnerOp(op));
      if (!index.has(k)) {
        index.set(k, lookup.length);
        lookup.push(op);
      }
      return index.get(k)!;
    }),
  });
  const compressed: CompressedBatchProof = {
    entries: proof.batch!.entries!.map((e) => e.exist ? { exist: indexes(e.exist) }
      : { nonexist: { key: e.nonexist!.key, left: e.nonexist!.left && indexes(e.nonexist!.left),
        right: e.nonexist!.right && indexes(e.nonexist!.right) } }),
    lookupInners: lookup,
  };
  return { compressed };
}

describe.each(['iavl', 'tendermint', 'smt'] as const)('batch proofs of the %s vectors', (tree) => {
  const spec = specOf[tree];
  const vectors = upstreamVectors.filter((v) => v.tree === tree);
  const batch = batchOf(tree);
  const compressed = compress(batch);

  it('compression shares inner ops between entries', () => {
    const total = batch.batch!.entries!.reduce((n, e) => n + (e.exist?.path?.length ?? 0)
      + (e.nonexist?.left?.path?.length ?? 0) + (e.nonexist?.right?.path?.length ?? 0), 0);
    expect(compressed.compressed!.lookupInners!.length).toBeLessThan(total);
  });

  for (const [label, proof] of [['batch', batch], ['compressed batch', compressed]] as const) {
    it(`a ${label} proof verifies every key of its entries, as bytes and as an object`, () => {
      const bytes = encodeCommitmentProof(proof);
      for (const v of vectors) {
        const ok = v.exist ? verifyMembership(bytes, spec, v.root, v.key, v.value) : verifyNonMembership(proof, spec, v.root, v.key);
        expect(ok, v.name).toBe(true);
      }
    });

    it(`a ${label} proof rejects a wrong value and keys it does not cover`, () => {
      for (const v of vectors.filter((x) => x.exist)) {
        expect(verifyMembership(proof, spec, v.root, v.key, new Uint8Array([1, 2, 3])), v.name).toBe(false);
        expect(verifyNonMembership(proof, spec, v.root, v.key), v.name).toBe(false);
      }
      expect(checkMembership(proof, spec, vectors[0].root, new TextEncoder().encode('not in the batch'), new Uint8Array([1])))
        .toEqual({ valid: false, reason: 'no-proof-for-key' });
    });

    it.runIf(tree !== 'smt')(`a ${label} proof gets the same answers from @confio/ics23`, () => {
      const cspec = tree === 'iavl' ? confio.iavlSpec : confio.tendermintSpec;
      const bytes = encodeCommitmentProof(proof);
      const theirs = decode(bytes) as confio.ics23.ICommitmentProof;
      for (const v of vectors) {
        const ours = v.exist ? verifyMembership(bytes, spec, v.root, v.key, v.value) : verifyNonMembership(bytes, spec, v.root, v.key);
        const other = v.exist ? confio.verifyMembership(theirs, cspec, v.root, v.key, v.value)
          : confio.verifyNonMembership(theirs, cspec, v.root, v.key);
        expect(ours, v.name).toBe(other);
      }
    });
  }

  it('a compressed path index outside lookup_inners is a malformed proof', () => {
    const bad = compress(batch);
    bad.compressed!.entries![0].exist!.path = [...bad.compressed!.entries![0].exist!.path!, 9999];
    expect(() => verifyMembership(bad, spec, vectors[0].root, vectors[0].key, vectors[0].value)).toThrow(MalformedProof);
  });
});
