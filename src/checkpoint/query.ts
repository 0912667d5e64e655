// Answering queries from a checkpoint in a Store (created or restored), with no network:
// the key's hash picks the one chunk whose interval holds it.
import type { Store } from '../store/store.js';
import { parseManifest, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { decodeChunk, type KeyValue } from '../format/chunk.js';
import { backend } from '../core/load.js';
import { hashMany } from '../hash/sha256.js';
import { fromHex, toHex } from '../hex.js';
import { assertBytes } from '../assert.js';
import { equalBytes } from '../bytes.js';
import type { Leaf } from '../tree/hash.js';
import { proveInChunk, type KeyProof } from '../tree/range/prove.js';
import { CheckpointNotFound, ChunkCorrupted, ChunkNotFound, KeyNotFound } from '../errors.js';

export interface CheckpointView {
  manifest: Manifest;
  /** The value of `key`; throws KeyNotFound when it is absent. */
  get(key: Uint8Array): Promise<Uint8Array>;
  /** A membership or non-membership proof of `key` against the root. */
  prove(key: Uint8Array): Promise<KeyProof>;
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

/** Opens the complete checkpoint in `store` (its manifest.json). */
export async function openCheckpoint(store: Store): Promise<CheckpointView> {
  const bytes = await store.get('manifest.json');
  if (!bytes) throw new CheckpointNotFound('the store holds no complete checkpoint (no manifest.json)');
  const manifest = parseManifest(bytes);

  async function load(index: number): Promise<{ leaves: KeyValue[]; proof: Uint8Array }> {
    const entry = manifest.chunks[index];
    const chunk = await store.get(`chunks/${entry.digest}`);
    const proof = await store.get(`proofs/${entry.proof}`);
    if (!chunk || !proof) throw new ChunkNotFound('the chunk or its proof is missing from the store', { chunk: index });
    if (toHex(backend().sha256(chunk)) !== entry.digest) throw new ChunkCorrupted('the stored chunk does not match its digest', { chunk: index });
    return { leaves: decodeChunk(chunk), proof };
  }

  async function locate(key: Uint8Array) {
    assertBytes(key, 'key');
    const keyHash = backend().sha256(key);
    const index = chunkFor(manifest.chunks, toHex(keyHash));
    return { keyHash, index, ...(await load(index)) };
  }

  return {
    manifest,
    async get(key) {
      const { leaves } = await locate(key);
      const hit = leaves.find((l) => equalBytes(l.key, key));
      if (!hit) throw new KeyNotFound('the key is not in the checkpoint');
      return hit.value.slice();
    },
    async prove(key) {
      const { keyHash, index, leaves, proof } = await locate(key);
      const entry = manifest.chunks[index];
      const digests = hashMany(leaves.flatMap((l) => [l.key, l.value]));
      const hashed: Leaf[] = leaves.map((_, i) => ({ keyHash: digests.subarray(i * 64, i * 64 + 32), valueHash: digests.subarray(i * 64 + 32, i * 64 + 64) }));
      return proveInChunk(fromHex(manifest.root), fromHex(entry.lo), fromHex(entry.hi), hashed, proof, keyHash);
    },
  };
}
