// An in-memory JMT (binary view, SPECS.md §1.4) with batch updates and proofs for any key.
//
// Only branching nodes are stored: a branch at depth d has two non-empty children whose keys
// differ at bit d; between a branch and its parent lie implicit one-sided levels, each hashed
// with the placeholder. Nodes live in typed arrays (no object per node): 142 bytes per key,
// more while the arrays grow by doubling. A batch touches only the paths of its keys, then
// rehashes the touched nodes level by level, deepest first, one core call per level.
import { compareBytes } from '../bytes.js';
import { backend } from '../core/load.js';
import { assertHash, bitAt, PLACEHOLDER_HASH, type Leaf } from './hash.js';
import { hashPairs, type Pair } from './pairs.js';
import type { SparseMerkleProof } from './proof.js';
import { sortedLatest } from './sort.js';

/** A change by key hash: `valueHash: null` deletes. */
export interface HashedChange {
  keyHash: Uint8Array;
  valueHash: Uint8Array | null;
}

/** Child references: a branch id (≥ 0), a leaf id (~id < 0), or EMPTY. */
const EMPTY = 0x7fffffff;
const isLeaf = (ref: number) => ref < 0;
const leafId = (ref: number) => ~ref;

class Pool {
  capacity: number;
  count = 0;
  private readonly free: number[] = [];
  constructor(capacity: number, private readonly grow: (capacity: number) => void) {
    this.capacity = capacity;
  }
  alloc(): number {
    const id = this.free.pop();
    if (id !== undefined) return id;
    if (this.count === this.capacity) {
      this.capacity *= 2;
      this.grow(this.capacity);
    }
    return this.count++;
  }
  release(id: number): void {
    this.free.push(id);
  }
}

function grown<T extends Uint8Array | Int32Array | Uint16Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

export class MemoryTree {
  // Leaves: key hash, value hash, leaf hash (32 bytes each).
  private leafKeys = new Uint8Array(1024 * 32);
  private leafValues = new Uint8Array(1024 * 32);
  private leafHashes = new Uint8Array(1024 * 32);
  private readonly leaves = new Pool(1024, (n) => {
    this.leafKeys = grown(this.leafKeys, n * 32);
    this.leafValues = grown(this.leafValues, n * 32);
    this.leafHashes = grown(this.leafHashes, n * 32);
  });
  // Branches: children, split depth, a leaf below (its key gives the branch's path bits), hash.
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  private depth = new Uint16Array(1024);
  private rep = new Int32Array(1024);
  private branchHashes = new Uint8Array(1024 * 32);
  private readonly branches = new Pool(1024, (n) => {
    this.left = grown(this.left, n);
    this.right = grown(this.right, n);
    this.depth = grown(this.depth, n);
    this.rep = grown(this.rep, n);
    this.branchHashes = grown(this.branchHashes, n * 32);
  });

  private rootRef = EMPTY;
  private rootHash: Uint8Array = PLACEHOLDER_HASH;
  private size_ = 0;
  // Nodes created or changed by the batch being applied.
  private dirtyLeaves: number[] = [];
  private dirtyBranches: number[] = [];

  /** The current root. */
  get root(): Uint8Array {
    return this.rootHash.slice();
  }

  /** Number of keys. */
  get size(): number {
    return this.size_;
  }

  /** Applies puts and deletes given as key/value bytes (later entries for a key win); returns the new root. */
  apply(changes: Iterable<Pair>): Uint8Array {
    const hashed = hashPairs(changes);
    const order = sortedLatest(hashed.keyHashes);
    const keys = new Uint8Array(order.length * 32);
    const values = new Uint8Array(order.length * 32);
    const deleted = new Uint8Array(order.length);
    order.forEach((i, j) => {
      keys.set(hashed.keyHashes.subarray(i * 32, i * 32 + 32), j * 32);
      values.set(hashed.valueHashes.subarray(i * 32, i * 32 + 32), j * 32);
      deleted[j] = hashed.deleted[i];
    });
    return this.applySorted(keys, values, deleted);
  }

  /** Applies puts and deletes by key hash (later entries for a key win); returns the new root. */
  applyHashed(changes: Iterable<HashedChange>): Uint8Array {
    const list = Array.from(changes);
    const keyHashes = new Uint8Array(list.length * 32);
    list.forEach((c, i) => {
      assertHash(c.keyHash, `changes[${i}].keyHash`);
      if (c.valueHash !== null) assertHash(c.valueHash, `changes[${i}].valueHash`);
      keyHashes.set(c.keyHash, i * 32);
    });
    const order = sortedLatest(keyHashes);
    const keys = new Uint8Array(order.length * 32);
    const values = new Uint8Array(order.length * 32);
    const deleted = new Uint8Array(order.length);
    order.forEach((i, j) => {
      keys.set(list[i].keyHash, j * 32);
      const v = list[i].valueHash;
      if (v) values.set(v, j * 32);
      else deleted[j] = 1;
    });
    return this.applySorted(keys, values, deleted);
  }

