// Merging a chunk's leaves with sorted changes, without an object per leaf: what a height does to
// one chunk, shared by the apply that writes files (./rechunk.ts) and the one that only tracks
// roots between writes (./pending.ts). Leaves are the leaf-hash index's 68-byte records
// (./leaf-hashes.ts); a merged leaf says where it came from — a leaf of an old chunk, or a change.
import { compareBytes } from '../bytes.js';
import { fromHex } from '../hex.js';
import { firstAtLeast } from '../search.js';
import type { Manifest } from '../format/manifest.js';
import { cachedSubtree, type CoverNode, type KnownSubtree } from '../tree/range/cover.js';
import { encodeLeafHashes, LEAF_HASH_RECORD } from './leaf-hashes.js';
import type { ChunkNodes } from './chunk-nodes.js';

/** One change, hashed, in key-hash order. */
export interface SortedChange {
  keyHash: Uint8Array;
  key: Uint8Array;
  value: Uint8Array | null;
  valueHash: Uint8Array;
}

/** Key and value bytes of a change's leaf (0 for a delete). */
export const changeSize = (ch: SortedChange): number => (ch.value ? ch.key.length + ch.value.length : 0);

/** Each change's leaf-hash record, so a new leaf goes through the same path as a kept one. */
export function changeRecords(changes: readonly SortedChange[]): Uint8Array {
  return encodeLeafHashes(changes.map((ch) => ({ ...ch, size: changeSize(ch) })));
}

/** For each chunk of `manifest`, the changes [start, end) in its key range. */
export function changeSpans(manifest: Manifest, changes: readonly SortedChange[]): Array<[number, number]> {
  let c = 0;
  return manifest.chunks.map((entry) => {
    const hi = fromHex(entry.hi);
    const start = c;
    while (c < changes.length && compareBytes(changes[c].keyHash, hi) <= 0) c++;
    return [start, c];
  });
}

/** -1, 0 or 1 as key hash `a` sorts before, equal to or after the one at `bytes[at, at + 32)`. */
export function compareAt(a: Uint8Array, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 32; i++) {
    if (a[i] !== bytes[at + i]) return a[i] < bytes[at + i] ? -1 : 1;
  }
  return 0;
}

/** Whether put `ch` leaves the leaf record at `records[at]` (same key) as it is: same value hash and size. */
export function keepsLeaf(ch: SortedChange, records: Uint8Array, at: number): boolean {
  return ch.value !== null && compareAt(ch.valueHash, records, at + 32) === 0
    && changeSize(ch) === new DataView(records.buffer, records.byteOffset + at + 64, 4).getUint32(0, true);
}

/**
 * Receives merged leaves in key-hash order: the record at `src[at, at + 68)`, and its origin —
 * leaf `index` of old chunk `from`, or change `index` when `from` is -1 — and its size.
 */
export type LeafSink = (src: Uint8Array, at: number, from: number, index: number, size: number) => void;

/**
 * The leaves of old chunk `chunk` (`records`) merged with changes [start, end) (`recordsOfChanges`
 * their records): deletes drop a leaf, puts add or replace one, and a put equal to the leaf it
 * replaces keeps the old leaf, so its chunk can still be kept.
 */
export function mergeChunk(records: Uint8Array, chunk: number, changes: readonly SortedChange[], recordsOfChanges: Uint8Array,
  start: number, end: number, emit: LeafSink): void {
  const sizes = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const n = records.length / LEAF_HASH_RECORD;
  let i = 0;
  let c = start;
  while (i < n || c < end) {
    const at = i * LEAF_HASH_RECORD;
    const order = c === end ? 1 : i === n ? -1 : compareAt(changes[c].keyHash, records, at);
    if (order > 0) {
      emit(records, at, chunk, i++, sizes.getUint32(at + 64, true));
      continue;
    }
    const ch = changes[c++];
    const size = changeSize(ch);
    if (order === 0) {
      if (keepsLeaf(ch, records, at)) emit(records, at, chunk, i, size);
      else if (ch.value) emit(recordsOfChanges, (c - 1) * LEAF_HASH_RECORD, -1, c - 1, size);
      i++;
    } else if (ch.value) {
      emit(recordsOfChanges, (c - 1) * LEAF_HASH_RECORD, -1, c - 1, size);
    }
  }
}

/**
 * Merged leaves: their records (exactly count × LEAF_HASH_RECORD bytes: a new chunk's index file
 * as it is) and where each key and value come from — leaf `index[i]` of old chunk `from[i]`, or
 * change `index[i]` when `from[i]` is -1.
 */
export interface CutChunk {
  records: Uint8Array;
  from: Int32Array;
  index: Int32Array;
  count: number;
}

