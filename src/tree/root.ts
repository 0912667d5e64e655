// The JMT root (SPECS.md §1) of a set of pairs, of sorted leaves, or of a leaf stream.
import { assertHash, type Leaf } from './hash.js';
import { LeafStream } from './leaf-stream.js';
import { hashPairs, PairHasher, type HashedPairs, type Pair } from './pairs.js';
import { sortedLatest } from './sort.js';
import { assertIterable } from '../assert.js';
import { InvalidArgument } from '../errors.js';

/**
 * Builds the root from leaves added in strictly increasing key-hash order, in memory bounded
 * by the tree depth (a stack of at most 257 subtree hashes), whatever the number of leaves.
 * Throws UnsortedLeaves (with the leaf's index) on a leaf that is not greater than the last.
 */
export class RootBuilder {
  private readonly stream = new LeafStream();

  /** Adds one leaf. */
  add(keyHash: Uint8Array, valueHash: Uint8Array): this {
    assertHash(keyHash, 'keyHash');
    assertHash(valueHash, 'valueHash');
    this.stream.add(keyHash, valueHash);
    return this;
  }

  /** Adds many leaves packed as n × (keyHash || valueHash); the fastest path. */
  addPacked(leaves: Uint8Array): this {
    this.stream.addPacked(leaves);
    return this;
  }

  /** Leaves added so far. */
  get count(): number {
    return this.stream.count;
  }

  /** The root; the builder cannot be used afterwards. */
  finish(): Uint8Array {
    return this.stream.finish();
  }
}

/** Root of leaves already sorted by key hash (strictly increasing). */
export function rootOfSortedLeaves(leaves: Iterable<Leaf>): Uint8Array {
  assertIterable(leaves, 'leaves');
  const b = new RootBuilder();
  for (const leaf of leaves) {
    if (typeof leaf !== 'object' || leaf === null) throw new InvalidArgument('each leaf must be { keyHash, valueHash }');
    b.add(leaf.keyHash, leaf.valueHash);
  }
  return b.finish();
}

/**
 * Root of a state given as pairs in any order: keys and values are hashed, a later pair for
 * the same key wins, and `value: null` deletes the key.
 */
export function rootOfPairs(pairs: Iterable<Pair>): Uint8Array {
  assertIterable(pairs, 'pairs');
  return rootOfHashedPairs(hashPairs(pairs));
}

/** rootOfPairs over an async stream (memory: 65 bytes per pair, not the pairs themselves). */
export async function rootOfPairStream(pairs: AsyncIterable<Pair> | Iterable<Pair>): Promise<Uint8Array> {
  assertIterable(pairs, 'pairs', false);
  const h = new PairHasher();
  for await (const p of pairs) h.add(p);
  return rootOfHashedPairs(h.result());
}

function rootOfHashedPairs(hashed: HashedPairs): Uint8Array {
  const order = sortedLatest(hashed.keyHashes);
  // Word copies: hashes are 32-byte aligned in their buffers, and subarrays per leaf would
  // cost an allocation each.
  const keys = words(hashed.keyHashes);
  const values = words(hashed.valueHashes);
  const packed = new Uint32Array(order.length * 16);
  let n = 0;
  for (const i of order) {
    if (hashed.deleted[i]) continue;
    for (let w = 0; w < 8; w++) {
      packed[n * 16 + w] = keys[i * 8 + w];
      packed[n * 16 + 8 + w] = values[i * 8 + w];
    }
    n++;
  }
  return new RootBuilder().addPacked(new Uint8Array(packed.buffer, 0, n * 64)).finish();
}

function words(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}