  /** The value hash stored for `keyHash`, or null. */
  get(keyHash: Uint8Array): Uint8Array | null {
    assertHash(keyHash, 'keyHash');
    const found = this.leafOnPath(keyHash);
    return found !== null && this.keyEquals(found, keyHash) ? this.leafValues.slice(found * 32, found * 32 + 32) : null;
  }

  /** Leaves in key-hash order. */
  *entries(): Generator<Leaf> {
    const stack = this.rootRef === EMPTY ? [] : [this.rootRef];
    while (stack.length) {
      const ref = stack.pop()!;
      if (isLeaf(ref)) yield this.leafOf(leafId(ref));
      else stack.push(this.right[ref], this.left[ref]);
    }
  }

  /**
   * The SparseMerkleProof for `keyHash`: membership when the key is present, otherwise
   * non-membership (the leaf or empty subtree where the key would be).
   */
  prove(keyHash: Uint8Array): SparseMerkleProof {
    assertHash(keyHash, 'keyHash');
    const topDown: Uint8Array[] = [];
    let ref = this.rootRef;
    let d = 0;
    for (;;) {
      if (ref === EMPTY) return { leaf: null, siblings: topDown.reverse() };
      if (isLeaf(ref)) return { leaf: this.leafOf(leafId(ref)), siblings: topDown.reverse() };
      const at = this.depth[ref];
      const repKey = this.keyOf(this.rep[ref]);
      for (; d < at; d++) {
        if (bitAt(keyHash, d) !== bitAt(repKey, d)) {
          // The key leaves the branch's path here: its side is empty, the branch is the sibling.
          topDown.push(this.raisedHash(ref, d + 1));
          return { leaf: null, siblings: topDown.reverse() };
        }
        topDown.push(PLACEHOLDER_HASH);
      }
      const b = bitAt(keyHash, at);
      topDown.push(this.raisedHash(b ? this.left[ref] : this.right[ref], at + 1));
      ref = b ? this.right[ref] : this.left[ref];
      d = at + 1;
    }
  }

  /** The nearest leaves below and above `keyHash` in key-hash order (for ICS23 non-existence). */
  neighbors(keyHash: Uint8Array): { left: Leaf | null; right: Leaf | null } {
    assertHash(keyHash, 'keyHash');
    let below: number | null = null;
    let above: number | null = null;
    let ref = this.rootRef;
    // Walk down; whenever the key goes right, the left side's maximum is a candidate below.
    while (ref !== EMPTY) {
      if (isLeaf(ref)) {
        const c = compareBytes(this.keyOf(leafId(ref)), keyHash);
        if (c < 0) below = leafId(ref);
        if (c > 0) above = leafId(ref);
        break;
      }
      const repKey = this.keyOf(this.rep[ref]);
      const at = this.depth[ref];
      let diverged = false;
      for (let d = 0; d < at; d++) {
        const kb = bitAt(keyHash, d);
        if (kb !== bitAt(repKey, d)) {
          if (kb) below = this.extreme(ref, 1);
          else above = this.extreme(ref, 0);
          diverged = true;
          break;
        }
      }
      if (diverged) break;
      if (bitAt(keyHash, at)) {
        below = this.extreme(this.left[ref], 1);
        ref = this.right[ref];
      } else {
        above = this.extreme(this.right[ref], 0);
        ref = this.left[ref];
      }
    }
    return { left: below === null ? null : this.leafOf(below), right: above === null ? null : this.leafOf(above) };
  }

  // ---- batch update --------------------------------------------------------------------

  private applySorted(keys: Uint8Array, values: Uint8Array, deleted: Uint8Array): Uint8Array {
    this.dirtyLeaves = [];
    this.dirtyBranches = [];
    this.rootRef = this.update(this.rootRef, 0, keys, values, deleted, 0, deleted.length);
    this.rehash();
    return this.root;
  }

