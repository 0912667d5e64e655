// The leaf-hash index of a chunk file (`leafhashes/<chunk digest>`, docs/FORMAT.md): for each
// leaf, its key hash, value hash and size (key + value bytes). Applying a changeset reads it
// for every chunk no change touches, instead of reading and hashing the chunk itself: 68 bytes
// per leaf against the leaf's own bytes. It is local bookkeeping, written by the node that
// applies changesets, never fetched from a peer.
import type { Store } from '../store/store.js';
import { entriesOf, MAX_KEY_LENGTH } from '../format/chunk.js';
import { backend } from '../core/load.js';
import type { ChunkLayout } from '../core/chunk.js';
import { layoutFailure } from '../core/status.js';
import { hashMany } from '../hash/sha256.js';
import type { ChunkEntry } from '../format/manifest.js';
import { StorageFailed } from '../errors.js';
import type { Leaf } from '../tree/hash.js';

export const LEAF_HASH_RECORD = 68;
export const leafHashesPath = (chunkDigest: string): string => `leafhashes/${chunkDigest}`;

export interface SizedLeaf extends Leaf {
  size: number;
}

export function encodeLeafHashes(leaves: readonly SizedLeaf[]): Uint8Array {
  const out = new Uint8Array(leaves.length * LEAF_HASH_RECORD);
  const view = new DataView(out.buffer);
  leaves.forEach((l, i) => {
    out.set(l.keyHash, i * LEAF_HASH_RECORD);
    out.set(l.valueHash, i * LEAF_HASH_RECORD + 32);
    view.setUint32(i * LEAF_HASH_RECORD + 64, l.size, true);
  });
  return out;
}

/** The leaf hashes and sizes of a decoded chunk. */
export function hashChunkLeaves(leaves: ReadonlyArray<{ key: Uint8Array; value: Uint8Array }>): SizedLeaf[] {
  const digests = hashMany(leaves.flatMap((l) => [l.key, l.value]));
  return leaves.map((l, i) => ({
    keyHash: digests.subarray(i * 64, i * 64 + 32), valueHash: digests.subarray(i * 64 + 32, i * 64 + 64), size: l.key.length + l.value.length,
  }));
}

/**
 * A chunk file of the store's checkpoint and its layout (where each key and value is); a missing
 * or malformed file is a StorageFailed naming it.
 */
export async function readChunkLayout(store: Store, entry: ChunkEntry, index: number): Promise<{ bytes: Uint8Array; layout: ChunkLayout }> {
  const path = `chunks/${entry.digest}`;
  const bytes = await store.get(path);
  if (!bytes) throw new StorageFailed(`${path} is missing from the checkpoint`, { chunk: index });
  const layout = backend().chunk.decode(bytes, { maxLeaves: bytes.length, maxKeyLength: MAX_KEY_LENGTH });
  if (typeof layout === 'number') throw new StorageFailed(`${path} is malformed: ${layoutFailure(layout) ?? `status ${layout}`}`, { chunk: index });
  return { bytes, layout };
}

/**
 * The leaf-hash records of chunk `index` (LEAF_HASH_RECORD bytes per leaf, as in its index file):
 * from its index file when present and whole, else computed from the chunk file (and the index
 * written, unless `readOnly`).
 */
export async function loadLeafHashes(store: Store, entry: ChunkEntry, index: number, readOnly = false): Promise<Uint8Array> {
  const stored = await store.get(leafHashesPath(entry.digest));
  if (stored && stored.length === entry.leaves * LEAF_HASH_RECORD) return stored;
  const { bytes, layout } = await readChunkLayout(store, entry, index);
  const records = encodeLeafHashes(hashChunkLeaves(entriesOf(bytes, layout)));
  if (!readOnly) await store.put([[leafHashesPath(entry.digest), records]]);
  return records;
}
