// Heights applied without writing files: the root of each height, for the checks a changeset
// states, while the files are written once for the last of them (./rechunk.ts, with the covers
// kept here). A node catching up, or checkpointing every N heights, pays the chunk files once per
// write instead of once per height. The root does not depend on where chunks end, so between
// writes the old checkpoint's chunks stay the partition: per touched chunk its leaf records after
// the heights so far, edited in place, and their cover, rehashing only the subtrees a height's
// changes fall in. Memory: the records of every touched chunk (68 bytes per leaf) and the
// changes, `bytes`; the caller writes when they pass its budget.
import type { Store } from '../store/store.js';
import type { Manifest } from '../format/manifest.js';
import { coverRoot } from '../tree/range/cover.js';
import { LEAF_HASH_RECORD, loadLeafHashes } from './leaf-hashes.js';
import { chunkNodesOf, loadCovers, type ChunkNodes } from './chunk-nodes.js';
import { changeRecords, changeSpans, compareAt, CoverCaches, keepsLeaf, type SortedChange } from './leaf-merge.js';
import { sortedLatest } from '../tree/sort.js';

/** Leaves a held chunk has room for beyond its own, so most heights insert without reallocating. */
const ROOM = 64;

/** A chunk's leaf records, edited in place: a height moves the records after each change, allocating nothing. */
class HeldLeaves {
  private buf: Uint8Array;
  count: number;

  constructor(records: Uint8Array) {
    this.count = records.length / LEAF_HASH_RECORD;
    this.buf = new Uint8Array(records.length + ROOM * LEAF_HASH_RECORD);
    this.buf.set(records);
  }

  get records(): Uint8Array {
    return this.buf.subarray(0, this.count * LEAF_HASH_RECORD);
  }

  get capacity(): number {
    return this.buf.length;
  }

  /**
   * Applies changes [start, end) (sorted by key hash, all in this chunk's range; their records in
   * `recordsOfChanges`); returns the indexes, ascending, of the leaves they added or replaced.
   */
  apply(changes: readonly SortedChange[], recordsOfChanges: Uint8Array, start: number, end: number): number[] {
    const landed: number[] = [];
    let from = 0;
    for (let c = start; c < end; c++) {
      const ch = changes[c];
      const i = this.lowerBound(ch.keyHash, from);
      const at = i * LEAF_HASH_RECORD;
      const found = i < this.count && compareAt(ch.keyHash, this.buf, at) === 0;
      from = i;
      if (!ch.value) {
        if (found) this.buf.copyWithin(at, at + LEAF_HASH_RECORD, this.count-- * LEAF_HASH_RECORD);
        continue;
      }
      if (found && keepsLeaf(ch, this.buf, at)) continue;
      if (!found) this.makeRoom(i);
      this.buf.set(recordsOfChanges.subarray(c * LEAF_HASH_RECORD, (c + 1) * LEAF_HASH_RECORD), at);
      landed.push(i);
      from = i + 1;
    }
    return landed;
  }

  /** The first leaf at or after `from` whose key hash is not below `keyHash`. */
  private lowerBound(keyHash: Uint8Array, from: number): number {
    let lo = from;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAt(keyHash, this.buf, mid * LEAF_HASH_RECORD) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A free record at index `i`, the ones from `i` on moved up by one. */
  private makeRoom(i: number): void {
    const used = this.count * LEAF_HASH_RECORD;
    if (used + LEAF_HASH_RECORD > this.buf.length) {
      const grown = new Uint8Array(used + (ROOM + (this.count >>> 3)) * LEAF_HASH_RECORD);
      grown.set(this.buf.subarray(0, used));
      this.buf = grown;
    }
    this.buf.copyWithin((i + 1) * LEAF_HASH_RECORD, i * LEAF_HASH_RECORD, used);
    this.count++;
  }
}

/** One height's changes, packed: their leaf-hash records, and keys and values back to back. */
class HeldChanges {
  private readonly bytes: Uint8Array;
  /** Per change: where its key starts in `bytes`, its key length, and its value length (-1: a delete). */
  private readonly layout: Int32Array;