  /** The subtree that replaces `ref` (occupying the slot at `d`) after changes [lo, hi). */
  private update(ref: number, d: number, keys: Uint8Array, values: Uint8Array, deleted: Uint8Array, lo: number, hi: number): number {
    if (lo === hi) return ref;
    if (ref === EMPTY) return this.build(d, keys, values, deleted, lo, hi, -1);
    if (isLeaf(ref)) return this.build(d, keys, values, deleted, lo, hi, leafId(ref));
    const at = this.depth[ref];
    const repKey = this.keyOf(this.rep[ref]);
    // Changes that leave the branch's path above its split go beside it: recurse one level.
    // Keys are sorted, so the first and last change share the least with the branch's path.
    const firstDiff = Math.min(at, commonPrefix(keys, lo, repKey), commonPrefix(keys, hi - 1, repKey));
    if (firstDiff < at) {
      const mid = partition(keys, lo, hi, repKey, firstDiff);
      const branchOnRight = bitAt(repKey, firstDiff) === 1;
      const l = branchOnRight ? this.build(firstDiff + 1, keys, values, deleted, lo, mid, -1) : this.update(ref, firstDiff + 1, keys, values, deleted, lo, mid);
      const r = branchOnRight ? this.update(ref, firstDiff + 1, keys, values, deleted, mid, hi) : this.build(firstDiff + 1, keys, values, deleted, mid, hi, -1);
      return this.join(firstDiff, l, r, -1);
    }
    const mid = partition(keys, lo, hi, repKey, at);
    const l = this.update(this.left[ref], at + 1, keys, values, deleted, lo, mid);
    const r = this.update(this.right[ref], at + 1, keys, values, deleted, mid, hi);
    return this.join(at, l, r, ref);
  }

  /**
   * The subtree at depth `d` of the puts in [lo, hi) plus the existing leaf `keep` (-1: none).
   * A change to the kept leaf's own key updates or deletes it in place and is consumed.
   */
  private build(d: number, keys: Uint8Array, values: Uint8Array, deleted: Uint8Array, lo: number, hi: number, keep: number): number {
    if (keep >= 0) {
      const at = lowerBound(keys, lo, hi, this.keyOf(keep));
      if (at < hi && compareRange(keys, at, this.keyOf(keep)) === 0) {
        if (deleted[at]) {
          this.leaves.release(keep);
          this.size_--;
          keep = -1;
        } else if (!equalRange(values, at, this.leafValues, keep)) {
          this.leafValues.set(values.subarray(at * 32, at * 32 + 32), keep * 32);
          this.dirtyLeaves.push(keep);
        }
        deleted[at] = 1; // consumed
      }
    }
    return keep >= 0 ? this.buildWithLeaf(d, keys, values, deleted, lo, hi, keep) : this.buildPuts(d, keys, values, deleted, lo, hi);
  }

  /** The subtree at depth `d` of the puts in [lo, hi) (none with the leaf's key) and leaf `keep`. */
  private buildWithLeaf(d: number, keys: Uint8Array, values: Uint8Array, deleted: Uint8Array, lo: number, hi: number, keep: number): number {
    const [first, last] = putRange(deleted, lo, hi);
    if (first < 0) return ~keep;
    const k = this.keyOf(keep);
    const low = compareRange(keys, first, k) < 0 ? keys.subarray(first * 32, first * 32 + 32) : k;
    const high = compareRange(keys, last, k) > 0 ? keys.subarray(last * 32, last * 32 + 32) : k;
    const split = prefixBits(low, high);
    const mid = partition(keys, lo, hi, k, split);
    if (bitAt(k, split)) {
      return this.join(split, this.buildPuts(split + 1, keys, values, deleted, lo, mid),
        this.buildWithLeaf(split + 1, keys, values, deleted, mid, hi, keep), -1);
    }
    return this.join(split, this.buildWithLeaf(split + 1, keys, values, deleted, lo, mid, keep),
      this.buildPuts(split + 1, keys, values, deleted, mid, hi), -1);
  }

  /** The subtree at depth `d` of the puts (deletes skipped) in [lo, hi). */
  private buildPuts(d: number, keys: Uint8Array, values: Uint8Array, deleted: Uint8Array, lo: number, hi: number): number {
    const [first, last] = putRange(deleted, lo, hi);
    if (first < 0) return EMPTY;
    if (first === last) return ~this.newLeaf(keys, values, first);
    const k = keys.subarray(first * 32, first * 32 + 32);
    const split = prefixBits(k, keys.subarray(last * 32, last * 32 + 32));
    const mid = partition(keys, lo, hi, k, split);
    return this.join(split, this.buildPuts(split + 1, keys, values, deleted, lo, mid), this.buildPuts(split + 1, keys, values, deleted, mid, hi), -1);
  }

