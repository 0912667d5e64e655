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
import { compareBytes, equalBytes } from '../bytes.js';
import { fromHex, toHex } from '../hex.js';
import { sha256Whole } from '../hash/sha256.js';
import { encodeChunk, type KeyValue } from '../format/chunk.js';
import type { Manifest } from '../format/manifest.js';
import { cachedSubtree, coverProofs, type KnownSubtree } from '../tree/range/cover.js';
import { LeafSplitter } from './splitter.js';
import { encodeLeafHashes, leafHashesPath, loadLeafHashes, readChunkFile, type SizedLeaf } from './leaf-hashes.js';
import { chunkNodesOf, coversPath, encodeCovers, loadCovers, type ChunkNodes } from './chunk-nodes.js';
import { writeProofs, type ChunkFile, type WrittenCheckpoint } from './writer.js';

/** One change, hashed, in key-hash order. */
export interface SortedChange {
  keyHash: Uint8Array;
  key: Uint8Array;
  value: Uint8Array | null;
  valueHash: Uint8Array;
}

/** A leaf of the new state: new (key and value given) or leaf `index` of old chunk `chunk`. */
interface NewLeaf extends SizedLeaf {
  key?: Uint8Array;
  value?: Uint8Array;
  from?: { chunk: number; index: number };
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

/**
 * The leaves of old chunk `chunk` with changes [start, end) applied. A change equal to the leaf
 * it replaces keeps the leaf's reference, so its chunk can still be kept.
 */
function merge(chunk: number, old: readonly SizedLeaf[], changes: readonly SortedChange[], start: number, end: number): NewLeaf[] {
  const out: NewLeaf[] = [];
  const kept = (i: number): NewLeaf => ({ keyHash: old[i].keyHash, valueHash: old[i].valueHash, size: old[i].size, from: { chunk, index: i } });
  const added = (ch: SortedChange): NewLeaf => ({ keyHash: ch.keyHash, valueHash: ch.valueHash, key: ch.key, value: ch.value!, size: ch.key.length + ch.value!.length });
  let i = 0;
  let c = start;
  while (i < old.length || c < end) {
    const order = c === end ? 1 : i === old.length ? -1 : compareBytes(changes[c].keyHash, old[i].keyHash);
    if (order > 0) {
      out.push(kept(i++));
      continue;
    }
    const ch = changes[c++];
    if (order === 0) {
      const unchanged = ch.value && equalBytes(ch.valueHash, old[i].valueHash) && ch.key.length + ch.value.length === old[i].size;
      if (unchanged) out.push(kept(i));
      else if (ch.value) out.push(added(ch));
      i++;
    } else if (ch.value) {
      out.push(added(ch));
    }
  }
  return out;
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

  const decoded = new Map<number, KeyValue[]>();
  const keyValues = async (leaves: readonly NewLeaf[]): Promise<KeyValue[]> => {
    const kv: KeyValue[] = new Array(leaves.length);
    for (const [i, l] of leaves.entries()) {
      if (l.key && l.value) {
        kv[i] = { key: l.key, value: l.value };
        continue;
      }
      const { chunk, index } = l.from!;
      let from = decoded.get(chunk);
      if (!from) {
        if (decoded.size >= 2) decoded.delete(decoded.keys().next().value!);
        from = await readChunkFile(store, old[chunk], chunk);
        decoded.set(chunk, from);
      }
      kv[i] = from[index];
    }
    return kv;
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
  const knownIn = (leaves: readonly NewLeaf[]): KnownSubtree => {
    const added = new Uint32Array(leaves.length + 1);
    leaves.forEach((l, i) => { added[i + 1] = added[i] + (l.from ? 0 : 1); });
    return (depth, start, end) => {
      // Only old leaves, and as many as the cached subtree at this prefix held: the same leaves.
      if (added[end] !== added[start]) return undefined;
      const { chunk } = leaves[start].from!;
      const i = cacheIndex(chunk).get(`${depth}:${toHex(leaves[start].keyHash)}`);
      const cache = covers[chunk].cover.cache;
      return i !== undefined && cache[i].count === end - start ? cachedSubtree(cache, i) : undefined;
    };
  };

  let current: NewLeaf[] = [];
  const endChunk = async () => {
    const leaves = current;
    current = [];
    splitter.reset();
    const first = leaves[0]?.from;
    if (first && old[first.chunk].leaves === leaves.length && leaves.every((l, i) => l.from?.chunk === first.chunk && l.from.index === i)) {
      out.push({ file: old[first.chunk], nodes: covers[first.chunk] });
      return;
    }
    const bytes = encodeChunk(await keyValues(leaves));
    const digest = toHex(await sha256Whole(bytes));
    const nodes = chunkNodesOf(leaves, knownIn(leaves));
    queued.push([`chunks/${digest}`, bytes], [leafHashesPath(digest), encodeLeafHashes(leaves)]);
    chunksWritten++;
    out.push({ file: { digest, size: bytes.length, leaves: leaves.length }, nodes });
    await write(false);
  };

  for (const [k, entry] of old.entries()) {
    const [start, end] = spans[k];
    if (start === end && current.length === 0) {
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
    for (const leaf of merge(k, await loadLeafHashes(store, entry, k, dryRun), changes, start, end)) {
      if (splitter.endsBefore(leaf.size)) await endChunk();
      current.push(leaf);
      if (splitter.add(leaf.size, leaf.keyHash)) await endChunk();
    }
  }
  if (current.length > 0 || out.length === 0) await endChunk();
  await write(true);
  await writes.drain();

  const { root, chunks: ranges } = coverProofs(out.map((c) => c.nodes.cover));
  const files = out.map(({ file }) => ({ digest: file.digest, size: file.size, leaves: file.leaves }));
  const written = await writeProofs(put, files, root, ranges, version, manifest.chunking, manifest.formatVersion);
  await put([[coversPath(written.id), await encodeCovers(written.id, out.map((c) => c.nodes))]]);
  return { ...written, chunksWritten, bytesWritten };
}
