// Checkpoints on top of the JMT range proofs of src/tree/range-proof.ts: building them while
// chunks are cut, checking one chunk's leaf hashes against the root, and deriving a key's
// SparseMerkleProof from a stored chunk and its range proof (no network, no other chunk).
import { RangeProofBuilder, keyHashToBig, verifyRangeProof } from '../tree/range-proof.js';
import { PLACEHOLDER_HASH, bitAt, compareHashes, internalHash, leafHash, type Leaf } from '../tree/hash.js';
import { verifyMembership, verifyNonMembership, type SparseMerkleProof } from '../tree/proof.js';
import { ProofInvalid } from '../errors.js';
import { fromHex } from '../hex.js';
import type { Manifest } from '../format/manifest.js';
import type { Leaf as ChunkLeaf } from '../format/chunk.js';
import { hashMany } from '../hash/sha256.js';

export interface ChunkProver {
  add(keyHash: Uint8Array, valueHash: Uint8Array): void;
  /** Ends the current chunk after the last leaf added; its interval ends at that leaf's key hash. */
  endChunk(): void;
  /** Ends the last chunk (at the end of the key space); returns the root and one proof per chunk. */
  finish(): { root: Uint8Array; proofs: Uint8Array[] };
}

export function createChunkProver(): ChunkProver {
  const builder = new RangeProofBuilder();
  return {
    add: (keyHash, valueHash) => void builder.add(keyHash, valueHash),
    endChunk: () => void builder.endChunk(),
    finish() {
      const { root, chunks } = builder.finish();
      return { root, proofs: chunks.map((c) => c.proof) };
    },
  };
}

/** Why the leaves do not prove out against `root` with this proof, or undefined if they do. */
export function checkRangeProof(root: Uint8Array, lo: Uint8Array, hi: Uint8Array,
  keyHashes: Uint8Array, valueHashes: Uint8Array, proof: Uint8Array): string | undefined {
  // Interleave into n × (keyHash || valueHash) word by word: a view per leaf costs more than
  // the copy itself on large chunks.
  const n = keyHashes.length >>> 5;
  const packed = new Uint8Array(n * 64);
  const out = new Uint32Array(packed.buffer);
  const keys = words(keyHashes);
  const values = words(valueHashes);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 8; j++) {
      out[i * 16 + j] = keys[i * 8 + j];
      out[i * 16 + 8 + j] = values[i * 8 + j];
    }
  }
  try {
    verifyRangeProof(root, lo, hi, packed, proof);
    return undefined;
  } catch (err) {
    if (err instanceof ProofInvalid) return err.message;
    throw err;
  }
}

/** The bytes as 32-bit words (copied when not 4-byte aligned). */
function words(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

/** A key's proof against the checkpoint's root, and whether it proves membership. */
export interface KeyProof extends SparseMerkleProof {
  keyHash: Uint8Array;
  /** The key's value hash when the key is present. */
  valueHash?: Uint8Array;
}

// Node tags of the range-proof encoding (src/tree/range-proof.ts, docs/FORMAT.md).
const TAG_EMPTY = 0;
const TAG_LEAF_OUTSIDE = 1;
const TAG_LEAF_INSIDE = 2;
const TAG_INTERNAL = 3;


/** Root of the compact subtree of `leaves` (sorted, all under the node) at `depth`. */
function compactHash(leaves: readonly Leaf[], depth: number): Uint8Array {
  if (leaves.length === 0) return PLACEHOLDER_HASH;
  if (leaves.length === 1) return leafHash(leaves[0].keyHash, leaves[0].valueHash);
  const split = leaves.findIndex((l) => bitAt(l.keyHash, depth) === 1);
  const cut = split < 0 ? leaves.length : split;
  return internalHash(compactHash(leaves.slice(0, cut), depth + 1), compactHash(leaves.slice(cut), depth + 1));
}

/**
 * Walks the compact subtree of `leaves` at `depth` towards `keyHash`, pushing the siblings it
 * passes (top-down) and returning the leaf where the path ends (null for an empty subtree).
 */
function compactPath(leaves: readonly Leaf[], depth: number, keyHash: Uint8Array, siblings: Uint8Array[]): Leaf | null {
  if (leaves.length <= 1) return leaves[0] ?? null;
  const split = leaves.findIndex((l) => bitAt(l.keyHash, depth) === 1);
  const cut = split < 0 ? leaves.length : split;
  const [left, right] = [leaves.slice(0, cut), leaves.slice(cut)];
  const goRight = bitAt(keyHash, depth) === 1;
  siblings.push(compactHash(goRight ? left : right, depth + 1));
  return compactPath(goRight ? right : left, depth + 1, keyHash, siblings);
}

/**
 * The SparseMerkleProof of `keyHash` (inside chunk `index`'s interval) from the chunk's leaves
 * and its range proof, both already verified when they were stored. The result is checked
 * against the root once more before it is returned.
 */
export function proveInChunk(manifest: Manifest, index: number, chunkLeaves: readonly ChunkLeaf[],
  proof: Uint8Array, keyHash: Uint8Array): KeyProof {
  const entry = manifest.chunks[index];
  const loN = keyHashToBig(fromHex(entry.lo));
  const hiN = keyHashToBig(fromHex(entry.hi));
  const k = keyHashToBig(keyHash);
  const digests = hashMany(chunkLeaves.flatMap((l) => [l.key, l.value]));
  const hashed: Leaf[] = chunkLeaves.map((_, i) => ({ keyHash: digests.subarray(i * 64, i * 64 + 32), valueHash: digests.subarray(i * 64 + 32, i * 64 + 64) }));
  // Each leaf's key hash as an integer, once: the walk below compares them at every straddling node.
  const positions = hashed.map((l) => keyHashToBig(l.keyHash));
  let pos = 1; // after the format version byte
  const readHash = () => proof.slice(pos, (pos += 32));
  const top: Uint8Array[] = [];
  let endLeaf: Leaf | null = null;

  // Rebuilds node [a, a + 2^(256-depth)) and returns its hash; on the key's path, records the
  // sibling hashes and the leaf where the path ends.
  const node = (depth: number, a: bigint, onPath: boolean): Uint8Array => {
    const b = a + (1n << BigInt(256 - depth)) - 1n;
    if (b < loN || a > hiN) return readHash();
    const inside = hashed.filter((_, i) => positions[i] >= a && positions[i] <= b);
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
    if (onPath) endLeaf = leaf;
    return leaf ? leafHash(leaf.keyHash, leaf.valueHash) : PLACEHOLDER_HASH;
  };
  node(0, 0n, true);

  const found = endLeaf as Leaf | null;
  const result: KeyProof = { keyHash, leaf: found, siblings: top.slice().reverse() };
  const root = fromHex(manifest.root);
  if (found && compareHashes(found.keyHash, keyHash) === 0) {
    result.valueHash = found.valueHash;
    verifyMembership(root, keyHash, found.valueHash, result);
  } else {
    verifyNonMembership(root, keyHash, result);
  }
  return result;
}
