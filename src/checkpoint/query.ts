// Answering queries from a checkpoint in a Store (created or restored), with no network: the
// key's hash picks the one chunk whose interval holds it; the chunk is verified against the root
// when it is loaded and kept, decoded, for the next query (./chunk-cache.ts); inside it, the key
// hash is found by binary search over the sorted leaf hashes.
import type { Store } from '../store/store.js';
import { parseManifest, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { backend } from '../core/load.js';
import { fromHex, toHex } from '../hex.js';
import { assertBytes } from '../assert.js';
import { compareBytes, equalBytes } from '../bytes.js';
import type { Leaf } from '../tree/hash.js';
import { proveInChunk, type KeyProof } from '../tree/range/prove.js';
import { CheckpointNotFound, KeyNotFound } from '../errors.js';
import { ChunkCache, DEFAULT_CACHE_BYTES, type LoadedChunk } from './chunk-cache.js';
import { assertStore } from '../store/store.js';

export interface CheckpointView {
  manifest: Manifest;
  /** The value of `key`; throws KeyNotFound when it is absent. */
  get(key: Uint8Array): Promise<Uint8Array>;
  /** A membership or non-membership proof of `key` against the root. */
  prove(key: Uint8Array): Promise<KeyProof>;
  /** The value of `key` (undefined when absent) and its proof, from one load of its chunk. */
  lookup(key: Uint8Array): Promise<{ value: Uint8Array | undefined; proof: KeyProof }>;
}

export interface OpenOptions {
  /** Bytes of verified chunks kept for later queries (default 64 MiB). */
  cacheBytes?: number;
}

/** Index of the chunk whose interval holds `keyHashHex` (intervals tile the key space). */
function chunkFor(chunks: readonly ChunkEntry[], keyHashHex: string): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (chunks[mid].lo <= keyHashHex) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the leaf with `keyHash` in the chunk's sorted leaf hashes, or -1. */
function findLeaf(chunk: LoadedChunk, keyHash: Uint8Array): number {
  let lo = 0;
  let hi = chunk.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareBytes(chunk.hashes.subarray(mid * 64, mid * 64 + 32), keyHash);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Opens the complete checkpoint in `store` (its manifest.json). */
export async function openCheckpoint(store: Store, opts: OpenOptions = {}): Promise<CheckpointView> {
  assertStore(store, 'store');
  const bytes = await store.get('manifest.json');
  if (!bytes) throw new CheckpointNotFound('the store holds no complete checkpoint (no manifest.json)');
  const manifest = parseManifest(bytes);
  const cache = new ChunkCache(store, manifest, opts.cacheBytes ?? DEFAULT_CACHE_BYTES);

  async function locate(key: Uint8Array) {
    assertBytes(key, 'key');
    const keyHash = backend().sha256(key);
    const chunk = await cache.get(chunkFor(manifest.chunks, toHex(keyHash)));
    return { keyHash, chunk };
  }

  /** The key's value, if the chunk holds it (its hash found, and the bytes equal). */
  function valueOf(chunk: LoadedChunk, key: Uint8Array, keyHash: Uint8Array): Uint8Array | undefined {
    const i = findLeaf(chunk, keyHash);
    if (i < 0 || !equalBytes(chunk.bytes.subarray(chunk.keys[i], chunk.keys[i + 1]), key)) return undefined;
    return chunk.bytes.slice(chunk.values[i], chunk.values[i + 1]);
  }

  function proofOf(chunk: LoadedChunk, keyHash: Uint8Array): KeyProof {
    const entry = manifest.chunks[chunk.index];
    const { hashes } = chunk;
    const leaves: Leaf[] = Array.from({ length: chunk.count }, (_, i) => ({
      keyHash: hashes.subarray(i * 64, i * 64 + 32), valueHash: hashes.subarray(i * 64 + 32, i * 64 + 64),
    }));
    return proveInChunk(fromHex(manifest.root), fromHex(entry.lo), fromHex(entry.hi), leaves, chunk.proof, keyHash);
  }

  return {
    manifest,
    async get(key) {
      const { keyHash, chunk } = await locate(key);
      const value = valueOf(chunk, key, keyHash);
      if (!value) throw new KeyNotFound('the key is not in the checkpoint');
      return value;
    },
    async prove(key) {
      const { keyHash, chunk } = await locate(key);
      return proofOf(chunk, keyHash);
    },
    async lookup(key) {
      const { keyHash, chunk } = await locate(key);
      return { value: valueOf(chunk, key, keyHash), proof: proofOf(chunk, keyHash) };
    },
  };
}
