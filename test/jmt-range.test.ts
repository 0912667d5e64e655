import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import { RangeProofBuilder, verifyRangeProof, proveInChunk, MAX_KEY_HASH, ProofInvalid, InvalidArgument } from '../src/index.js';
import { hex, rng } from './helpers.js';
import {
  refBig, refFromBig, refProof, refRangeProof, refRangeProofItems, refSubtree,
} from './jmt-reference.js';
import { fuzzScale, packLeaves, randomLeaves } from './jmt-fixtures.js';
import { buildChunked, rangeTamperCampaign, rejects } from './jmt-tamper.js';

const MAX = (1n << 256n) - 1n;

describe('range proofs from the streaming builder', () => {
  it('equal the reference pruned tree byte for byte, tile the key space and verify', () => {
    const r = rng(31337);
    for (let t = 0; t < 30; t++) {
      const n = [1, 2, 3, 7, 50, 300][t % 6];
      const leaves = randomLeaves(r, n, t % 3 === 0 ? 20 : 0);
      const { root, chunks } = buildChunked(r, leaves, 1 + r.int(12));
      expect(hex(root)).toBe(hex(refSubtree(leaves, 0)));
      let expectedLo = 0n;
      for (const c of chunks) {
        const lo = refBig(c.lo);
        const hi = refBig(c.hi);
        expect(lo).toBe(expectedLo);
        expectedLo = hi + 1n;
        const chunkLeaves = leaves.slice(c.first, c.first + c.count);
        expect(chunkLeaves.every((l) => refBig(l.keyHash) >= lo && refBig(l.keyHash) <= hi)).toBe(true);
        if (c.index < 6 || c.index === chunks.length - 1) {
          expect(hex(c.proof), `tree ${t} chunk ${c.index}`).toBe(hex(refRangeProof(leaves, lo, hi)));
        }
        verifyRangeProof(root, c.lo, c.hi, packLeaves(chunkLeaves), c.proof);
      }
      expect(hex(chunks.at(-1)!.hi)).toBe(hex(MAX_KEY_HASH));
      expect(chunks.reduce((s, c) => s + c.count, 0)).toBe(n);
    }
  });

  it('take packed leaves (addPacked, in runs across the builder\'s batches) exactly as one add() per leaf', () => {
    const r = rng(777);
    const leaves = randomLeaves(r, 9000);
    const packed = packLeaves(leaves);
    const ends = new Set(Array.from({ length: 40 }, () => r.int(leaves.length - 1)));
    const one = new RangeProofBuilder();
    const runs = new RangeProofBuilder();
    let from = 0;
    leaves.forEach((l, i) => {
      one.add(l.keyHash, l.valueHash);
      // Runs end at chunk ends and at random places (some of them empty, some long).
      if (ends.has(i) || r.int(300) === 0) {
        runs.addPacked(packed, from, i + 1).addPacked(packed, i + 1, i + 1);
        from = i + 1;
      }
      if (ends.has(i)) {
        one.endChunk();
        runs.endChunk();
      }
    });
    runs.addPacked(packed, from);
    const [a, b] = [one.finish(), runs.finish()];
    expect(hex(b.root)).toBe(hex(a.root));
    expect(b.chunks.map((c) => [c.first, c.count, hex(c.lo), hex(c.hi), hex(c.proof)]))
      .toEqual(a.chunks.map((c) => [c.first, c.count, hex(c.lo), hex(c.hi), hex(c.proof)]));
    expect(b.chunks).toHaveLength(ends.size + 1);
    for (const c of b.chunks) verifyRangeProof(b.root, c.lo, c.hi, packed.subarray(c.first * 64, (c.first + c.count) * 64), c.proof);
  });

  it('refuse packed leaves that are not whole 64-byte leaves, or a run outside them', () => {
    const b = new RangeProofBuilder();
    const packed = packLeaves(randomLeaves(rng(8), 3));
    expect(() => b.addPacked(packed.subarray(0, 100))).toThrow(InvalidArgument);
    expect(() => b.addPacked(packed, 2, 1)).toThrow(InvalidArgument);
    expect(() => b.addPacked(packed, 0, 4)).toThrow(InvalidArgument);
    expect(() => b.addPacked('x' as unknown as Uint8Array)).toThrow(InvalidArgument);
    expect(b.count).toBe(0);
  });

  it('give the empty tree one empty chunk over the whole key space', () => {
    const { root, chunks } = new RangeProofBuilder().finish();
    expect(chunks).toHaveLength(1);
    expect(chunks[0].count).toBe(0);
    verifyRangeProof(root, chunks[0].lo, chunks[0].hi, new Uint8Array(0), chunks[0].proof);
  });

  it('refuse an empty chunk', () => {
    const b = new RangeProofBuilder();
    expect(() => b.endChunk()).toThrow(/no leaves/);
  });
});

