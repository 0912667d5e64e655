// Creating a state checkpoint: leaves in key-hash order → content-defined chunks → chunk files
// and range proofs → manifest. Chunk files are written as they fill, so memory holds one chunk
// plus the proof builder's per-chunk boundary data, never the whole state (when the leaves
// come sorted; an unsorted set is sorted in memory first).
import type { Store } from '../store/store.js';
import { backend } from '../core/load.js';
import { hashMany } from '../hash/sha256.js';
import { toHex } from '../hex.js';
import { InvalidArgument } from '../errors.js';
import { assertKeyLength, encodeChunk, type Leaf } from '../format/chunk.js';
import {
  encodeManifest, nextKeyHash, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION,
  type ChunkEntry, type ChunkingParams, type Manifest,
} from '../format/manifest.js';
import { hashPairs, type Pair } from '../tree/pairs.js';
import { sortedLatest } from '../tree/sort.js';
import type { ProgressListener } from '../progress.js';
import { LeafSplitter, defaultChunking } from './splitter.js';
import { createChunkProver } from './range.js';

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

/** Leaves with their key and value hashes, in batches. */
interface HashedLeaf extends Leaf {
  keyHash: Uint8Array;
  valueHash: Uint8Array;
}

const MAX_KEY_HASH = 'f'.repeat(64);
const HASH_BATCH = 4096;

function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgument(`version must be a non-negative integer, got ${String(version)}`);
  }
  return version;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Hashes sorted leaves in batches and checks that key hashes strictly increase. */
async function* hashSorted(leaves: AsyncIterable<Leaf> | Iterable<Leaf>): AsyncGenerator<HashedLeaf> {
  let batch: Leaf[] = [];
  let previous: Uint8Array | undefined;
  let index = 0;
  const flush = function* (): Generator<HashedLeaf> {
    const digests = hashMany(batch.flatMap((l) => [l.key, l.value]));
    for (let i = 0; i < batch.length; i++) {
      const keyHash = digests.slice(i * 64, i * 64 + 32);
      if (previous && compare(previous, keyHash) >= 0) {
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
export function createCheckpointFromSorted(leaves: AsyncIterable<Leaf> | Iterable<Leaf>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  return writeCheckpoint(hashSorted(leaves), opts);
}

/** Writes the checkpoint of hashed leaves in strictly increasing key-hash order. */
async function writeCheckpoint(leaves: AsyncIterable<HashedLeaf> | Iterable<HashedLeaf>,
  opts: CreateOptions): Promise<CreatedCheckpoint> {
  const version = checkVersion(opts.version);
  const chunking = opts.chunking ?? defaultChunking(opts.maxChunkBytes);
  const splitter = new LeafSplitter(chunking);
  const prover = createChunkProver();
  const entries: Array<Omit<ChunkEntry, 'proof' | 'proofSize'>> = [];
  let current: HashedLeaf[] = [];
  let lo = '0'.repeat(64);
  let bytesDone = 0;
  let leafCount = 0;

  const endChunk = async (last: boolean) => {
    const bytes = encodeChunk(current);
    const digest = toHex(backend().sha256(bytes));
    const hi = last ? MAX_KEY_HASH : toHex(current[current.length - 1].keyHash);
    await opts.store.put([[`chunks/${digest}`, bytes]]);
    if (!last) prover.endChunk();
    entries.push({ digest, size: bytes.length, leaves: current.length, lo, hi });
    bytesDone += bytes.length;
    leafCount += current.length;
    if (!last) lo = nextKeyHash(hi);
    current = [];
    opts.onProgress?.({ phase: 'create', chunksDone: entries.length, chunksTotal: entries.length, bytesDone, bytesTotal: bytesDone });
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
    prover.add(leaf.keyHash, leaf.valueHash);
    boundary = splitter.add(size, leaf.keyHash);
  }
  await endChunk(true);

  const { root, proofs } = prover.finish();
  const chunks: ChunkEntry[] = [];
  for (const [i, e] of entries.entries()) {
    const proof = toHex(backend().sha256(proofs[i]));
    await opts.store.put([[`proofs/${proof}`, proofs[i]]]);
    chunks.push({ ...e, proof, proofSize: proofs[i].length });
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, formatVersion: MANIFEST_FORMAT_VERSION, version, root: toHex(root), leaves: leafCount, chunking, chunks,
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