/** Indexes, ascending, of the leaves of `cut` that come from a change. */
export function changedLeaves({ from, count }: CutChunk): number[] {
  const changed: number[] = [];
  for (let i = 0; i < count; i++) if (from[i] < 0) changed.push(i);
  return changed;
}

/**
 * Merged leaves collected without an object per leaf (a chunk holds thousands, and a height of
 * scattered changes touches most chunks): records are copied in runs.
 */
export class LeafTable {
  records = new Uint8Array(LEAF_HASH_RECORD * 1024);
  from = new Int32Array(1024);
  index = new Int32Array(1024);
  count = 0;
  /** Records are copied in runs: the run's source, its first record there, and leaves in it. */
  private runSrc?: Uint8Array;
  private runAt = 0;
  private runCount = 0;

  push(src: Uint8Array, at: number, from: number, index: number): void {
    if (this.count === this.from.length) this.grow();
    if (src !== this.runSrc || at !== this.runAt + this.runCount * LEAF_HASH_RECORD) {
      this.flush();
      this.runSrc = src;
      this.runAt = at;
    }
    this.runCount++;
    this.from[this.count] = from;
    this.index[this.count] = index;
    this.count++;
  }

  /** The table's leaves, copied out; the table is then empty. */
  take(): CutChunk {
    this.flush();
    const n = this.count;
    this.count = 0;
    return { records: this.records.slice(0, n * LEAF_HASH_RECORD), from: this.from.slice(0, n), index: this.index.slice(0, n), count: n };
  }

  private flush(): void {
    if (this.runCount === 0) return;
    const at = (this.count - this.runCount) * LEAF_HASH_RECORD;
    this.records.set(this.runSrc!.subarray(this.runAt, this.runAt + this.runCount * LEAF_HASH_RECORD), at);
    this.runCount = 0;
    this.runSrc = undefined;
  }

  private grow(): void {
    this.flush();
    const n = this.from.length * 2;
    const records = new Uint8Array(n * LEAF_HASH_RECORD);
    records.set(this.records);
    const from = new Int32Array(n);
    from.set(this.from);
    const index = new Int32Array(n);
    index.set(this.index);
    Object.assign(this, { records, from, index });
  }
}

/** Index of the node at `depth` whose key is `key` among `nodes` sorted by key, then depth; -1 if none. */
function findNode(nodes: readonly CoverNode[], depth: number, key: Uint8Array): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(nodes[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < nodes.length && nodes[i].depth <= depth && compareBytes(nodes[i].key, key) === 0; i++) {
    if (nodes[i].depth === depth) return i;
  }
  return -1;
}

/**
 * The subtrees chunk covers know, looked up by depth and first key. A subtree's hash depends only
 * on the leaves under it, so a cover's subtree — cached, or one of its inner ones — can stand in
 * for the same subtree of a merged chunk whenever it holds the same leaves.
 */
export class CoverCaches {
  /** `covers[k]` describes chunk k's leaves: old chunk k's, or (see `known`) chunk k's after the changes. */
  constructor(private readonly covers: readonly ChunkNodes[]) {}

  /**
   * The subtree of chunk `chunk`'s cover at `depth` starting with `key` and holding `count`
   * leaves, if known: a cached one with its cached descendants (pre-order), else an inner one.
   */
  find(chunk: number, depth: number, key: Uint8Array, count: number): CoverNode[] | undefined {
    const { cache, inner } = this.covers[chunk].cover;
    // A cover's cache is in pre-order, its inner subtrees in key order: both sorted by key, then depth.
    const i = findNode(cache, depth, key);
    if (i >= 0) return cache[i].count === count ? cachedSubtree(cache, i) : undefined;
    const j = findNode(inner, depth, key);
    return j >= 0 && inner[j].count === count ? [inner[j]] : undefined;
  }

  /**
   * Subtrees of the merged leaves `records` that the cover of the chunk their first leaf falls in
   * (`chunkOf`) knows, with as many leaves: the same leaves, so the known hashes hold — unless a
   * leaf among them is one of `changed` (indexes, ascending). Without `changed`, the covers must
   * describe their chunks' leaves after the changes (./pending.ts keeps such covers): a known
   * subtree holds every leaf under its prefix (it lies inside its chunk's key range), and those
   * leaves are the merged ones, changed leaves included.
   */
  known(records: Uint8Array, chunkOf: (leaf: number) => number, changed?: readonly number[]): KnownSubtree {
    return (depth, start, end) => {
      if (changed) {
        const next = firstAtLeast(changed, start);
        if (next < changed.length && changed[next] < end) return undefined;
      }
      return this.find(chunkOf(start), depth, records.subarray(start * LEAF_HASH_RECORD, start * LEAF_HASH_RECORD + 32), end - start);
    };
  }
}