  /** The node at depth `d` with children l and r (either may be empty), reusing branch `reuse`. */
  private join(d: number, l: number, r: number, reuse: number): number {
    if (l === EMPTY || r === EMPTY) {
      if (reuse >= 0) this.branches.release(reuse);
      return l === EMPTY ? r : l;
    }
    const id = reuse >= 0 ? reuse : this.branches.alloc();
    this.left[id] = l;
    this.right[id] = r;
    this.depth[id] = d;
    this.rep[id] = isLeaf(l) ? leafId(l) : this.rep[l];
    this.dirtyBranches.push(id);
    return id;
  }

  private newLeaf(keys: Uint8Array, values: Uint8Array, i: number): number {
    const id = this.leaves.alloc();
    this.leafKeys.set(keys.subarray(i * 32, i * 32 + 32), id * 32);
    this.leafValues.set(values.subarray(i * 32, i * 32 + 32), id * 32);
    this.dirtyLeaves.push(id);
    this.size_++;
    return id;
  }

  // ---- hashing -------------------------------------------------------------------------

  /**
   * Rehashes what the batch touched. Every dirty branch needs its two children's hashes raised
   * (through placeholder levels) to its depth + 1, then one internal hash; all the work at one
   * level is independent, so each level is one batch for the core, deepest level first.
   */
  private rehash(): void {
    const core = backend().jmt;
    if (this.dirtyLeaves.length) {
      const packed = new Uint8Array(this.dirtyLeaves.length * 64);
      this.dirtyLeaves.forEach((id, i) => {
        packed.set(this.leafKeys.subarray(id * 32, id * 32 + 32), i * 64);
        packed.set(this.leafValues.subarray(id * 32, id * 32 + 32), i * 64 + 32);
      });
      const hashes = core.leafHashes(packed);
      this.dirtyLeaves.forEach((id, i) => this.leafHashes.set(hashes.subarray(i * 32, i * 32 + 32), id * 32));
    }
    const dirty = this.dirtyBranches;
    // Chains: the value of one child on its way up to its parent's depth + 1.
    const chains = new Uint8Array(dirty.length * 2 * 32);
    const chainOfBranch = new Map<number, number>();
    const levels: Array<Array<number>> = Array.from({ length: 257 }, () => []);
    // Work item encoding: chain index * 2 (a raise) or dirty index * 2 + 1 (a merge).
    dirty.forEach((id, i) => {
      const d = this.depth[id];
      levels[d].push(i * 2 + 1);
      [this.left[id], this.right[id]].forEach((child, side) => {
        const chain = i * 2 + side;
        if (isLeaf(child)) {
          chains.set(this.leafHashes.subarray(leafId(child) * 32, leafId(child) * 32 + 32), chain * 32);
          return;
        }
        chainOfBranch.set(child, chain);
        chains.set(this.branchHashes.subarray(child * 32, child * 32 + 32), chain * 32);
        for (let l = this.depth[child] - 1; l > d; l--) levels[l].push(chain * 2);
      });
    });
    const rootChain = this.rootRef !== EMPTY && !isLeaf(this.rootRef);
    for (let l = 256; l >= 0; l--) {
      const items = levels[l];
      if (items.length === 0) continue;
      const pairs = new Uint8Array(items.length * 64);
      items.forEach((item, j) => {
        if (item & 1) {
          const i = item >> 1;
          pairs.set(chains.subarray(i * 64, i * 64 + 64), j * 64);
        } else {
          const chain = item >> 1;
          const value = chains.subarray(chain * 32, chain * 32 + 32);
          const owner = dirty[chain >> 1];
          const child = (chain & 1) ? this.right[owner] : this.left[owner];
          const onRight = bitAt(this.keyOf(this.rep[child]), l) === 1;
          pairs.set(onRight ? PLACEHOLDER_HASH : value, j * 64);
          pairs.set(onRight ? value : PLACEHOLDER_HASH, j * 64 + 32);
        }
      });
      const out = core.internalHashes(pairs);
      items.forEach((item, j) => {
        const h = out.subarray(j * 32, j * 32 + 32);
        if (item & 1) {
          const id = dirty[item >> 1];
          this.branchHashes.set(h, id * 32);
          const chain = chainOfBranch.get(id);
          if (chain !== undefined) chains.set(h, chain * 32);
        } else {
          chains.set(h, (item >> 1) * 32);
        }
      });
    }
    this.rootHash = this.rootRef === EMPTY ? PLACEHOLDER_HASH : rootChain ? this.raisedHash(this.rootRef, 0) : this.leafHashOf(leafId(this.rootRef));
  }

