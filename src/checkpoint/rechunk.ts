// A checkpoint with one height's changes, written as a fresh create of the new state would write
// it, touching only what changed. The old leaves merged with the sorted changes go through the
// same chunk splitter as creation — but only from a chunk a change falls in until a new boundary
// falls on an old one: a chunk no change touches, reached at a boundary, comes out as it was
// (its boundaries depend only on its own leaves, ./splitter.ts), so it is kept whole without
// reading a leaf. Leaves come from the leaf-hash index (./leaf-hashes.ts); keys and values are
// read only for the chunk files written. The root and every chunk's range proof come from the
// chunks' covers (one file per checkpoint, ./chunk-nodes.ts; src/tree/range/cover.ts): a height
// costs the touched chunks' leaves plus O(chunks × depth). Nothing is switched here (./apply.ts
// does that).
import type { Store } from '../store/store.js';
import { WriteWindow } from '../store/write-window.js';
import { compareBytes } from '../bytes.js';
import { fromHex, toHex } from '../hex.js';
import { sha256Whole } from '../hash/sha256.js';
import { spliceChunk, type ChunkPiece } from '../format/chunk.js';
import type { ChunkLayout } from '../core/chunk.js';
import type { Manifest } from '../format/manifest.js';
import { cachedSubtree, coverProofs, type KnownSubtree } from '../tree/range/cover.js';
import { LeafSplitter } from './splitter.js';
import { encodeLeafHashes, LEAF_HASH_RECORD, leafHashesPath, loadLeafHashes, readChunkLayout } from './leaf-hashes.js';
import { chunkNodesOf, coversPath, encodeCovers, loadCovers, type ChunkNodes } from './chunk-nodes.js';
import { writeProofs, type ChunkFile, type WrittenCheckpoint } from './writer.js';

/** One change, hashed, in key-hash order. */
export interface SortedChange {
  keyHash: Uint8Array;
  key: Uint8Array;
  value: Uint8Array | null;
  valueHash: Uint8Array;
}

/** Files per store.put while writing chunks: one batch is written while the next is computed. */
const WRITE_BATCH = 24;

/** For each old chunk, the changes [start, end) in its key range. */
function changeSpans(manifest: Manifest, changes: readonly SortedChange[]): Array<[number, number]> {
  let c = 0;
  return manifest.chunks.map((entry) => {
    const hi = fromHex(entry.hi);
    const start = c;
    while (c < changes.length && compareBytes(changes[c].keyHash, hi) <= 0) c++;
    return [start, c];
  });
}

/** -1, 0 or 1 as key hash `a` sorts before, equal to or after the one at `bytes[at, at + 32)`. */
function compareAt(a: Uint8Array, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 32; i++) {
    if (a[i] !== bytes[at + i]) return a[i] < bytes[at + i] ? -1 : 1;
  }
  return 0;
}

/**
 * The leaves of a new chunk without an object per leaf (a chunk holds thousands, and a height of
 * scattered changes rewrites most chunks): each leaf's leaf-hash record — the new chunk's index
 * file as it is — and where its key and value come from: leaf `index[i]` of old chunk `from[i]`,
 * or change `index[i]` when `from[i]` is -1.
 */
