import { describe, expect, it } from 'vitest';
import * as confio from '@confio/ics23';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import {
  MemoryTree, ProofInvalid, encodeProof, decodeProof, verifyMembership, verifyNonMembership, rootOfPairs,
  ics23ExistenceProof, ics23ProofFromTree, type SparseMerkleProof,
} from '../src/index.js';
import { jmtSpec, verifyMembership as ics23Member, verifyNonMembership as ics23NonMember } from '../src/ics23/index.js';
import derived from './vectors/jmt/derived_vectors.json';
import { hex, rng } from './helpers.js';
import { refProof, refSha256, refSubtree, type RefLeaf } from './jmt-reference.js';
import { fuzzScale, randomLeaves, type Rng } from './jmt-fixtures.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

function treeOf(leaves: RefLeaf[]): MemoryTree {
  const t = new MemoryTree();
  t.applyHashed(leaves);
  return t;
}

describe('SparseMerkleProofs and ICS23 match the derived vectors', () => {
  describe.each(derived.map((v) => [v.set, v] as const))('set %s', (_, v) => {
    const pairs = v.pairs.map(([k, val]) => ({ key: utf8(k), value: utf8(val) }));
    const tree = new MemoryTree();
    tree.apply(pairs);
    const preimages = new Map(pairs.map((p) => [hex(refSha256(p.key)), p]));
    const preimage = (kh: Uint8Array) => preimages.get(hex(kh))!;

    it('has the vector root', () => {
      expect(hex(tree.root)).toBe(v.root);
    });

    it('proves the key with the vector leaf and siblings', () => {
      const proof = tree.prove(refSha256(utf8(v.proof_key)));
      expect(hex(proof.leaf!.keyHash)).toBe(v.proof_leaf_keyhash);
      expect(hex(proof.leaf!.valueHash)).toBe(v.proof_leaf_valuehash);
      expect(proof.siblings.map(hex)).toEqual(v.proof_siblings_bottom_to_root);
      verifyMembership(tree.root, proof.leaf!.keyHash, proof.leaf!.valueHash, proof);
    });

    it('converts to the vector ICS23 existence proof, which @confio/ics23 and our verifier accept', () => {
      const key = utf8(v.proof_key);
      const bytes = ics23ProofFromTree(tree, key, preimage);
      expect(hex(bytes)).toBe(v.ics23_exist_commitmentproof_hex);
      const value = preimage(refSha256(key)).value;
      const decoded = confio.ics23.CommitmentProof.decode(bytes);
      expect(confio.verifyMembership(decoded, jmtSpec as confio.ics23.IProofSpec, tree.root, key, value)).toBe(true);
      expect(ics23Member(bytes, jmtSpec, tree.root, key, value)).toBe(true);
    });

    it('converts to the vector ICS23 non-existence proof; it is rejected for an existing key', () => {
      const bytes = ics23ProofFromTree(tree, utf8(v.nonexist_key), preimage);
      expect(hex(bytes)).toBe(v.ics23_nonexist_commitmentproof_hex);
      expect(ics23NonMember(bytes, jmtSpec, tree.root, utf8(v.nonexist_key))).toBe(true);
      expect(ics23NonMember(bytes, jmtSpec, tree.root, utf8(v.proof_key))).toBe(false);
    });
  });
});

describe('proofs from the in-memory tree', () => {
  it('equal the reference for present and absent keys, and verify', () => {
    const r = rng(808);
    for (let t = 0; t < 20; t++) {
      const leaves = randomLeaves(r, r.int(150), t % 3 === 0 ? 24 : 0);
      const tree = treeOf(leaves);
      const root = refSubtree(leaves, 0);
      expect(hex(tree.root)).toBe(hex(root));
      const probes = [...leaves.slice(0, 4).map((l) => l.keyHash), ...randomLeaves(r, 4, t % 3 === 0 ? 24 : 0).map((l) => l.keyHash)];
      for (const k of probes) {
        const got = tree.prove(k);
        const want = refProof(leaves, k);
        expect(got.siblings.map(hex)).toEqual(want.siblings.map(hex));
        expect(got.leaf && hex(got.leaf.keyHash)).toBe(want.leaf && hex(want.leaf.keyHash));
        const present = leaves.find((l) => hex(l.keyHash) === hex(k));
        if (present) verifyMembership(tree.root, k, present.valueHash, encodeProof(got));
        else verifyNonMembership(tree.root, k, encodeProof(got));
      }
    }
  });

  it('give non-existence ICS23 proofs at the edges of the key space', () => {
    const r = rng(5);
    const keys = Array.from({ length: 30 }, (_, i) => utf8(`k${i}`));
    const tree = new MemoryTree();
    tree.apply(keys.map((key) => ({ key, value: key })));
    const preimage = (kh: Uint8Array) => {
      const key = keys.find((k) => hex(refSha256(k)) === hex(kh))!;
      return { key, value: key };
    };
    for (let i = 0; i < 40; i++) {
      const absent = r.bytes(6);
      expect(ics23NonMember(ics23ProofFromTree(tree, absent, preimage), jmtSpec, tree.root, absent)).toBe(true);
    }
  });

  it('encode and decode losslessly, and decoding rejects bad lengths', () => {
    const leaves = randomLeaves(rng(3), 40);
    const tree = treeOf(leaves);
    const proof = tree.prove(leaves[7].keyHash);
    const back = decodeProof(encodeProof(proof));
    expect(back.siblings.map(hex)).toEqual(proof.siblings.map(hex));
    const bytes = encodeProof(proof);
    expect(() => decodeProof(bytes.subarray(0, bytes.length - 1))).toThrow(ProofInvalid);
    expect(() => decodeProof(Uint8Array.from([...bytes, 0]))).toThrow(/trailing/);
  });
});