  constructor(changes: readonly SortedChange[], readonly records: Uint8Array) {
    let total = 0;
    for (const ch of changes) total += ch.key.length + (ch.value?.length ?? 0);
    this.bytes = new Uint8Array(total);
    this.layout = new Int32Array(changes.length * 3);
    let at = 0;
    changes.forEach((ch, i) => {
      this.bytes.set(ch.key, at);
      if (ch.value) this.bytes.set(ch.value, at + ch.key.length);
      this.layout.set([at, ch.key.length, ch.value ? ch.value.length : -1], i * 3);
      at += ch.key.length + (ch.value?.length ?? 0);
    });
  }

  get count(): number {
    return this.layout.length / 3;
  }

  get byteLength(): number {
    return this.bytes.length + this.layout.byteLength + this.records.length;
  }

  change(i: number): SortedChange {
    const [at, keyLength, valueLength] = this.layout.subarray(i * 3, i * 3 + 3);
    const r = i * LEAF_HASH_RECORD;
    return {
      keyHash: this.records.subarray(r, r + 32), valueHash: this.records.subarray(r + 32, r + 64), key: this.bytes.subarray(at, at + keyLength),
      value: valueLength < 0 ? null : this.bytes.subarray(at + keyLength, at + keyLength + valueLength),
    };
  }
}

export class PendingHeights {
  /** Per old chunk, its cover after the heights applied so far. */
  readonly covers: ChunkNodes[];
  /** Leaves of the chunks the heights touched, after them. */
  private readonly held = new Map<number, HeldLeaves>();
  /** Every height's changes, in height order (the last change to a key wins). */
  private readonly changesOf: HeldChanges[] = [];
  private heldBytes = 0;
  private changeBytes = 0;

  /** `base`: the old checkpoint's covers. */
  private constructor(private readonly store: Store, readonly manifest: Manifest, readonly base: ChunkNodes[]) {
    this.covers = [...base];
  }

  /** Pending heights on top of the checkpoint `manifest` (id `id`) the store holds. */
  static async open(store: Store, manifest: Manifest, id: string): Promise<PendingHeights> {
    return new PendingHeights(store, manifest, await loadCovers(store, manifest, id));
  }

  /** Heights applied. */
  get heights(): number {
    return this.changesOf.length;
  }

  /** Memory held: touched chunks' records and the changes. */
  get bytes(): number {
    return this.heldBytes + this.changeBytes;
  }

  /** Applies one height's changes (sorted by key hash, one per key); returns the root after it. */
  async apply(changes: readonly SortedChange[]): Promise<Uint8Array> {
    const spans = changeSpans(this.manifest, changes);
    const recordsOfChanges = changeRecords(changes);
    const caches = new CoverCaches(this.covers);
    for (const [k, [start, end]] of spans.entries()) {
      if (start === end) continue;
      let leaves = this.held.get(k);
      if (!leaves) {
        leaves = new HeldLeaves(await loadLeafHashes(this.store, this.manifest.chunks[k], k));
        this.held.set(k, leaves);
        this.heldBytes += leaves.capacity;
      }
      const before = leaves.capacity;
      const landed = leaves.apply(changes, recordsOfChanges, start, end);
      this.heldBytes += leaves.capacity - before;
      const { records } = leaves;
      this.covers[k] = chunkNodesOf(records, caches.known(records, () => k, landed));
    }
    const held = new HeldChanges(changes, recordsOfChanges);
    this.changesOf.push(held);
    this.changeBytes += held.byteLength;
    return coverRoot(this.covers.map((c) => c.cover));
  }

  /** The net changes of every height applied, sorted by key hash: the last change to each key. */
  changes(): SortedChange[] {
    const total = this.changesOf.reduce((n, h) => n + h.count, 0);
    const keyHashes = new Uint8Array(total * 32);
    const height = new Uint32Array(total);
    const index = new Uint32Array(total);
    let n = 0;
    for (const [h, held] of this.changesOf.entries()) {
      for (let i = 0; i < held.count; i++, n++) {
        keyHashes.set(held.records.subarray(i * LEAF_HASH_RECORD, i * LEAF_HASH_RECORD + 32), n * 32);
        height[n] = h;
        index[n] = i;
      }
    }
    return Array.from(sortedLatest(keyHashes), (k) => this.changesOf[height[k]].change(index[k]));
  }
}
