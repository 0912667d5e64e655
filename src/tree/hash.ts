// JMT node hashing (SPECS.md §1.1–1.2) over the active core.
import { assertBytes } from '../assert.js';
import { backend } from '../core/load.js';
import { InvalidArgument } from '../errors.js';

/** `SPARSE_MERKLE_PLACEHOLDER_HASH__`: the hash of an empty subtree and the empty tree's root. */
export const PLACEHOLDER_HASH: Uint8Array = new TextEncoder().encode('SPARSE_MERKLE_PLACEHOLDER_HASH__');

/** A leaf of the tree: SHA-256 of the key and SHA-256 of the value. */
export interface Leaf {
  keyHash: Uint8Array;
  valueHash: Uint8Array;
}

export function assertHash(value: unknown, name: string): asserts value is Uint8Array {
  assertBytes(value, name, 32);
  if (value.length !== 32) throw new InvalidArgument(`${name} must be 32 bytes, got ${value.length}`);
}

/** `H("JMT::LeafNode" || keyHash || valueHash)`. */
export function leafHash(keyHash: Uint8Array, valueHash: Uint8Array): Uint8Array {
  assertHash(keyHash, 'keyHash');
  assertHash(valueHash, 'valueHash');
  const leaf = new Uint8Array(64);
  leaf.set(keyHash);
  leaf.set(valueHash, 32);
  return backend().jmt.leafHashes(leaf);
}

/** `H("JMT::IntrnalNode" || left || right)`. */
export function internalHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  assertHash(left, 'left');
  assertHash(right, 'right');
  const pair = new Uint8Array(64);
  pair.set(left);
  pair.set(right, 32);
  return backend().jmt.internalHashes(pair);
}

/** Bit `i` (0 = most significant) of a key hash (the one at `keyHash[at]`): 0 goes left, 1 right. */
export function bitAt(keyHash: Uint8Array, i: number, at = 0): number {
  return (keyHash[at + (i >> 3)] >> (7 - (i & 7))) & 1;
}
