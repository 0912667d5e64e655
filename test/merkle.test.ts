// CometBFT simple Merkle trees, app hashes and multistore proofs, against the upstream vectors
// of SPECS §3 and an independent recursive implementation over @noble/hashes.
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import {
  merkleRoot, merkleProof, verifyMerkleProof, appHash, storeProof, verifyMultistoreProof, checkMultistoreProof,
  verifyMembership, encodeCommitmentProof, tendermintSpec, type ProofOp,
} from '../src/ics23.js';
import { hex, rng } from './helpers.js';
import { upstreamVectors } from './ics23-vectors.js';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];
const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

// The oracle: CometBFT's recursive definition, written independently.
const oLeaf = (item: Uint8Array) => sha256(cat(Uint8Array.of(0), item));
const oInner = (l: Uint8Array, r: Uint8Array) => sha256(cat(Uint8Array.of(1), l, r));
function oSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function oRoot(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256(new Uint8Array(0));
  if (items.length === 1) return oLeaf(items[0]);
  const k = oSplit(items.length);
  return oInner(oRoot(items.slice(0, k)), oRoot(items.slice(k)));
}
function oAunts(items: Uint8Array[], index: number): Uint8Array[] {
  if (items.length <= 1) return [];
  const k = oSplit(items.length);
  return index < k ? [...oAunts(items.slice(0, k), index), oRoot(items.slice(k))]
    : [...oAunts(items.slice(k), index - k), oRoot(items.slice(0, k))];
}

describe('CometBFT simple Merkle root (crypto/merkle/tree_test.go, rfc6962_test.go)', () => {
  const cases: Array<[Uint8Array[], string]> = [
    [[], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [[Uint8Array.of(1, 2, 3)], '054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8'],
    [[new Uint8Array(0)], '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
    [[Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)], '82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b'],
    [[Uint8Array.of(1, 2), Uint8Array.of(3, 4), Uint8Array.of(5, 6), Uint8Array.of(7, 8), Uint8Array.of(9, 10)],
      'f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18'],
    [[utf8('L123456')], '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56'],
  ];

  for (const kind of kinds) {
    it(`matches the upstream roots on the ${kind} core`, () => {
      const core = createBackendSync({ backend: kind }).merkle;
      for (const [items, root] of cases) expect(hex(core.root(items)), `${items.length} items`).toBe(root);
    });
  }

  it('matches the recursive definition for 0 to 70 random items', () => {
    const r = rng(31);
    for (let n = 0; n <= 70; n++) {
      const items = Array.from({ length: n }, () => r.bytes(r.int(80)));
      expect(hex(merkleRoot(items)), `${n} items`).toBe(hex(oRoot(items)));
    }
  });
});

describe('CometBFT simple Merkle proofs', () => {
  for (const kind of kinds) {
    it(`aunts equal the recursive definition and verify, on the ${kind} core (1 to 40 items, every index)`, () => {
      const core = createBackendSync({ backend: kind }).merkle;
      const r = rng(41);
      for (let n = 1; n <= 40; n++) {
        const items = Array.from({ length: n }, () => r.bytes(1 + r.int(40)));
        const root = oRoot(items);
        for (let i = 0; i < n; i++) {
          const { leafHash, aunts } = core.aunts(items, i);
          expect(hex(leafHash)).toBe(hex(oLeaf(items[i])));
          expect(aunts.map(hex), `${n} items, index ${i}`).toEqual(oAunts(items, i).map(hex));
          expect(core.verify(items[i], leafHash, n, i, aunts, root)).toBe(true);
        }
      }
    });
  }

  it('rejects a proof with any part altered', () => {
    const r = rng(43);
    const items = Array.from({ length: 13 }, () => r.bytes(20));
    const root = merkleRoot(items);
    for (let i = 0; i < items.length; i++) {
      const p = merkleProof(items, i);
      expect(verifyMerkleProof(p, root, items[i])).toBe(true);
      const flipped = (b: Uint8Array) => { const c = b.slice(); c[0] ^= 1; return c; };
      expect(verifyMerkleProof(p, root, flipped(items[i]))).toBe(false);
      expect(verifyMerkleProof(p, flipped(root), items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, leafHash: flipped(p.leafHash) }, root, items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, index: (i + 1) % items.length }, root, items[i])).toBe(false);
      // (total is not hashed: a total giving the same left/right walk verifies too, as upstream.)
      expect(verifyMerkleProof({ ...p, total: items.length * 2 }, root, items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, index: -1 }, root, items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, index: items.length }, root, items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, aunts: p.aunts.slice(1) }, root, items[i])).toBe(false);
      expect(verifyMerkleProof({ ...p, aunts: [...p.aunts, p.aunts[0]] }, root, items[i])).toBe(false);
      for (let a = 0; a < p.aunts.length; a++) {
        const aunts = p.aunts.slice();
        aunts[a] = flipped(aunts[a]);
        expect(verifyMerkleProof({ ...p, aunts }, root, items[i])).toBe(false);
      }
      expect(verifyMerkleProof({ ...p, aunts: [p.aunts[0].subarray(1), ...p.aunts.slice(1)] }, root, items[i])).toBe(false);
    }
  });

  it('refuses more than 100 aunts and absurd totals', () => {
    const item = Uint8Array.of(1);
    const aunts = Array.from({ length: 101 }, () => new Uint8Array(32));
    expect(verifyMerkleProof({ total: 2 ** 52, index: 0, leafHash: oLeaf(item), aunts }, new Uint8Array(32), item)).toBe(false);
    expect(verifyMerkleProof({ total: 2 ** 60, index: 0, leafHash: oLeaf(item), aunts: [] }, new Uint8Array(32), item)).toBe(false);
    expect(verifyMerkleProof({ total: 1.5, index: 0, leafHash: oLeaf(item), aunts: [] }, oLeaf(item), item)).toBe(false);
    expect(verifyMerkleProof({ total: 1, index: 0, leafHash: oLeaf(item), aunts: [] }, oLeaf(item), item)).toBe(true);
  });
});

