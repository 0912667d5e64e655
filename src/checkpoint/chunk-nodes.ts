// The node file of a chunk (`nodes/<chunk digest>`, docs/FORMAT.md): the chunk's cover (its
// first and last leaf and the maximal subtrees between them, src/tree/range/cover.ts) and its
// last leaf's size. Applying a changeset reads it for every chunk no change touches: the root
// and every range proof follow from the covers, and whether the chunk ends by content follows
// from its last leaf, so an untouched chunk costs ~2 KB read instead of its leaf hashes. Local
// bookkeeping like the leaf-hash index: written by the node that applies changesets, never
// served. A missing, damaged or foreign file is recomputed from the leaf-hash index.
import type { Store } from '../store/store.js';
import { backend } from '../core/load.js';
import { equalBytes } from '../bytes.js';
import { fromHex } from '../hex.js';
import type { ChunkEntry } from '../format/manifest.js';
import { coverOf, type ChunkCover } from '../tree/range/cover.js';
import { loadLeafHashes, type SizedLeaf } from './leaf-hashes.js';

export const chunkNodesPath = (chunkDigest: string): string => `nodes/${chunkDigest}`;

const MAGIC = 0x314e534c; // "LSN1" little-endian
const HEADER = 4 + 4 + 4 + 128 + 4; // magic, leaves, last leaf size, first and last leaf, node count
const NODE = 72; // depth u32, count u32, key hash, hash
const TRAILER = 32; // SHA-256 of the chunk digest and everything before: a file of another chunk, or damaged, is refused

/** A chunk's cover and the size (key + value bytes) of its last leaf. */
export interface ChunkNodes {
  cover: ChunkCover;
  lastSize: number;
}

/** The node file of the chunk with these leaves. */
export function chunkNodesOf(leaves: readonly SizedLeaf[]): ChunkNodes {
  return { cover: coverOf(leaves), lastSize: leaves.at(-1)?.size ?? 0 };
}

export function encodeChunkNodes(chunkDigest: string, { cover, lastSize }: ChunkNodes): Uint8Array {
  const body = HEADER + cover.inner.length * NODE;
  const out = new Uint8Array(body + TRAILER);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, cover.leaves, true);
  view.setUint32(8, lastSize, true);
  if (cover.first && cover.last) {
    out.set(cover.first.keyHash, 12);
    out.set(cover.first.valueHash, 44);
    out.set(cover.last.keyHash, 76);
    out.set(cover.last.valueHash, 108);
  }
  view.setUint32(140, cover.inner.length, true);
  cover.inner.forEach((n, i) => {
    const at = HEADER + i * NODE;
    view.setUint32(at, n.depth, true);
    view.setUint32(at + 4, n.count, true);
    out.set(n.key, at + 8);
    out.set(n.hash, at + 40);
  });
  out.set(trailer(chunkDigest, out.subarray(0, body)), body);
  return out;
}

function trailer(chunkDigest: string, body: Uint8Array): Uint8Array {
  const message = new Uint8Array(32 + body.length);
  message.set(fromHex(chunkDigest, 'chunk digest'));
  message.set(body, 32);
  return backend().sha256(message);
}

/** The node file's contents, or undefined unless it is whole, of this chunk and consistent with `entry`. */
export function decodeChunkNodes(bytes: Uint8Array, entry: ChunkEntry): ChunkNodes | undefined {
  if (bytes.length < HEADER + TRAILER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(140, true);
  const body = HEADER + count * NODE;
  if (view.getUint32(0, true) !== MAGIC || bytes.length !== body + TRAILER || view.getUint32(4, true) !== entry.leaves) return undefined;
  if (!equalBytes(trailer(entry.digest, bytes.subarray(0, body)), bytes.subarray(body))) return undefined;
  const copy = (at: number) => bytes.slice(at, at + 32);
  const inner = Array.from({ length: count }, (_, i) => {
    const at = HEADER + i * NODE;
    return { depth: view.getUint32(at, true), count: view.getUint32(at + 4, true), key: copy(at + 8), hash: copy(at + 40) };
  });
  const lastSize = view.getUint32(8, true);
  if (entry.leaves === 0) return count === 0 ? { cover: { leaves: 0, inner }, lastSize } : undefined;
  const first = { keyHash: copy(12), valueHash: copy(44) };
  const last = { keyHash: copy(76), valueHash: copy(108) };
  return { cover: { leaves: entry.leaves, first, last, inner }, lastSize };
}

/**
 * The node file of chunk `index`: read when present and sound, else computed from its leaf
 * hashes (./leaf-hashes.ts) and written, unless `readOnly`.
 */
export async function loadChunkNodes(store: Store, entry: ChunkEntry, index: number, readOnly = false): Promise<ChunkNodes> {
  const stored = await store.get(chunkNodesPath(entry.digest));
  const decoded = stored && decodeChunkNodes(stored, entry);
  if (decoded) return decoded;
  const nodes = chunkNodesOf(await loadLeafHashes(store, entry, index, readOnly));
  if (!readOnly) await store.put([[chunkNodesPath(entry.digest), encodeChunkNodes(entry.digest, nodes)]]);
  return nodes;
}
