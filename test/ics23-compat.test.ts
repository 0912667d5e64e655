// `lightsnap/ics23` as a drop-in for @confio/ics23 0.6.8: every export under the same name,
// the throwing verifiers throwing where 0.6.8 throws, and the batch helpers of upstream 0.10.
import { describe, expect, it } from 'vitest';
import * as confio from '@confio/ics23';
import * as lightsnap from '../src/ics23.js';
import {
  batchVerifyMembership, batchVerifyNonMembership, calculateExistenceRoot, compress, compressBatch, decompress,
  decompressBatch, ics23, verifyExistence, verifyNonExistence, verifyMembership, InvalidArgument, ProofInvalid,
  type CommitmentProof, type ExistenceProof,
} from '../src/ics23/index.js';
import { hex, rng } from './helpers.js';
import { specOf, upstreamVectors } from './ics23-vectors.js';

const confioSpec = { iavl: confio.iavlSpec, tendermint: confio.tendermintSpec };
const peerVectors = upstreamVectors.filter((v) => v.tree !== 'smt');

/** Whether `f` throws. */
function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

const flip = (b: Uint8Array, i = 0) => { const c = b.slice(); c[i] ^= 1; return c; };

describe('exports of @confio/ics23 0.6.8', () => {
  it('every runtime export exists under the same name and kind', () => {
    // (`default` is the CommonJS interop object a browser bundler adds, not an export.)
    for (const [name, value] of Object.entries(confio).filter(([n]) => n !== 'default')) {
      expect(typeof (lightsnap as Record<string, unknown>)[name], name).toBe(typeof value);
    }
  });

  it('plus smtSpec, jmtSpec and upstream 0.10\'s batch helpers', () => {
    for (const name of ['smtSpec', 'jmtSpec', 'batchVerifyMembership', 'batchVerifyNonMembership', 'compress', 'decompress',
      'compressBatch', 'decompressBatch']) {
      expect((lightsnap as Record<string, unknown>)[name], name).toBeDefined();
    }
  });
});

describe('verifyExistence / verifyNonExistence / calculateExistenceRoot vs 0.6.8', () => {
  for (const v of peerVectors) {
    const spec = specOf[v.tree];
    const theirSpec = confioSpec[v.tree as 'iavl' | 'tendermint'];
    const decoded = ics23.CommitmentProof.decode(v.proof);
    // Our decoded objects as 0.6.8's type (its arrays are mutable).
    const neighbours = [decoded.exist, decoded.nonexist?.left, decoded.nonexist?.right]
      .filter((x): x is ExistenceProof => !!x) as confio.ics23.IExistenceProof[];

    it(`${v.name}: same roots, same throws on the proof and on altered roots, keys and values`, () => {
      for (const ex of neighbours) {
        expect(hex(calculateExistenceRoot(ex))).toBe(hex(confio.calculateExistenceRoot(ex)));
        const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
          [v.root, ex.key!, ex.value!], [flip(v.root), ex.key!, ex.value!], [v.root, flip(ex.key!, ex.key!.length - 1), ex.value!],
          [v.root, ex.key!, flip(ex.value!)], [v.root.subarray(1), ex.key!, ex.value!],
        ];
        for (const [root, key, value] of cases) {
          const theirs = throws(() => confio.verifyExistence(ex, theirSpec, root, key, value));
          expect(throws(() => verifyExistence(ex, spec, root, key, value)), `${v.name} ${hex(root)} ${hex(key)}`).toBe(theirs);
        }
        expect(() => verifyExistence(ex, spec, flip(v.root), ex.key!, ex.value!)).toThrow(ProofInvalid);
      }
      if (decoded.nonexist) {
        const non = decoded.nonexist as confio.ics23.INonExistenceProof;
        expect(throws(() => verifyNonExistence(non, spec, v.root, v.key))).toBe(false);
        expect(throws(() => confio.verifyNonExistence(non, theirSpec, v.root, v.key))).toBe(false);
        const cases: [Uint8Array, Uint8Array | null | undefined][] = [[v.root, non.left?.key], [v.root, non.right?.key], [flip(v.root), v.key]];
        for (const [root, key] of cases) {
          if (!key) continue;
          expect(throws(() => verifyNonExistence(non, spec, root, key))).toBe(throws(() => confio.verifyNonExistence(non, theirSpec, root, key)));
        }
      }
    });
  }

  it('calculateExistenceRoot agrees on random leaf and inner ops 0.6.8 implements, and throws where it throws', () => {
    const r = rng(2323);
    const hashes = [1, 2, 4, 5, 6];
    const lengths = [0, 1, 4, 7, 8];
    for (let n = 0; n < 300; n++) {
      const key = r.bytes(r.int(3) === 0 ? 0 : 1 + r.int(70));
      const value = r.bytes(r.int(3) === 0 ? 0 : 1 + r.int(200));
      const proof: ExistenceProof = {
        key, value,
        leaf: { hash: hashes[r.int(5)], prehashKey: r.int(2) ? 0 : hashes[r.int(5)], prehashValue: r.int(2) ? 0 : hashes[r.int(5)],
          length: lengths[r.int(5)], prefix: r.bytes(r.int(4)) },
        path: Array.from({ length: r.int(5) }, () => ({ hash: hashes[r.int(5)], prefix: r.bytes(r.int(40)), suffix: r.bytes(r.int(40)) })),
      };
      let theirs: string;
      try {
        theirs = hex(confio.calculateExistenceRoot(proof as confio.ics23.IExistenceProof));
      } catch {
        theirs = 'throws';
      }
      let ours: string;
      try {
        ours = hex(calculateExistenceRoot(proof));
      } catch (err) {
        expect(err).toBeInstanceOf(ProofInvalid);
        ours = 'throws';
      }
      expect(ours, `case ${n}`).toBe(theirs);
    }
  });

  it('calculateExistenceRoot throws ProofInvalid without a leaf op, key or value', () => {
    const { exist } = ics23.CommitmentProof.decode(upstreamVectors.find((v) => v.exist)!.proof);
    for (const broken of [{ ...exist, leaf: null }, { ...exist, key: new Uint8Array(0) }, { ...exist, value: undefined }]) {
      expect(() => calculateExistenceRoot(broken)).toThrow(ProofInvalid);
      expect(() => confio.calculateExistenceRoot(broken as confio.ics23.IExistenceProof)).toThrow();
    }
  });
});

