// The chunking pass of createCheckpoint: leaves in key-hash order → content-defined chunks
// (./splitter.ts) → chunk files, range proofs, manifest. Applying a changeset (./rechunk.ts)
// cuts with the same splitter and writes proofs and manifest with the same writeProofs, so an
// applied checkpoint is byte for byte the checkpoint a fresh create of the same state writes.
import type { Store } from '../store/store.js';
import { backend } from '../core/load.js';
import { toHex } from '../hex.js';
import { hashMany, sha256Whole } from '../hash/sha256.js';
import { spliceChunk, type ChunkPiece, type PackedKeyValues } from '../format/chunk.js';
import {
  encodeManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type ChunkEntry, type ChunkingParams, type Manifest,
} from '../format/manifest.js';
import { RangeProofBuilder, type ChunkRange } from '../tree/range/builder.js';
import type { ProgressListener } from '../progress.js';
import { LeafSplitter } from './splitter.js';
import { PROOFS_PER_PACK } from '../format/proof-pack.js';
import { concatBytes } from '../bytes.js';
import { WriteWindow } from '../store/write-window.js';

const PROOF_BATCH = 64;

/**
 * Leaves on their way into chunks, packed (no object per leaf: a million of them held until
 * their chunk ends were most of a create's garbage collection): leaf i's key hash and value
 * hash are hashes[64i, 64i + 32) and [64i + 32, 64i + 64), its key and value as in
 * PackedKeyValues.
 */
export interface LeafBatch extends PackedKeyValues {
  count: number;
  hashes: Uint8Array;
}

export interface WriteOptions {
  store: Store;
  version: number;
  chunking: ChunkingParams;
  /** Manifest format version to write (default MANIFEST_FORMAT_VERSION). */
  formatVersion?: Manifest['formatVersion'];
  onProgress?: ProgressListener;
}

export interface WrittenCheckpoint {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  /** SHA-256 of the manifest bytes. */
  id: string;
  /** Chunk files written (not reused), and their bytes. */
  chunksWritten: number;
  bytesWritten: number;
}

/**
 * Cuts the leaves of `batches` (strictly increasing key hash) into chunks and writes the chunk and proof files.
 * The manifest is returned, not written: the caller decides when the checkpoint switches.
 */
export async function writeChunks(batches: AsyncIterable<LeafBatch> | Iterable<LeafBatch>,
  opts: WriteOptions): Promise<WrittenCheckpoint> {
  const writes = new WriteWindow(opts.store);
  let written: WrittenCheckpoint;
  try {
    written = await cutChunks(batches, opts, writes);
  } catch (err) {
    await writes.drain().catch(() => {}); // thrown no earlier than every write in flight has settled
    throw err;
  }
  await writes.drain();
  return written;
}

async function cutChunks(batches: AsyncIterable<LeafBatch> | Iterable<LeafBatch>,
  opts: WriteOptions, writes: WriteWindow): Promise<WrittenCheckpoint> {
  const { chunking } = opts;
  const splitter = new LeafSplitter(chunking);
  const builder = new RangeProofBuilder();
  const files: ChunkFile[] = [];
  // The current chunk: runs of batches, its leaves and their key and value bytes.
  let pieces: ChunkPiece[] = [];
  let leaves = 0;
  let leafBytes = 0;
  let bytesDone = 0;
  let bytesWritten = 0;
  const put = async (entries: Array<[string, Uint8Array]>) => {
    await writes.put(entries);
    for (const [, bytes] of entries) bytesWritten += bytes.length;
  };

  const endChunk = async (last: boolean) => {
    const bytes = spliceChunk(pieces, leaves, leafBytes);
    const digest = toHex(await sha256Whole(bytes));
    await put([[`chunks/${digest}`, bytes]]);
    if (!last) builder.endChunk();
    files.push({ digest, size: bytes.length, leaves });
    bytesDone += bytes.length;
    pieces = [];
    leaves = 0;
    leafBytes = 0;
    opts.onProgress?.({ phase: 'create', chunksDone: files.length, bytesDone });
  };

  // A boundary after a leaf is acted on when the next leaf arrives, so the last chunk always
  // reaches the end of the key space.
  // Leaves come in batches (an await per leaf costs more than the leaf's own work).
  let boundary = false;
  for await (const batch of batches) {
    const { hashes, keyLength, valueLength } = batch;
    let from = 0; // the batch's leaves before `from` are in a chunk and in the proof builder
    const take = (to: number) => {
      if (to === from) return;
      pieces.push({ packed: batch, from, to });
      builder.addPacked(hashes, from, to);
      from = to;
    };
    for (let i = 0; i < batch.count; i++) {
      const size = keyLength[i] + valueLength[i];
      if (boundary || splitter.endsBefore(size)) {
        take(i);
        await endChunk(false);
        splitter.reset();
      }
      leaves++;
      leafBytes += size;
      boundary = splitter.add(size, hashes, 64 * i);
    }
    take(batch.count);
  }
  await endChunk(true);

  const { root, chunks: ranges } = builder.finish();
  return { ...await writeProofs(put, files, root, ranges, opts.version, chunking, opts.formatVersion), chunksWritten: files.length, bytesWritten };
}