  /** Hash of the subtree `ref` as seen from depth `d` (placeholder levels above a branch). */
  private raisedHash(ref: number, d: number): Uint8Array {
    if (isLeaf(ref)) return this.leafHashOf(leafId(ref));
    let h: Uint8Array = this.branchHashes.slice(ref * 32, ref * 32 + 32);
    const repKey = this.keyOf(this.rep[ref]);
    const steps = this.depth[ref] - d;
    if (steps <= 0) return h;
    const core = backend().jmt;
    const pair = new Uint8Array(64);
    for (let l = this.depth[ref] - 1; l >= d; l--) {
      const onRight = bitAt(repKey, l) === 1;
      pair.set(onRight ? PLACEHOLDER_HASH : h, 0);
      pair.set(onRight ? h : PLACEHOLDER_HASH, 32);
      h = core.internalHashes(pair);
    }
    return h;
  }

  // ---- small helpers -------------------------------------------------------------------

  private keyOf(leaf: number): Uint8Array {
    return this.leafKeys.subarray(leaf * 32, leaf * 32 + 32);
  }

  private leafHashOf(leaf: number): Uint8Array {
    return this.leafHashes.slice(leaf * 32, leaf * 32 + 32);
  }

  private leafOf(leaf: number): Leaf {
    return { keyHash: this.leafKeys.slice(leaf * 32, leaf * 32 + 32), valueHash: this.leafValues.slice(leaf * 32, leaf * 32 + 32) };
  }

  private keyEquals(leaf: number, keyHash: Uint8Array): boolean {
    return compareBytes(this.keyOf(leaf), keyHash) === 0;
  }

  /** The leaf where a walk along `keyHash` ends, or null (an empty subtree). */
  private leafOnPath(keyHash: Uint8Array): number | null {
    let ref = this.rootRef;
    while (ref !== EMPTY && !isLeaf(ref)) ref = bitAt(keyHash, this.depth[ref]) ? this.right[ref] : this.left[ref];
    return ref === EMPTY ? null : leafId(ref);
  }

  /** Leftmost (side 0) or rightmost (side 1) leaf of a subtree. */
  private extreme(ref: number, side: number): number {
    while (!isLeaf(ref)) ref = side ? this.right[ref] : this.left[ref];
    return leafId(ref);
  }
}

/**
 * Index of the first key in sorted [lo, hi) at or above the boundary between the two halves of
 * the node at depth `bit` on `path`'s path: `path`'s first `bit` bits, a 1, then zeros. Keys of
 * absent-key deletes that leave the path may land on either side; they are no-ops anyway.
 */
function partition(keys: Uint8Array, lo: number, hi: number, path: Uint8Array, bit: number): number {
  const boundary = new Uint8Array(32);
  boundary.set(path.subarray(0, bit >> 3));
  if (bit < 256) boundary[bit >> 3] = (path[bit >> 3] & ~(0xff >> (bit & 7))) | (0x80 >> (bit & 7));
  return lowerBound(keys, lo, hi, boundary);
}

/** First index in sorted [lo, hi) whose key is ≥ k. */
function lowerBound(keys: Uint8Array, lo: number, hi: number, k: Uint8Array): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRange(keys, mid, k) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First and last put (non-delete) in [lo, hi), or [-1, -1]. */
function putRange(deleted: Uint8Array, lo: number, hi: number): [number, number] {
  let first = lo;
  while (first < hi && deleted[first]) first++;
  if (first === hi) return [-1, -1];
  let last = hi - 1;
  while (deleted[last]) last--;
  return [first, last];
}

function prefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let j = 0; j < 32; j++) {
    const x = a[j] ^ b[j];
    if (x) return j * 8 + Math.clz32(x) - 24;
  }
  return 256;
}

function commonPrefix(keys: Uint8Array, i: number, k: Uint8Array): number {
  return prefixBits(keys.subarray(i * 32, i * 32 + 32), k);
}

function compareRange(keys: Uint8Array, i: number, k: Uint8Array): number {
  for (let j = 0; j < 32; j++) {
    const x = keys[i * 32 + j] - k[j];
    if (x) return x;
  }
  return 0;
}

function equalRange(values: Uint8Array, i: number, store: Uint8Array, id: number): boolean {
  for (let j = 0; j < 32; j++) if (values[i * 32 + j] !== store[id * 32 + j]) return false;
  return true;
}

