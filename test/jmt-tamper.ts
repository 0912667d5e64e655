// Tamper campaigns for the JMT proofs: every honest proof must verify, every tampered one must
// be rejected. Used by the test suite (small) and by `npm run fuzz:jmt` (large).
import { RangeProofBuilder, verifyRangeProof, ProofInvalid } from '../src/index.js';
import { concat, hex, rng } from './helpers.js';
import { refBig, refFromBig, refRangeProof, refRangeProofItems, refSubtree, type RefLeaf } from './jmt-reference.js';
import { packLeaves, randomLeaves, type Rng } from './jmt-fixtures.js';

/** Builds a tree with random chunk boundaries; returns the builder's output and the leaves. */
export function buildChunked(r: Rng, leaves: RefLeaf[], meanChunk: number) {
  const b = new RangeProofBuilder();
  leaves.forEach((l, i) => {
    b.add(l.keyHash, l.valueHash);
    if (i < leaves.length - 1 || r.int(2) === 0) if (r.int(meanChunk) === 0) b.endChunk();
  });
  return b.finish();
}

export function rejects(root: Uint8Array, lo: bigint, hi: bigint, leaves: RefLeaf[] | Uint8Array, proof: Uint8Array): boolean {
  try {
    verifyRangeProof(root, refFromBig(lo), refFromBig(hi), leaves instanceof Uint8Array ? leaves : packLeaves(leaves), proof);
    return false;
  } catch (e) {
    if (!(e instanceof ProofInvalid)) throw e;
    return true;
  }
}

/**
 * Every kind of tampering the issue lists, on random trees and runs: drop, add or alter one
 * leaf; shift lo or hi past a real leaf; alter, drop, add or reorder a proof item; truncate;
 * a proof, a chunk or a root from another tree. Returns [tried, wrongly accepted].
 */
export function rangeTamperCampaign(seed: number, trees: number): [number, number] {
  const r = rng(seed);
  let tried = 0;
  let accepted = 0;
  const attempt = (root: Uint8Array, lo: bigint, hi: bigint, leaves: RefLeaf[], proof: Uint8Array) => {
    tried++;
    if (!rejects(root, lo, hi, leaves, proof)) accepted++;
  };
  for (let t = 0; t < trees; t++) {
    const leaves = randomLeaves(r, 2 + r.int(200), t % 2 ? 24 : 0);
    const other = randomLeaves(r, leaves.length, 0);
    const root = refSubtree(leaves, 0);
    const otherRoot = refSubtree(other, 0);
    const { chunks } = buildChunked(r, leaves, 1 + r.int(40));
    for (const c of chunks) {
      // Cases that need a reference proof of a whole tree are slow to make: a few chunks per tree.
      const costly = c.index < 3;
      const lo = refBig(c.lo);
      const hi = refBig(c.hi);
      const chunk = leaves.slice(c.first, c.first + c.count);
      const proof = c.proof;
      // Leaves: drop, add, alter.
      for (const i of new Set([0, chunk.length >> 1, chunk.length - 1])) {
        if (chunk.length) attempt(root, lo, hi, chunk.filter((_, j) => j !== i), proof);
      }
      const extra = refFromBig(lo + (refBig(r.bytes(32)) % (hi - lo + 1n)));
      if (!chunk.some((l) => hex(l.keyHash) === hex(extra))) {
        attempt(root, lo, hi, [...chunk, { keyHash: extra, valueHash: r.bytes(32) }].sort((a, b) => (refBig(a.keyHash) < refBig(b.keyHash) ? -1 : 1)), proof);
      }
      if (chunk.length) {
        const i = r.int(chunk.length);
        const v = chunk.map((l) => ({ ...l }));
        v[i] = { keyHash: v[i].keyHash, valueHash: v[i].valueHash.map((b, j) => (j === 5 ? b ^ 1 : b)) };
        attempt(root, lo, hi, v, proof);
        const k = chunk.map((l) => ({ ...l }));
        k[i] = { keyHash: k[i].keyHash.map((b, j) => (j === 31 ? b ^ 1 : b)), valueHash: k[i].valueHash };
        attempt(root, lo, hi, k, proof);
      }
      // Interval: widen past a real leaf (with the old proof and with an honest-looking one), narrow past one.
      const below = leaves.filter((l) => refBig(l.keyHash) < lo).at(-1);
      const above = leaves.find((l) => refBig(l.keyHash) > hi);
      if (below) {
        const wlo = refBig(below.keyHash);
        attempt(root, wlo, hi, chunk, proof);
        if (costly) attempt(root, wlo, hi, chunk, refRangeProof(leaves.filter((l) => l !== below), wlo, hi));
      }
      if (above) {
        const whi = refBig(above.keyHash);
        attempt(root, lo, whi, chunk, proof);
        if (costly) attempt(root, lo, whi, chunk, refRangeProof(leaves.filter((l) => l !== above), lo, whi));
      }
      if (chunk.length) {
        attempt(root, lo, refBig(chunk.at(-1)!.keyHash) - 1n, chunk, proof);
        attempt(root, refBig(chunk[0].keyHash) + 1n, hi, chunk, proof);
      }
      // Proof items: alter, drop, duplicate, swap neighbours; truncate; extend.
      const items = refRangeProofItems(proof, lo, hi);
      const part = (from: number, to = proof.length) => proof.subarray(from, to);
      // Every item of short proofs; a random sample of 40 in the long ones of deep trees.
      const sample = items.length <= 40 ? items : Array.from({ length: 40 }, () => items[r.int(items.length)]);
      for (const it of sample) {
        const flipped = proof.slice();
        flipped[it.at + r.int(it.len)] ^= 1 << r.int(8);
        attempt(root, lo, hi, chunk, flipped);
        attempt(root, lo, hi, chunk, concat(part(0, it.at), part(it.at + it.len)));
        attempt(root, lo, hi, chunk, concat(part(0, it.at + it.len), part(it.at)));
      }
      for (const a of sample) {
        const b = items[items.indexOf(a) + 1];
        if (!b) continue;
        if (hex(part(a.at, a.at + a.len)) === hex(part(b.at, b.at + b.len))) continue; // swapping equals is no change
        attempt(root, lo, hi, chunk, concat(part(0, a.at), part(b.at, b.at + b.len), part(a.at, a.at + a.len), part(b.at + b.len)));
      }
      attempt(root, lo, hi, chunk, proof.subarray(0, r.int(proof.length)));
      attempt(root, lo, hi, chunk, concat(proof, new Uint8Array(1)));
      const version = proof.slice();
      version[0] = 2;
      attempt(root, lo, hi, chunk, version);
      // Another tree: its proof for the same interval, its leaves, its root.
      attempt(otherRoot, lo, hi, chunk, proof);
      if (costly) {
        const otherChunk = other.filter((l) => refBig(l.keyHash) >= lo && refBig(l.keyHash) <= hi);
        const otherProof = refRangeProof(other, lo, hi);
        // A chunk spanning the whole key space has the empty proof in every tree: no tampering.
        if (hex(otherProof) !== hex(proof)) attempt(root, lo, hi, chunk, otherProof);
        attempt(root, lo, hi, otherChunk, otherProof);
      }
    }
  }
  return [tried, accepted];
}

