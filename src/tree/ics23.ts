// SparseMerkleProofs as ICS23 CommitmentProofs under the JMT spec (SPECS.md §1.8), exactly as
// penumbra-zone/jmt's `ics23_impl.rs` builds them: key and value preimages, the JMT leaf op,
// then one inner op per sibling, bottom → root, the sibling in the prefix when the key goes
// right and in the suffix when it goes left.
import { sha256 } from '../hash/sha256.js';
import { encodeCommitmentProof } from '../ics23/encode.js';
import { HashOp, LengthOp, type ExistenceProof, type InnerOp } from '../ics23/types.js';
import { InvalidArgument } from '../errors.js';
import { compareBytes } from '../bytes.js';
import { bitAt } from './hash.js';
import type { MemoryTree } from './memory-tree.js';
import type { SparseMerkleProof } from './proof.js';
import { assertByteFields, assertBytes, assertMethods, assertObject } from '../assert.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const LEAF_PREFIX = ascii('JMT::LeafNode');
const INTERNAL_PREFIX = ascii('JMT::IntrnalNode');

/** A key and value (preimages) with the SparseMerkleProof of their leaf. */
export interface ProvenEntry {
  key: Uint8Array;
  value: Uint8Array;
  proof: SparseMerkleProof;
}

/** The ICS23 ExistenceProof of a membership proof (the key and value are the preimages). */
export function toIcs23Existence(entry: ProvenEntry): ExistenceProof {
  assertByteFields(entry, 'entry', ['key', 'value']);
  assertObject(entry.proof, 'entry.proof');
  const keyHash = sha256(entry.key);
  const { leaf, siblings } = entry.proof;
  if (!leaf || compareBytes(leaf.keyHash, keyHash) !== 0) throw new InvalidArgument('the proof is not a membership proof for this key');
  const n = siblings.length;
  const path: InnerOp[] = siblings.map((sibling, i) => {
    if (bitAt(keyHash, n - 1 - i)) {
      const prefix = new Uint8Array(48);
      prefix.set(INTERNAL_PREFIX);
      prefix.set(sibling, 16);
      return { hash: HashOp.SHA256, prefix };
    }
    return { hash: HashOp.SHA256, prefix: INTERNAL_PREFIX, suffix: sibling };
  });
  return {
    key: entry.key,
    value: entry.value,
    leaf: { hash: HashOp.SHA256, prehashKey: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.NO_PREFIX, prefix: LEAF_PREFIX },
    path,
  };
}

/** CommitmentProof bytes proving `entry` exists. */
export function ics23ExistenceProof(entry: ProvenEntry): Uint8Array {
  return encodeCommitmentProof({ exist: toIcs23Existence(entry) });
}

/**
 * CommitmentProof bytes proving `key` absent, from its neighbours in key-hash order (either may
 * be missing at the edges, not both: the empty tree has no exclusion proof, as upstream).
 */
export function ics23NonExistenceProof(key: Uint8Array, left: ProvenEntry | null, right: ProvenEntry | null): Uint8Array {
  if (!left && !right) throw new InvalidArgument('a non-existence proof needs at least one neighbour (the tree is empty)');
  return encodeCommitmentProof({
    nonexist: { key, left: left ? toIcs23Existence(left) : null, right: right ? toIcs23Existence(right) : null },
  });
}

/**
 * The ICS23 proof for `key` in `tree`: existence when present, else non-existence by its
 * neighbours. `preimage` returns the key and value stored under a key hash (the tree keeps hashes only).
 */
export function ics23ProofFromTree(tree: MemoryTree, key: Uint8Array,
  preimage: (keyHash: Uint8Array) => { key: Uint8Array; value: Uint8Array }): Uint8Array {
  assertMethods(tree, 'tree', 'a MemoryTree', ['get', 'prove', 'neighbors']);
  assertBytes(key, 'key');
  const keyHash = sha256(key);
  const entry = (kh: Uint8Array): ProvenEntry => ({ ...preimage(kh), proof: tree.prove(kh) });
  if (tree.get(keyHash)) return ics23ExistenceProof(entry(keyHash));
  const { left, right } = tree.neighbors(keyHash);
  return ics23NonExistenceProof(key, left && entry(left.keyHash), right && entry(right.keyHash));
}