describe('proofs of one key from one chunk (proveInChunk)', () => {
  it('equal the reference tree\'s proof for present keys and absent key hashes in the interval', () => {
    const r = rng(4242);
    for (let t = 0; t < 6; t++) {
      const leaves = randomLeaves(r, 1 + r.int(120), t % 3 === 0 ? 20 : 0);
      const { root, chunks } = buildChunked(r, leaves, 1 + r.int(30));
      for (const c of chunks) {
        const chunkLeaves = leaves.slice(c.first, c.first + c.count);
        const lo = refBig(c.lo);
        const span = refBig(c.hi) - lo + 1n;
        const absent = Array.from({ length: 2 }, () => refFromBig(lo + (refBig(r.bytes(32)) % span)));
        for (const keyHash of [...chunkLeaves.map((l) => l.keyHash), c.lo, c.hi, ...absent]) {
          const got = proveInChunk(root, c.lo, c.hi, chunkLeaves, c.proof, keyHash);
          const want = refProof(leaves, keyHash);
          expect(got.siblings.map(hex)).toEqual(want.siblings.map(hex));
          expect(got.leaf && hex(got.leaf.keyHash)).toBe(want.leaf && hex(want.leaf.keyHash));
          expect(got.valueHash && hex(got.valueHash)).toBe(want.leaf && hex(want.leaf.keyHash) === hex(keyHash) ? hex(want.leaf.valueHash) : undefined);
        }
      }
    }
  });

  it('refuse a key hash outside the chunk\'s interval', () => {
    const r = rng(5);
    const leaves = randomLeaves(r, 40);
    const { root, chunks } = buildChunked(r, leaves, 10);
    const [a, b] = chunks;
    expect(() => proveInChunk(root, a.lo, a.hi, leaves.slice(a.first, a.first + a.count), a.proof, b.hi))
      .toThrow(ProofInvalid);
  });
});

describe('the range-proof verifier', () => {
  it('accepts reference proofs for arbitrary intervals, including straddling empty nodes', () => {
    const r = rng(77);
    let emptyTags = 0;
    for (let t = 0; t < 150; t++) {
      const leaves = randomLeaves(r, 1 + r.int(120), t % 2 ? 30 : 0);
      const root = refSubtree(leaves, 0);
      let lo = refBig(r.bytes(32));
      let hi = refBig(r.bytes(32));
      if (t % 3 === 0) hi = lo + BigInt(r.int(1 << 30)) * (1n << 200n);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (hi > MAX) hi = MAX;
      const proof = refRangeProof(leaves, lo, hi);
      emptyTags += refRangeProofItems(proof, lo, hi).filter((it) => it.len === 1 && proof[it.at] === 0).length;
      const inside = leaves.filter((l) => refBig(l.keyHash) >= lo && refBig(l.keyHash) <= hi);
      expect(rejects(root, lo, hi, inside, proof), `trial ${t}`).toBe(false);
    }
    expect(emptyTags).toBeGreaterThan(0);
  });

  describe.each<BackendKind>(['wasm-simd', 'wasm-scalar', 'js'])('on the %s core', (kind) => {
    const core = createBackendSync({ backend: kind });
    it('accepts honest proofs and rejects a dropped leaf', () => {
      const r = rng(kind.length);
      const leaves = randomLeaves(r, 400, 8);
      const root = refSubtree(leaves, 0);
      const lo = refBig(leaves[100].keyHash);
      const hi = refBig(leaves[250].keyHash);
      const proof = refRangeProof(leaves, lo, hi);
      const chunk = leaves.slice(100, 251);
      expect(core.jmt.verifyRange(root, refFromBig(lo), refFromBig(hi), packLeaves(chunk), proof)).toBe(0);
      expect(core.jmt.verifyRange(root, refFromBig(lo), refFromBig(hi), packLeaves(chunk.slice(1)), proof)).toBeLessThan(0);
    });
  });
});

describe('range-proof soundness', () => {
  it('rejects every tampering in a random campaign', () => {
    const [tried, accepted] = rangeTamperCampaign(4242, 2 * fuzzScale());
    console.info(`range-proof tamper campaign: ${tried} tampered cases tried, ${accepted} accepted`);
    expect(tried).toBeGreaterThan(1000);
    expect(accepted).toBe(0);
  });
});