describe('batch helpers', () => {
  for (const tree of ['iavl', 'tendermint', 'smt'] as const) {
    const vectors = upstreamVectors.filter((v) => v.tree === tree);
    const spec = specOf[tree];
    const entries = vectors.map((v) => {
      const p = ics23.CommitmentProof.decode(v.proof);
      return p.exist ? { exist: p.exist } : { nonexist: p.nonexist };
    });
    const batch: CommitmentProof = { batch: { entries } };
    const absent = vectors.filter((v) => !v.exist);

    it(`${tree}: batchVerifyMembership / NonMembership check every item, on batch and compressed proofs`, () => {
      // A non-existence proof's neighbours exist under the same root: a batch of three proofs.
      for (const v of absent) {
        const { nonexist } = ics23.CommitmentProof.decode(v.proof);
        const present = [nonexist!.left, nonexist!.right].filter((x): x is ExistenceProof => !!x);
        const own: CommitmentProof = { batch: { entries: [...present.map((ex) => ({ exist: ex })), { nonexist }] } };
        for (const proof of [own, compress(own)]) {
          const items = new Map(present.map((ex) => [ex.key!, ex.value!]));
          expect(batchVerifyMembership(proof, spec, v.root, items), v.name).toBe(true);
          expect(batchVerifyNonMembership(proof, spec, v.root, [v.key]), v.name).toBe(true);
          expect(batchVerifyMembership(proof, spec, v.root, [...items, [present[0].key!, new Uint8Array([9])] as const])).toBe(false);
          expect(batchVerifyNonMembership(proof, spec, v.root, [v.key, present[0].key!])).toBe(false);
          expect(batchVerifyMembership(proof, spec, flip(v.root), items)).toBe(false);
          expect(batchVerifyMembership(proof, spec, v.root, new Map())).toBe(true);
        }
      }
    });

    it.runIf(tree !== 'smt')(`${tree}: same answers as 0.6.8's batch verifiers`, () => {
      const theirSpec = confioSpec[tree as 'iavl' | 'tendermint'];
      for (const v of vectors) {
        const items = new Map([[v.key, v.value]]);
        const c = confio as unknown as Record<string, (...a: unknown[]) => boolean>;
        // 0.6.8 has the batch verifiers in its ics23 module, not in its index.
        const theirs = v.exist ? c.verifyMembership(batch, theirSpec, v.root, v.key, v.value) : c.verifyNonMembership(batch, theirSpec, v.root, v.key);
        expect(v.exist ? batchVerifyMembership(batch, spec, v.root, items) : batchVerifyNonMembership(batch, spec, v.root, [v.key])).toBe(theirs);
      }
    });

    it(`${tree}: compress shares inner ops by encoding and decompress restores the batch`, () => {
      const small = compress(batch);
      const total = entries.reduce((n, e) => n + (e.exist?.path?.length ?? 0) + (e.nonexist?.left?.path?.length ?? 0)
        + (e.nonexist?.right?.path?.length ?? 0), 0);
      expect(small.compressed!.lookupInners!.length).toBeLessThan(total);
      const back = decompress(small);
      expect(hex(ics23.CommitmentProof.encode(back).finish())).toBe(hex(ics23.CommitmentProof.encode(batch).finish()));
      expect(decompressBatch(compressBatch(batch.batch!))).toEqual(back.batch);
      expect(compress(entries[0] as CommitmentProof)).toBe(entries[0]);
    });
  }

  it('decompress rejects a path index outside lookupInners and an empty entry', () => {
    expect(() => decompressBatch({ entries: [{ exist: { key: new Uint8Array([1]), path: [0] } }], lookupInners: [] })).toThrow(InvalidArgument);
    expect(() => decompressBatch({ entries: [{}] })).toThrow(InvalidArgument);
    expect(() => compressBatch({ entries: [{}] })).toThrow(InvalidArgument);
  });

  it('verifyMembership still answers false, not a throw, for proofs that do not hold the key', () => {
    const v = peerVectors[0];
    expect(verifyMembership({ batch: { entries: [] } }, specOf[v.tree], v.root, v.key, v.value)).toBe(false);
  });
});
