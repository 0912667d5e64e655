// The covers of a checkpoint's chunks (`nodes/<checkpoint id>`, docs/FORMAT.md): per chunk, in
// manifest order, its cover (first and last leaf and the maximal subtrees between them,
// src/tree/range/cover.ts) and its last leaf's size. Applying a changeset reads this one file
// instead of every chunk's leaves: the root and every range proof follow from the covers, and
// whether an untouched chunk ends by content follows from its last leaf. Local bookkeeping like
// the leaf-hash index: written by the node that applies changesets, never served. A missing or
// damaged record (each is bound to its chunk's digest) is recomputed from the leaf-hash index.
import type { Store } from '../store/store.js';
import { backend } from '../core/load.js';
import { concatBytes, equalBytes } from '../bytes.js';
import { fromHex } from '../hex.js';
import type { ChunkEntry, Manifest } from '../format/manifest.js';
import { coverOf, type ChunkCover } from '../tree/range/cover.js';
import { loadLeafHashes, type SizedLeaf } from './leaf-hashes.js';

export const coversPath = (checkpointId: string): string => `nodes/${checkpointId}`;

const MAGIC = 0x314e534c; // "LSN1" little-endian
const HEADER = 4 + 4 + 4 + 128 + 4; // magic, leaves, last leaf size, first and last leaf, node count
const NODE = 72; // depth u32, count u32, key hash, hash
const TRAILER = 32; // SHA-256 of the chunk digest and the record: a record of another chunk, or damaged, is refused

/** A chunk's cover and the size (key + value bytes) of its last leaf. */
export interface ChunkNodes {
  cover: ChunkCover;
  lastSize: number;
}

/** The node file of the chunk with these leaves. */
export function chunkNodesOf(leaves: readonly SizedLeaf[]): ChunkNodes {
  return { cover: coverOf(leaves), lastSize: leaves.at(-1)?.size ?? 0 };
}

/** One chunk's record. */
function encodeChunkNodes(chunkDigest: string, { cover, lastSize }: ChunkNodes): Uint8Array {
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

/** The record of `entry` at the start of `bytes` and its length, or undefined unless it is whole, of this chunk and consistent. */
function decodeChunkNodes(bytes: Uint8Array, entry: ChunkEntry): { nodes: ChunkNodes; length: number } | undefined {
  if (bytes.length < HEADER + TRAILER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(140, true);
  const body = HEADER + count * NODE;
  if (view.getUint32(0, true) !== MAGIC || bytes.length < body + TRAILER || view.getUint32(4, true) !== entry.leaves) return undefined;
  if (!equalBytes(trailer(entry.digest, bytes.subarray(0, body)), bytes.subarray(body, body + TRAILER))) return undefined;
  const copy = (at: number) => bytes.slice(at, at + 32);
  const inner = Array.from({ length: count }, (_, i) => {
    const at = HEADER + i * NODE;
    return { depth: view.getUint32(at, true), count: view.getUint32(at + 4, true), key: copy(at + 8), hash: copy(at + 40) };
  });
  const lastSize = view.getUint32(8, true);
  const length = body + TRAILER;
  if (entry.leaves === 0) return count === 0 ? { nodes: { cover: { leaves: 0, inner }, lastSize }, length } : undefined;
  const first = { keyHash: copy(12), valueHash: copy(44) };
  const last = { keyHash: copy(76), valueHash: copy(108) };
  return { nodes: { cover: { leaves: entry.leaves, first, last, inner }, lastSize }, length };
}

/** The covers file of a checkpoint whose chunks are `chunks` with these node records. */
export function encodeCovers(chunks: readonly ChunkEntry[], nodes: readonly ChunkNodes[]): Uint8Array {
  return concatBytes(chunks.map((c, i) => encodeChunkNodes(c.digest, nodes[i])));
}

/**
 * The node records of every chunk of the checkpoint `manifest` (id `id`): from its covers file
 * where whole; a missing or damaged record (and every one after it) is computed from the
 * chunk's leaf hashes, and the file rewritten unless `readOnly`.
 */
export async function loadCovers(store: Store, manifest: Manifest, id: string, readOnly = false): Promise<ChunkNodes[]> {
  const bytes = await store.get(coversPath(id)) ?? new Uint8Array(0);
  const out: ChunkNodes[] = [];
  let at = 0;
  let rebuilt = false;
  for (const [i, entry] of manifest.chunks.entries()) {
    const record = at < 0 ? undefined : decodeChunkNodes(bytes.subarray(at), entry);
    if (record) {
      out.push(record.nodes);
      at += record.length;
      continue;
    }
    at = -1;
    rebuilt = true;
    out.push(chunkNodesOf(await loadLeafHashes(store, entry, i, readOnly)));
  }
  if (rebuilt && !readOnly) await store.put([[coversPath(id), encodeCovers(manifest.chunks, out)]]);
  return out;
}
