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
import { toHex } from '../hex.js';
import { sha256Whole } from '../hash/sha256.js';
import { spliceChunk, type ChunkPiece } from '../format/chunk.js';
import type { ChunkLayout } from '../core/chunk.js';
import type { Manifest } from '../format/manifest.js';
import { coverProofs } from '../tree/range/cover.js';
import { LeafSplitter } from './splitter.js';
import { LEAF_HASH_RECORD, leafHashesPath, loadLeafHashes, readChunkLayout } from './leaf-hashes.js';
import { chunkNodesOf, coversPath, encodeCovers, loadCovers, type ChunkNodes } from './chunk-nodes.js';
import {
  changedLeaves, changeRecords, changeSpans, CoverCaches, LeafTable, mergeChunk, type CutChunk, type SortedChange,
} from './leaf-merge.js';
import { writeProofs, type ChunkFile, type WrittenCheckpoint } from './writer.js';

/** Files per store.put while writing chunks: one batch is written while the next is computed. */
const WRITE_BATCH = 24;

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
  /** The old chunks' covers, when the caller has them (else read from the store). */
  covers?: ChunkNodes[];
  /**
   * Per old chunk, the cover of its leaves after the changes (./pending.ts keeps them while it
   * applies heights without writing): their cached subtrees are reused, changed leaves or not.
   */
  current?: readonly ChunkNodes[];
}

/** The new checkpoint: its chunk, index, node and proof files written (unless dryRun), nothing switched. */
export async function rechunk({ store, manifest, id, changes, version, dryRun = false, ...known }: RechunkOptions): Promise<WrittenCheckpoint> {
  const old = manifest.chunks;
  const covers = known.covers ?? await loadCovers(store, manifest, id, dryRun);
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

  const recordsOfChanges = changeRecords(changes);

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
  const oldCaches = new CoverCaches(covers);
  let knownIn = (cut: CutChunk) => oldCaches.known(cut.records, (i) => cut.from[i], changedLeaves(cut));
  if (known.current) {
    const caches = new CoverCaches(known.current);
    const chunkOfChange = new Int32Array(changes.length);
    spans.forEach(([start, end], k) => chunkOfChange.fill(k, start, end));
    knownIn = (cut) => caches.known(cut.records, (i) => (cut.from[i] >= 0 ? cut.from[i] : chunkOfChange[cut.index[i]]));
  }

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
    mergeChunk(await loadLeafHashes(store, entry, k, dryRun), k, changes, recordsOfChanges, start, end, add);
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
