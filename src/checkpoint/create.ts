// Creating a state checkpoint: leaves in key-hash order → content-defined chunks → chunk files
// and range proofs → manifest. Chunk files are written as they fill, so memory holds one chunk
// plus the proof builder's per-chunk boundary data, never the whole state (when the leaves
// come sorted; an unsorted set is sorted in memory first).
import type { Store } from '../store/store.js';
import { backend } from '../core/load.js';
import { hashMany } from '../hash/sha256.js';
import { toHex } from '../hex.js';
import { InvalidArgument } from '../errors.js';
import { compareBytes } from '../bytes.js';
import { assertKeyLength, encodeChunk, type KeyValue } from '../format/chunk.js';
import {
  encodeManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type ChunkEntry, type ChunkingParams, type Manifest,
} from '../format/manifest.js';
import type { Leaf } from '../tree/hash.js';
import { hashPairs, type Pair } from '../tree/pairs.js';
import { RangeProofBuilder } from '../tree/range/builder.js';
import { sortedLatest } from '../tree/sort.js';
import type { ProgressListener } from '../progress.js';
import { LeafSplitter, defaultChunking } from './splitter.js';

export interface CreateOptions {
  /** Where the checkpoint's files go (e.g. `fsStore(dir)`). */
  store: Store;
  /** State version (block height). */
  version: number;
  /** Chunking parameters; default `defaultChunking(maxChunkBytes)`. */
  chunking?: ChunkingParams;
  maxChunkBytes?: number;
  onProgress?: ProgressListener;
}

export interface CreatedCheckpoint {
  manifest: Manifest;
  manifestBytes: Uint8Array;
  /** SHA-256 of the manifest bytes. */
  id: string;
}

/** A key and value with their hashes. */
type HashedLeaf = KeyValue & Leaf;

const HASH_BATCH = 4096;

function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgument(`version must be a non-negative integer, got ${String(version)}`);
  }
  return version;
}

/** Hashes sorted leaves in batches and checks that key hashes strictly increase. */
async function* hashSorted(leaves: AsyncIterable<KeyValue> | Iterable<KeyValue>): AsyncGenerator<HashedLeaf> {
  let batch: KeyValue[] = [];
  let previous: Uint8Array | undefined;
  let index = 0;
  const flush = function* (): Generator<HashedLeaf> {
    const digests = hashMany(batch.flatMap((l) => [l.key, l.value]));
    for (let i = 0; i < batch.length; i++) {
      const keyHash = digests.slice(i * 64, i * 64 + 32);
      if (previous && compareBytes(previous, keyHash) >= 0) {
        throw new InvalidArgument(`leaf ${index} is out of key-hash order (sorted leaves must have strictly increasing SHA-256(key))`);
      }
      previous = keyHash;
      index++;
      yield { ...batch[i], keyHash, valueHash: digests.slice(i * 64 + 32, i * 64 + 64) };
    }
    batch = [];
  };
  for await (const leaf of leaves) {
    if (!(leaf?.key instanceof Uint8Array) || !(leaf.value instanceof Uint8Array)) {
      throw new InvalidArgument(`leaf ${index + batch.length} must be { key: Uint8Array, value: Uint8Array }`);
    }
    assertKeyLength(leaf.key, `leaf ${index + batch.length}`);
    batch.push(leaf);
    if (batch.length === HASH_BATCH) yield* flush();
  }
  yield* flush();
}

/** Leaves of a state given as pairs in any order (later pair wins, null value deletes), sorted and hashed. */
function* sortPairs(pairs: readonly Pair[]): Generator<HashedLeaf> {
  const hashed = hashPairs(pairs);
  for (const i of sortedLatest(hashed.keyHashes)) {
    const { key, value } = pairs[i];
    if (!value) continue;
    assertKeyLength(key, `pair ${i}`);
    yield { key, value, keyHash: hashed.keyHashes.subarray(i * 32, i * 32 + 32), valueHash: hashed.valueHashes.subarray(i * 32, i * 32 + 32) };
  }
}

/**
 * Writes a checkpoint of the leaves `sorted` (strictly increasing SHA-256(key); checked) to
 * `opts.store`: chunks/, proofs/, manifest.json and manifests/<version>.json.
 */
export function createCheckpointFromSorted(leaves: AsyncIterable<KeyValue> | Iterable<KeyValue>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  return writeCheckpoint(hashSorted(leaves), opts);
}

/** Writes the checkpoint of hashed leaves in strictly increasing key-hash order. */
async function writeCheckpoint(leaves: AsyncIterable<HashedLeaf> | Iterable<HashedLeaf>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  const version = checkVersion(opts.version);
  const chunking = opts.chunking ?? defaultChunking(opts.maxChunkBytes);
  const splitter = new LeafSplitter(chunking);
  const builder = new RangeProofBuilder();
  // The chunk files as they are written; intervals and proofs come from the builder at the end.
  const files: Array<Pick<ChunkEntry, 'digest' | 'size' | 'leaves'>> = [];
  let current: HashedLeaf[] = [];
  let bytesDone = 0;

  const endChunk = async (last: boolean) => {
    const bytes = encodeChunk(current);
    const digest = toHex(backend().sha256(bytes));
    await opts.store.put([[`chunks/${digest}`, bytes]]);
    if (!last) builder.endChunk();
    files.push({ digest, size: bytes.length, leaves: current.length });
    bytesDone += bytes.length;
    current = [];
    opts.onProgress?.({ phase: 'create', chunksDone: files.length, chunksTotal: files.length, bytesDone, bytesTotal: bytesDone });
  };

  // A boundary after a leaf is acted on when the next leaf arrives, so the last chunk always
  // reaches the end of the key space.
  let boundary = false;
  for await (const leaf of leaves) {
    const size = leaf.key.length + leaf.value.length;
    if (boundary || splitter.endsBefore(size)) {
      await endChunk(false);
      splitter.reset();
    }
    current.push(leaf);
    builder.add(leaf.keyHash, leaf.valueHash);
    boundary = splitter.add(size, leaf.keyHash);
  }
  await endChunk(true);

  const { root, chunks: ranges } = builder.finish();
  const chunks: ChunkEntry[] = [];
  for (const [i, file] of files.entries()) {
    const { lo, hi, proof } = ranges[i];
    const proofDigest = toHex(backend().sha256(proof));
    await opts.store.put([[`proofs/${proofDigest}`, proof]]);
    chunks.push({ ...file, lo: toHex(lo), hi: toHex(hi), proof: proofDigest, proofSize: proof.length });
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, formatVersion: MANIFEST_FORMAT_VERSION, version, root: toHex(root), leaves: builder.count, chunking, chunks,
  };
  const manifestBytes = encodeManifest(manifest);
  await opts.store.flush?.();
  await opts.store.put([[`manifests/${version}.json`, manifestBytes], ['manifest.json', manifestBytes]]);
  await opts.store.flush?.();
  return { manifest, manifestBytes, id: toHex(backend().sha256(manifestBytes)) };
}

/** Writes a checkpoint of a state given as pairs in any order (later pair wins, null deletes). */
export function createCheckpoint(pairs: readonly Pair[], opts: CreateOptions): Promise<CreatedCheckpoint> {
  return writeCheckpoint(sortPairs(pairs), opts);
}
