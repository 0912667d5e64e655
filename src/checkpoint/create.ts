// Creating a state checkpoint: leaves in key-hash order → content-defined chunks → chunk files
// and range proofs → manifest. Chunk files are written as they fill, so memory holds one chunk
// plus the proof builder's per-chunk boundary data, never the whole state (an unsorted set is
// sorted first by an external merge sort, ./external-sort.ts).
import type { Store } from '../store/store.js';
import { hashMany } from '../hash/sha256.js';
import { InvalidArgument } from '../errors.js';
import { compareBytes } from '../bytes.js';
import { assertKeyLength, type KeyValue } from '../format/chunk.js';
import { MANIFEST_FORMAT_VERSION, writableFormatVersion, type ChunkingParams, type Manifest } from '../format/manifest.js';
import type { Pair } from '../tree/pairs.js';
import type { ProgressListener } from '../progress.js';
import { defaultChunking } from './splitter.js';
import { switchManifest, writeChunks, type LeafBatch } from './writer.js';
import { assertIterable, assertObject } from '../assert.js';
import { assertStore } from '../store/store.js';
import { LEAF_BATCH, sortPairs } from './external-sort.js';

export interface CreateOptions {
  /** Where the checkpoint's files go (e.g. `fsStore(dir)`). */
  store: Store;
  /** State version (block height). */
  version: number;
  /** Chunking parameters; default `defaultChunking(maxChunkBytes)`. */
  chunking?: ChunkingParams;
  maxChunkBytes?: number;
  /** Manifest format version to write: 2 (default; proofs packed) or 1 (one file per proof). */
  formatVersion?: number;
  onProgress?: ProgressListener;
  /** createCheckpoint: bytes of pairs sorted in memory per run before spilling (default 32 MiB). */
  sortRunBytes?: number;
}

export interface CreatedCheckpoint {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  /** SHA-256 of the manifest bytes. */
  id: string;
}

function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgument(`version must be a non-negative integer, got ${String(version)}`);
  }
  return version;
}

/** Hashes sorted leaves in batches, packs them, and checks that key hashes strictly increase. */
async function* hashSorted(leaves: AsyncIterable<KeyValue> | Iterable<KeyValue>): AsyncGenerator<LeafBatch> {
  let batch: KeyValue[] = [];
  let previous: Uint8Array | undefined;
  let index = 0;
  const hashed = (): LeafBatch => {
    const count = batch.length;
    // Key and value digests alternate: keyHash ‖ valueHash per leaf, as a LeafBatch packs them.
    const hashes = hashMany(batch.flatMap((l) => [l.key, l.value]));
    const keyAt = new Uint32Array(count);
    const keyLength = new Uint32Array(count);
    const valueLength = new Uint32Array(count);
    let size = 0;
    for (const { key, value } of batch) size += key.length + value.length;
    const data = new Uint8Array(size);
    let at = 0;
    batch.forEach(({ key, value }, i) => {
      const keyHash = hashes.subarray(i * 64, i * 64 + 32);
      if (previous && compareBytes(previous, keyHash) >= 0) {
        throw new InvalidArgument(`leaf ${index} is out of key-hash order (sorted leaves must have strictly increasing SHA-256(key))`);
      }
      previous = keyHash;
      index++;
      keyAt[i] = at;
      keyLength[i] = key.length;
      valueLength[i] = value.length;
      data.set(key, at);
      data.set(value, at + key.length);
      at += key.length + value.length;
    });
    batch = [];
    return { count, hashes, data, keyAt, keyLength, valueLength };
  };
  for await (const leaf of leaves) {
    if (!(leaf?.key instanceof Uint8Array) || !(leaf.value instanceof Uint8Array)) {
      throw new InvalidArgument(`leaf ${index + batch.length} must be { key: Uint8Array, value: Uint8Array }`);
    }
    assertKeyLength(leaf.key, `leaf ${index + batch.length}`);
    batch.push(leaf);
    if (batch.length === LEAF_BATCH) yield hashed();
  }
  yield hashed();
}

/**
 * Writes a checkpoint of the leaves `sorted` (strictly increasing SHA-256(key); checked) to
 * `opts.store`: chunks/, proofs/, manifest.json and manifests/<version>.json.
 */
export async function createCheckpointFromSorted(leaves: AsyncIterable<KeyValue> | Iterable<KeyValue>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  assertIterable(leaves, 'leaves', false);
  return writeCheckpoint(hashSorted(leaves), opts);
}

/** Writes the checkpoint of batches of hashed leaves in strictly increasing key-hash order, and switches to it. */
async function writeCheckpoint(batches: AsyncIterable<LeafBatch>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  assertObject(opts, 'opts');
  assertStore(opts.store, 'opts.store');
  const version = checkVersion(opts.version);
  const chunking = opts.chunking ?? defaultChunking(opts.maxChunkBytes);
  const formatVersion = writableFormatVersion(opts.formatVersion ?? MANIFEST_FORMAT_VERSION);
  const { manifest, manifestBytes, id } = await writeChunks(batches, { store: opts.store, version, chunking, formatVersion, onProgress: opts.onProgress });
  await switchManifest(opts.store, manifest, manifestBytes);
  return { manifest, manifestBytes, id };
}

/**
 * Writes a checkpoint of a state given as pairs in any order (later pair wins, null deletes),
 * streamed: they are sorted by key hash with an external merge sort whose runs spill to
 * `opts.store` (under tmp/, removed afterwards), so memory stays bounded whatever their number.
 */
export async function createCheckpoint(pairs: AsyncIterable<Pair> | Iterable<Pair>, opts: CreateOptions): Promise<CreatedCheckpoint> {
  assertIterable(pairs, 'pairs', false);
  assertObject(opts, 'opts');
  return writeCheckpoint(sortPairs(pairs, { store: opts.store, runBytes: opts.sortRunBytes }), opts);
}
