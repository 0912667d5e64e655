// A key's SparseMerkleProof derived from one chunk's leaves and its range proof: the range
// proof holds every hash outside the chunk's interval that the key's path needs, and the
// leaves inside rebuild the rest. No other chunk, no network.
import { compareBytes } from '../../bytes.js';
import { ProofInvalid } from '../../errors.js';
import { PLACEHOLDER_HASH, bitAt, internalHash, leafHash, type Leaf } from '../hash.js';
import { verifyMembership, verifyNonMembership, type SparseMerkleProof } from '../proof.js';
import { TAG_EMPTY, TAG_INTERNAL, TAG_LEAF_INSIDE, TAG_LEAF_OUTSIDE } from './encoding.js';
import { keyHashToBig } from './key-space.js';
import { assertArray, assertByteFields, assertBytes } from '../../assert.js';

/** A key's proof against a root, and whether it proves membership. */
export interface KeyProof extends SparseMerkleProof {
  keyHash: Uint8Array;
  /** The key's value hash when the key is present. */
  valueHash?: Uint8Array;
}

/** Root of the compact subtree of `leaves` (sorted, all under the node) at `depth`. */
function compactHash(leaves: readonly Leaf[], depth: number): Uint8Array {
  if (leaves.length === 0) return PLACEHOLDER_HASH;
  if (leaves.length === 1) return leafHash(leaves[0].keyHash, leaves[0].valueHash);
  const cut = splitAt(leaves, depth);
  return internalHash(compactHash(leaves.slice(0, cut), depth + 1), compactHash(leaves.slice(cut), depth + 1));
}

/** Index of the first leaf whose bit `depth` is 1 (leaves sorted, sharing bits above depth). */
function splitAt(leaves: readonly Leaf[], depth: number): number {
  const split = leaves.findIndex((l) => bitAt(l.keyHash, depth) === 1);
  return split < 0 ? leaves.length : split;
}

/**
 * Walks the compact subtree of `leaves` at `depth` towards `keyHash`, pushing the siblings it
 * passes (top-down) and returning the leaf where the path ends (null for an empty subtree).
 */
function compactPath(leaves: readonly Leaf[], depth: number, keyHash: Uint8Array, siblings: Uint8Array[]): Leaf | null {
  if (leaves.length <= 1) return leaves[0] ?? null;
  const cut = splitAt(leaves, depth);
  const [left, right] = [leaves.slice(0, cut), leaves.slice(cut)];
  const goRight = bitAt(keyHash, depth) === 1;
  siblings.push(compactHash(goRight ? left : right, depth + 1));
  return compactPath(goRight ? right : left, depth + 1, keyHash, siblings);
}

/**
 * The SparseMerkleProof of `keyHash` (inside [lo, hi]) from the chunk's hashed `leaves` (in
 * key-hash order) and its range proof, both already verified against `root`. The result is
 * checked against the root once more before it is returned (ProofInvalid otherwise).
 */
export function proveInChunk(root: Uint8Array, lo: Uint8Array, hi: Uint8Array, leaves: readonly Leaf[],
  proof: Uint8Array, keyHash: Uint8Array): KeyProof {
  for (const [value, name] of [[root, 'root'], [lo, 'lo'], [hi, 'hi'], [keyHash, 'keyHash']] as const) assertBytes(value, name, 32);
  assertBytes(proof, 'proof');
  assertArray(leaves, 'leaves');
  leaves.forEach((l, i) => assertByteFields(l, `leaves[${i}]`, ['keyHash', 'valueHash']));
  const loN = keyHashToBig(lo);
  const hiN = keyHashToBig(hi);
  const k = keyHashToBig(keyHash);
  if (k < loN || k > hiN) throw new ProofInvalid('the key hash lies outside the chunk\'s interval');
  // Each leaf's key hash as an integer, once: the walk below compares them at every straddling node.
  const positions = leaves.map((l) => keyHashToBig(l.keyHash));
  let pos = 1; // after the format version byte
  const readHash = () => {
    if (pos + 32 > proof.length) throw new ProofInvalid('truncated');
    return proof.slice(pos, (pos += 32));
  };
  const top: Uint8Array[] = [];
  let endLeaf: Leaf | null = null;

  // Rebuilds node [a, a + 2^(256-depth)) and returns its hash; on the key's path, records the
  // sibling hashes and the leaf where the path ends.
  const node = (depth: number, a: bigint, onPath: boolean): Uint8Array => {
    const b = a + (1n << BigInt(256 - depth)) - 1n;
    if (b < loN || a > hiN) return readHash();
    const inside = leaves.filter((_, i) => positions[i] >= a && positions[i] <= b);
    if (a >= loN && b <= hiN) {
      if (onPath) endLeaf = compactPath(inside, depth, keyHash, top);
      return compactHash(inside, depth);
    }
    const tag = proof[pos++];
    if (tag === TAG_INTERNAL) {
      const half = 1n << BigInt(255 - depth);
      const goRight = onPath && k >= a + half;
      const left = node(depth + 1, a, onPath && !goRight);
      const right = node(depth + 1, a + half, goRight);
      if (onPath) top.unshift(goRight ? left : right); // deeper siblings are already in `top`
      return internalHash(left, right);
    }
    let leaf: Leaf | null = null;
    if (tag === TAG_LEAF_INSIDE) leaf = inside[0];
    else if (tag === TAG_LEAF_OUTSIDE) leaf = { keyHash: readHash(), valueHash: readHash() };
    else if (tag !== TAG_EMPTY) throw new ProofInvalid(`unknown node tag ${tag}`);
    if (onPath) endLeaf = leaf ?? null;
    return leaf ? leafHash(leaf.keyHash, leaf.valueHash) : PLACEHOLDER_HASH;
  };
  node(0, 0n, true);

  const found = endLeaf as Leaf | null;
  const result: KeyProof = { keyHash, leaf: found, siblings: top.slice().reverse() };
  if (found && compareBytes(found.keyHash, keyHash) === 0) {
    result.valueHash = found.valueHash;
    verifyMembership(root, keyHash, found.valueHash, result);
  } else {
    verifyNonMembership(root, keyHash, result);
  }
  return result;
}