describe.each<BackendKind>(['wasm-simd', 'wasm-scalar', 'js'])('proof verification on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind });
  it('accepts the reference proofs and rejects a wrong value', () => {
    const r = rng(kind.length + 1);
    const leaves = randomLeaves(r, 300, 16);
    const root = refSubtree(leaves, 0);
    for (const l of leaves.slice(0, 20)) {
      const p = encodeProof(refProof(leaves, l.keyHash));
      expect(core.jmt.verifyProof(root, l.keyHash, l.valueHash, p)).toBe(0);
      expect(core.jmt.verifyProof(root, l.keyHash, r.bytes(32), p)).toBeLessThan(0);
      expect(core.jmt.verifyProof(root, l.keyHash, null, p)).toBeLessThan(0);
    }
  });
});

describe('batch updates', () => {
  it('always give the root of a full rebuild, over random sequences of puts and deletes', () => {
    const r = rng(1234);
    for (let t = 0; t < 15; t++) {
      const tree = new MemoryTree();
      const state = new Map<string, { key: Uint8Array; value: Uint8Array }>();
      const pool = Array.from({ length: 20 + r.int(300) }, (_, i) => utf8(`key-${t}-${i}-${r.int(1000)}`));
      for (let batch = 0; batch < 8; batch++) {
        const changes = Array.from({ length: r.int(80) }, () => {
          const key = pool[r.int(pool.length)];
          return { key, value: r.int(3) === 0 ? null : r.bytes(r.int(40)) };
        });
        for (const c of changes) {
          if (c.value) state.set(hex(c.key), { key: c.key, value: c.value });
          else state.delete(hex(c.key));
        }
        const root = tree.apply(changes);
        expect(hex(root), `trial ${t} batch ${batch}`).toBe(hex(rootOfPairs(state.values())));
        expect(tree.size).toBe(state.size);
      }
    }
  });

  it('agree with the reference on leaves with long shared prefixes, deletes of absent keys included', () => {
    const r = rng(99);
    for (let t = 0; t < 12; t++) {
      const universe = randomLeaves(r, 200, 28);
      const tree = new MemoryTree();
      const present = new Map<string, RefLeaf>();
      for (let batch = 0; batch < 6; batch++) {
        const changes = Array.from({ length: 1 + r.int(60) }, () => {
          const l = universe[r.int(universe.length)];
          return { keyHash: l.keyHash, valueHash: r.int(3) === 0 ? null : r.bytes(32) };
        });
        for (const c of changes) {
          if (c.valueHash) present.set(hex(c.keyHash), { keyHash: c.keyHash, valueHash: c.valueHash });
          else present.delete(hex(c.keyHash));
        }
        tree.applyHashed(changes);
        const sorted = [...present.values()].sort((a, b) => (hex(a.keyHash) < hex(b.keyHash) ? -1 : 1));
        expect(hex(tree.root)).toBe(hex(refSubtree(sorted, 0)));
        expect([...tree.entries()].map((l) => hex(l.keyHash))).toEqual(sorted.map((l) => hex(l.keyHash)));
      }
    }
  });

  it('treat a delete of an absent key as a no-op', () => {
    const tree = new MemoryTree();
    const before = tree.apply([{ key: utf8('a'), value: utf8('1') }, { key: utf8('b'), value: utf8('2') }]);
    expect(hex(tree.apply([{ key: utf8('zzz'), value: null }]))).toBe(hex(before));
    expect(tree.size).toBe(2);
  });
});