// SPECS §3.2 DERIVED check vector (commitinfo.py).
const storeNames = ['acc', 'bank', 'gov', 'ibc', 'staking'];
const stores = Object.fromEntries(storeNames.map((n) => [n, sha256(utf8(`${n}-root`))]));

describe('Cosmos app hash (store/types/commit_info.go)', () => {
  it('equals the SPECS §3.2 check vector and the oracle', () => {
    expect(hex(stores.ibc)).toBe('df07e049be7e7db34e5680d5010947d564746128a0db2c2b91a032b2f1544947');
    expect(hex(appHash(stores))).toBe('3e6534c76235907e818e4df98c2c027fa3f88af6e8bb44ecec8e52ec326cba3e');
    const leaves = storeNames.map((n) => cat(Uint8Array.of(n.length), utf8(n), Uint8Array.of(32), sha256(stores[n])));
    expect(hex(appHash(stores))).toBe(hex(oRoot(leaves)));
  });

  it('sorts stores by name, whatever order they are given in', () => {
    const shuffled = new Map([...Object.entries(stores)].reverse());
    expect(hex(appHash(shuffled))).toBe(hex(appHash(stores)));
  });

  it('is empty for no stores', () => {
    expect(appHash({}).length).toBe(0);
  });

  it('gives the ICS23 store proof of SPECS §3.2, which verifies under TendermintSpec', () => {
    const proof = storeProof(stores, 'ibc');
    expect(proof.exist!.path!.map((op) => [hex(op.prefix ?? new Uint8Array()), hex(op.suffix ?? new Uint8Array())])).toEqual([
      ['01b25ef841b001b58d51e158b6cfefa7d97ff7ffd8193a118ac61de7ebe06c37ff', ''],
      ['01b8da986f9e08d334502c94430d22e0b171b8586be68e95a16a5ba29bfa00cd60', ''],
      ['01', 'abe178bbc7494cede6c9e8987e5b54c3d34cefd44dd49058e4bee803f1cda87f'],
    ]);
    const root = appHash(stores);
    for (const name of storeNames) {
      expect(verifyMembership(storeProof(stores, name), tendermintSpec, root, utf8(name), stores[name]), name).toBe(true);
    }
    expect(verifyMembership(storeProof(stores, 'ibc'), tendermintSpec, root, utf8('ibc'), stores.gov)).toBe(false);
  });
});

describe('multistore proofs (abci_query ProofOps: ics23:iavl then ics23:simple)', () => {
  const exist = upstreamVectors.find((v) => v.name === 'iavl/exist_middle')!;
  const absent = upstreamVectors.find((v) => v.name === 'iavl/nonexist_middle')!;

  function chain(v: typeof exist) {
    const withBank = { ...stores, bank: v.root };
    const ops: ProofOp[] = [
      { type: 'ics23:iavl', key: v.key, data: v.proof },
      { type: 'ics23:simple', key: utf8('bank'), data: encodeCommitmentProof(storeProof(withBank, 'bank')) },
    ];
    return { ops, app: appHash(withBank) };
  }

  it('verifies a value in the bank store against the app hash', () => {
    const { ops, app } = chain(exist);
    expect(verifyMultistoreProof(ops, app, ['bank', exist.key], exist.value)).toBe(true);
  });

  it('verifies the absence of a key in the bank store', () => {
    const { ops, app } = chain(absent);
    expect(verifyMultistoreProof(ops, app, ['bank', absent.key])).toBe(true);
    expect(verifyMultistoreProof(ops, app, ['bank', absent.key], Uint8Array.of(1))).toBe(false);
  });

  it('rejects a wrong value, app hash, store, key path, op order or op type, saying which', () => {
    const { ops, app } = chain(exist);
    const otherApp = app.slice();
    otherApp[0] ^= 1;
    expect(checkMultistoreProof(ops, app, ['bank', exist.key], utf8('other'))).toMatchObject({ valid: false, reason: 'value-mismatch', op: 0 });
    expect(checkMultistoreProof(ops, otherApp, ['bank', exist.key], exist.value)).toMatchObject({ valid: false, reason: 'app-hash-mismatch' });
    expect(checkMultistoreProof(ops, app, ['gov', exist.key], exist.value)).toMatchObject({ valid: false, reason: 'key-path-mismatch', op: 1 });
    expect(checkMultistoreProof(ops, app, [exist.key], exist.value)).toMatchObject({ valid: false, reason: 'key-path-mismatch' });
    expect(checkMultistoreProof([ops[1], ops[0]], app, ['bank', exist.key], exist.value)).toMatchObject({ valid: false });
    expect(checkMultistoreProof([{ ...ops[0], type: 'ics23:rlp' }, ops[1]], app, ['bank', exist.key], exist.value))
      .toMatchObject({ valid: false, reason: 'unknown-proof-type', op: 0 });
    // The store proof of another store does not carry the bank root.
    const govOp = { type: 'ics23:simple', key: utf8('bank'), data: encodeCommitmentProof(storeProof({ ...stores, bank: exist.root }, 'gov')) };
    expect(verifyMultistoreProof([ops[0], govOp], app, ['bank', exist.key], exist.value)).toBe(false);
  });

  it('takes the store proof under IAVL rules only where the op type says so', () => {
    const { ops, app } = chain(exist);
    expect(verifyMultistoreProof([ops[0], { ...ops[1], type: 'ics23:iavl' }], app, ['bank', exist.key], exist.value)).toBe(false);
  });
});