/** The chunk files of a checkpoint, in order. */
export type ChunkFile = Pick<ChunkEntry, 'digest' | 'size' | 'leaves'>;

/**
 * Writes the proofs of the chunks (with `put`: one file per chunk in format version 1, a pack
 * per PROOFS_PER_PACK chunks in version 2) and returns the manifest of chunk `files` with their
 * `ranges` (intervals and proofs) under `root`.
 */
export async function writeProofs(put: (entries: Array<[string, Uint8Array]>) => Promise<void>, files: readonly ChunkFile[],
  root: Uint8Array, ranges: readonly ChunkRange[], version: number, chunking: ChunkingParams,
  formatVersion: Manifest['formatVersion'] = MANIFEST_FORMAT_VERSION): Promise<{ manifest: Manifest; manifestBytes: Uint8Array; id: string }> {
  if (ranges.length !== files.length) throw new Error(`${ranges.length} range proofs for ${files.length} chunks`);
  const chunks: ChunkEntry[] = [];
  const proofPacks: string[] = [];
  // Proof files go in batches: a store writes (and syncs) a batch's entries in parallel, where
  // one at a time a checkpoint of hundreds of chunks waits for hundreds of fsyncs in a row.
  let batch: Array<[string, Uint8Array]> = [];
  const add = async (bytes: Uint8Array, digest: string) => {
    batch.push([`proofs/${digest}`, bytes]);
    if (batch.length === PROOF_BATCH) {
      await put(batch);
      batch = [];
    }
    return digest;
  };
  let leaves = 0;
  for (let first = 0; first < files.length; first += PROOFS_PER_PACK) {
    const end = Math.min(files.length, first + PROOFS_PER_PACK);
    const proofs = ranges.slice(first, end).map((r) => r.proof);
    // A pack's proof digests in one batch (one core call per proof was a visible part of a height).
    const digests = hashMany(proofs);
    for (let i = first; i < end; i++) {
      const { lo, hi, proof } = ranges[i];
      const proofDigest = toHex(digests.subarray((i - first) * 32, (i - first) * 32 + 32));
      if (formatVersion === 1) await add(proof, proofDigest);
      chunks.push({ ...files[i], lo: toHex(lo), hi: toHex(hi), proof: proofDigest, proofSize: proof.length });
      leaves += files[i].leaves;
    }
    if (formatVersion === 2) {
      const pack = concatBytes(proofs);
      proofPacks.push(await add(pack, toHex(await sha256Whole(pack))));
    }
  }
  if (batch.length > 0) await put(batch);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, formatVersion, version, root: toHex(root), leaves, chunking, chunks,
    ...(formatVersion === 2 ? { proofPacks } : {}),
  };
  const manifestBytes = encodeManifest(manifest);
  return { manifest, manifestBytes, id: toHex(backend().sha256(manifestBytes)) };
}

/**
 * Makes `manifestBytes` the store's checkpoint: everything written so far is made durable
 * first, then `manifests/<version>.json` and `manifest.json` are replaced (each atomically), so
 * a crash leaves either the old checkpoint or the new one.
 */
export async function switchManifest(store: Store, manifest: Manifest, manifestBytes: Uint8Array): Promise<void> {
  await store.flush?.();
  await store.put([[`manifests/${manifest.version}.json`, manifestBytes], ['manifest.json', manifestBytes]]);
  await store.flush?.();
}