/** Membership and non-membership tampering: returns [tried, wrongly accepted]. */
export function proofTamperCampaign(r: Rng, trees: number): [number, number] {
  let tried = 0;
  let accepted = 0;
  const attempt = (root: Uint8Array, keyHash: Uint8Array, valueHash: Uint8Array | null, proof: SparseMerkleProof) => {
    tried++;
    try {
      if (valueHash) verifyMembership(root, keyHash, valueHash, proof);
      else verifyNonMembership(root, keyHash, proof);
      accepted++;
    } catch (e) {
      if (!(e instanceof ProofInvalid)) throw e;
    }
  };
  const flip = (h: Uint8Array) => h.map((b, i) => (i === 0 ? b ^ 0x80 : b));
  for (let t = 0; t < trees; t++) {
    const leaves = randomLeaves(r, 2 + r.int(100), t % 2 ? 20 : 0);
    const tree = treeOf(leaves);
    const other = treeOf(randomLeaves(r, leaves.length));
    const root = tree.root;
    const absent = randomLeaves(r, 4, t % 2 ? 20 : 0).map((l) => l.keyHash);
    const claims = [...leaves.slice(0, 4).map((l) => [l.keyHash, l.valueHash] as const), ...absent.map((k) => [k, null] as const)];
    for (const [k, v] of claims) {
      if (v === null && tree.get(k)) continue;
      const p = tree.prove(k);
      const s = p.siblings;
      attempt(root, k, v ? flip(v) : r.bytes(32), p); // wrong value / membership claim for an absent key
      if (v) attempt(root, k, null, p); // non-membership claim for a present key
      attempt(root, flip(k), v, p);
      attempt(other.root, k, v, p);
      attempt(root, k, v, other.prove(k));
      if (p.leaf) {
        attempt(root, k, v, { leaf: { keyHash: flip(p.leaf.keyHash), valueHash: p.leaf.valueHash }, siblings: s });
        attempt(root, k, v, { leaf: { keyHash: p.leaf.keyHash, valueHash: flip(p.leaf.valueHash) }, siblings: s });
        attempt(root, k, v, { leaf: null, siblings: s });
      }
      for (let i = 0; i < s.length; i++) {
        attempt(root, k, v, { leaf: p.leaf, siblings: s.map((x, j) => (j === i ? flip(x) : x)) });
        attempt(root, k, v, { leaf: p.leaf, siblings: s.filter((_, j) => j !== i) });
        attempt(root, k, v, { leaf: p.leaf, siblings: [...s.slice(0, i), r.bytes(32), ...s.slice(i)] });
        if (i + 1 < s.length && hex(s[i]) !== hex(s[i + 1])) {
          attempt(root, k, v, { leaf: p.leaf, siblings: s.map((x, j) => (j === i ? s[i + 1] : j === i + 1 ? s[i] : x)) });
        }
      }
      attempt(root, k, v, { leaf: p.leaf, siblings: [...s, s[0] ?? r.bytes(32)] });
    }
  }
  return [tried, accepted];
}

describe('membership-proof soundness', () => {
  it('rejects every tampering in a random campaign', () => {
    const [tried, accepted] = proofTamperCampaign(rng(2718), 10 * fuzzScale());
    console.info(`membership/non-membership tamper campaign: ${tried} tampered cases tried, ${accepted} accepted`);
    expect(tried).toBeGreaterThan(1000);
    expect(accepted).toBe(0);
  });

  it('ICS23 existence proofs of random trees verify with @confio/ics23 and bit-flips do not', () => {
    const r = rng(6);
    for (let t = 0; t < 10; t++) {
      const pairs = Array.from({ length: 1 + r.int(60) }, (_, i) => ({ key: utf8(`t${t}-${i}`), value: r.bytes(1 + r.int(20)) }));
      const tree = new MemoryTree();
      tree.apply(pairs);
      const p = pairs[r.int(pairs.length)];
      const bytes = ics23ExistenceProof({ key: p.key, value: p.value, proof: tree.prove(refSha256(p.key)) });
      const ok = confio.verifyMembership(confio.ics23.CommitmentProof.decode(bytes), jmtSpec as confio.ics23.IProofSpec, tree.root, p.key, p.value);
      expect(ok).toBe(true);
      expect(ics23Member(bytes, jmtSpec, tree.root, p.key, p.value.map((b, i) => (i === 0 ? b ^ 1 : b)))).toBe(false);
    }
  });
});