class LeafTable {
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

/** A cut chunk: its leaves' records (exactly count × LEAF_HASH_RECORD bytes) and origins. */
interface CutChunk {
  records: Uint8Array;
  from: Int32Array;
  index: Int32Array;
  count: number;
}

export interface RechunkOptions {
  store: Store;
  /** The checkpoint the store holds, and its id. */
  manifest: Manifest;
  id: string;
  /** Sorted by key hash, one per key. */
  changes: readonly SortedChange[];
  /** The new checkpoint's version. */
  version: number;
  /** Compute the new checkpoint, write nothing (not even missing index or node files). */
  dryRun?: boolean;
}

/** The new checkpoint: its chunk, index, node and proof files written (unless dryRun), nothing switched. */
export async function rechunk({ store, manifest, id, changes, version, dryRun = false }: RechunkOptions): Promise<WrittenCheckpoint> {
  const old = manifest.chunks;
  const covers = await loadCovers(store, manifest, id, dryRun);
  const splitter = new LeafSplitter(manifest.chunking);
  const spans = changeSpans(manifest, changes);
  const out: Array<{ file: ChunkFile; nodes: ChunkNodes }> = [];
  let chunksWritten = 0;
  let bytesWritten = 0;
  const put = async (entries: Array<[string, Uint8Array]>) => {
    if (!dryRun) await store.put(entries);
    for (const [, bytes] of entries) bytesWritten += bytes.length;
  };
  let queued: Array<[string, Uint8Array]> = [];
  // One batch in flight while the next is computed.
  const writes = new WriteWindow({ put }, 2);
  const write = async (force: boolean) => {
    if (queued.length < WRITE_BATCH && !(force && queued.length > 0)) return;
    const batch = queued;
    queued = [];
    await writes.put(batch);
  };

  // Each change's leaf-hash record, so a new leaf goes through the same path as a kept one.
  const changeRecords = encodeLeafHashes(changes.map((ch) => ({ ...ch, size: ch.value ? ch.key.length + ch.value.length : 0 })));

  // Old chunk files whose keys and values a new chunk copies (a new chunk spans few old ones).
  const decoded = new Map<number, { bytes: Uint8Array; layout: ChunkLayout }>();
  const oldChunk = async (chunk: number) => {
    let got = decoded.get(chunk);
    if (!got) {
      if (decoded.size >= 3) decoded.delete(decoded.keys().next().value!);
      got = await readChunkLayout(store, old[chunk], chunk);
      decoded.set(chunk, got);
    }
    return got;
  };

  /** The chunk file of `cut`: old leaves copied from their chunk files in runs, new ones from the changes. */
  const encode = async (cut: CutChunk): Promise<Uint8Array> => {
    const { records, from, index, count } = cut;
    const sizes = new DataView(records.buffer, records.byteOffset, records.byteLength);
    let leafBytes = 0;
    for (let i = 0; i < count; i++) leafBytes += sizes.getUint32(i * LEAF_HASH_RECORD + 64, true);
    const pieces: ChunkPiece[] = [];
    for (let i = 0; i < count;) {
      if (from[i] < 0) {
        const { key, value } = changes[index[i++]];
        pieces.push({ key, value: value! });
        continue;
      }
      // A run of consecutive leaves of one old chunk.
      let j = i + 1;
      while (j < count && from[j] === from[i] && index[j] === index[j - 1] + 1) j++;
      pieces.push({ ...await oldChunk(from[i]), from: index[i], to: index[j - 1] + 1 });
      i = j;
    }
    return spliceChunk(pieces, count, leafBytes);
  };

  // A subtree an old chunk's cover cached, with exactly its old leaves, unchanged, need not be
  // hashed again: a changed chunk rehashes only the subtrees on its changes' paths.
  const cacheIndexes = new Map<number, Map<string, number>>();
  const cacheIndex = (chunk: number) => {
    let index = cacheIndexes.get(chunk);
    if (!index) {
      index = new Map(covers[chunk].cover.cache.map((node, i) => [`${node.depth}:${toHex(node.key)}`, i]));
      cacheIndexes.set(chunk, index);
    }
    return index;
  };
  const knownIn = ({ records, from, count }: CutChunk): KnownSubtree => {
    const added = new Uint32Array(count + 1);
    for (let i = 0; i < count; i++) added[i + 1] = added[i] + (from[i] < 0 ? 1 : 0);
    return (depth, start, end) => {
      // Only old leaves, and as many as the cached subtree at this prefix held: the same leaves.
      if (added[end] !== added[start]) return undefined;
      const chunk = from[start];
      const key = records.subarray(start * LEAF_HASH_RECORD, start * LEAF_HASH_RECORD + 32);
      const i = cacheIndex(chunk).get(`${depth}:${toHex(key)}`);
      const cache = covers[chunk].cover.cache;
      return i !== undefined && cache[i].count === end - start ? cachedSubtree(cache, i) : undefined;
    };
  };

  const writeChunk = async (cut: CutChunk) => {
    const { from, index, count } = cut;
    const first = from[0];
    if (count > 0 && first >= 0 && old[first].leaves === count) {
      let same = true;
      for (let i = 0; i < count && same; i++) same = from[i] === first && index[i] === i;
      if (same) {
        out.push({ file: old[first], nodes: covers[first] });
        return;
      }
    }
    const bytes = await encode(cut);
    const digest = toHex(await sha256Whole(bytes));
    const nodes = chunkNodesOf(cut.records, knownIn(cut));
    queued.push([`chunks/${digest}`, bytes], [leafHashesPath(digest), cut.records]);
    chunksWritten++;
    out.push({ file: { digest, size: bytes.length, leaves: count }, nodes });
    await write(false);
  };

  const table = new LeafTable();
  const cut: CutChunk[] = [];
  const endChunk = () => {
    cut.push(table.take());
    splitter.reset();
  };
  const add = (src: Uint8Array, at: number, from: number, index: number, size: number) => {
    if (splitter.endsBefore(size)) endChunk();
    table.push(src, at, from, index);
    if (splitter.add(size, src, at)) endChunk();
  };

  for (const [k, entry] of old.entries()) {
    const [start, end] = spans[k];
    if (start === end && table.count === 0) {
      // At a boundary, an untouched chunk ends where it ended before if it ended by content, is
      // the last, or the leaf after it (the next chunk's first) is unchanged.
      const nodes = covers[k];
      const { last } = nodes.cover;
      const next = spans[k + 1];
      if (!next || next[0] === next[1] || (last && splitter.endsAfter(entry.size, nodes.lastSize, last.keyHash))) {
        out.push({ file: entry, nodes });
        continue;
      }
    }
    // The old leaves merged with the changes in the chunk's range, in key-hash order. A change
    // equal to the leaf it replaces keeps the old leaf, so its chunk can still be kept.
    const records = await loadLeafHashes(store, entry, k, dryRun);
    const sizes = new DataView(records.buffer, records.byteOffset, records.byteLength);
    const n = records.length / LEAF_HASH_RECORD;
    let i = 0;
    let c = start;
    while (i < n || c < end) {
      const at = i * LEAF_HASH_RECORD;
      const order = c === end ? 1 : i === n ? -1 : compareAt(changes[c].keyHash, records, at);
      if (order > 0) {
        add(records, at, k, i++, sizes.getUint32(at + 64, true));
        continue;
      }
      const ch = changes[c++];
      const size = ch.value ? ch.key.length + ch.value.length : 0;
      if (order === 0) {
        const unchanged = ch.value && compareAt(ch.valueHash, records, at + 32) === 0 && size === sizes.getUint32(at + 64, true);
        if (unchanged) add(records, at, k, i, size);
        else if (ch.value) add(changeRecords, (c - 1) * LEAF_HASH_RECORD, -1, c - 1, size);
        i++;
      } else if (ch.value) {
        add(changeRecords, (c - 1) * LEAF_HASH_RECORD, -1, c - 1, size);
      }
    }
    for (const chunk of cut.splice(0)) await writeChunk(chunk);
  }
  if (table.count > 0 || out.length === 0) endChunk();
  for (const chunk of cut.splice(0)) await writeChunk(chunk);
  await write(true);
  await writes.drain();

  const { root, chunks: ranges } = coverProofs(out.map((c) => c.nodes.cover));
  const files = out.map(({ file }) => ({ digest: file.digest, size: file.size, leaves: file.leaves }));
  const written = await writeProofs(put, files, root, ranges, version, manifest.chunking, manifest.formatVersion);
  await put([[coversPath(written.id), await encodeCovers(written.id, out.map((c) => c.nodes))]]);
  return { ...written, chunksWritten, bytesWritten };
}
