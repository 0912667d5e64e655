// CometBFT simple Merkle trees (crypto/merkle; SPECS §3.1): roots and inclusion proofs, hashed
// and checked in WASM.
import { backend } from '../core/load.js';
import { InvalidArgument } from '../errors.js';

/** A CometBFT `merkle.Proof` (JSON names `total`, `index`, `leaf_hash`, `aunts`); aunts leaf → root. */
export interface MerkleProof {
  total: number;
  index: number;
  leafHash: Uint8Array;
  aunts: Uint8Array[];
}

/** CometBFT's MaxAunts. */
export const MAX_AUNTS = 100;

function itemsArg(items: readonly Uint8Array[]): readonly Uint8Array[] {
  if (!Array.isArray(items) || !items.every((it) => it instanceof Uint8Array)) {
    throw new InvalidArgument('items must be an array of Uint8Array');
  }
  return items;
}

/** The simple Merkle root of `items` (`HashFromByteSlices`): 32 bytes; SHA-256("") for none. */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  return backend().merkle.root(itemsArg(items));
}

/** The inclusion proof of item `index` (`ProofsFromByteSlices`). */
export function merkleProof(items: readonly Uint8Array[], index: number): MerkleProof {
  itemsArg(items);
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    throw new InvalidArgument(`index ${index} is outside the ${items.length} items`);
  }
  const { leafHash, aunts } = backend().merkle.aunts(items, index);
  return { total: items.length, index, leafHash, aunts };
}

/**
 * Whether `proof` shows `item` under `root` (`Proof.Verify`): rejects negative or inconsistent
 * total/index, a leaf hash or aunt that is not 32 bytes, more than 100 aunts, a wrong aunt count.
 */
export function verifyMerkleProof(proof: MerkleProof, root: Uint8Array, item: Uint8Array): boolean {
  if (typeof proof !== 'object' || proof === null) return false;
  const { total, index, leafHash, aunts } = proof;
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(index) || !Array.isArray(aunts)) return false;
  if (!(leafHash instanceof Uint8Array) || leafHash.length !== 32 || aunts.length > MAX_AUNTS) return false;
  if (!aunts.every((a) => a instanceof Uint8Array && a.length === 32)) return false;
  if (!(root instanceof Uint8Array) || root.length !== 32 || !(item instanceof Uint8Array)) return false;
  return backend().merkle.verify(item, leafHash, total, index, aunts, root);
}
