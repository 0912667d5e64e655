// The covers of a checkpoint's chunks (`nodes/<checkpoint id>`, docs/FORMAT.md): per chunk, in
// manifest order, its cover (first and last leaf, the maximal subtrees between them and the
// larger subtrees inside those, src/tree/range/cover.ts) and its last leaf's size. Applying a
// changeset reads this one file instead of every chunk's leaves: the root and every range proof
// follow from the covers, whether an untouched chunk ends by content follows from its last
// leaf, and a chunk a change falls in rehashes only the subtrees on the change's path. Local
// bookkeeping like the leaf-hash index: written by the node that applies changesets, never
// served. A file that is missing, damaged or not this checkpoint's (its trailer binds it to the
// checkpoint id) is recomputed from the leaf-hash index.
import type { Store } from '../store/store.js';
import { concatBytes, equalBytes } from '../bytes.js';
import { fromHex } from '../hex.js';
import { sha256Whole } from '../hash/sha256.js';
import type { ChunkEntry, Manifest } from '../format/manifest.js';
import { coverOf, type CoverNode, type KnownSubtree } from '../tree/range/cover.js';
import { LEAF_HASH_RECORD, loadLeafHashes } from './leaf-hashes.js';

export const coversPath = (checkpointId: string): string => `nodes/${checkpointId}`;

const MAGIC = new Uint8Array([0x4c, 0x53, 0x4e, 0x31]); // "LSN1"
const HEADER = 4 + 4 + 128 + 4 + 4; // leaves, last leaf size, first and last leaf, inner and cached node counts
const NODE = 72; // depth u32, count u32, key hash, hash
const TRAILER = 32; // SHA-256 of the checkpoint id and everything before

/** A chunk's cover and the size (key + value bytes) of its last leaf. */
export interface ChunkNodes {
  cover: ReturnType<typeof coverOf>;
  lastSize: number;
  /** The record as read, written again as it is while the chunk is kept. */
  record?: Uint8Array;
}

/**
 * The node record of the chunk whose leaves are `records` (the leaf-hash index's 68-byte records);
 * subtrees `known` answers for are not hashed again.
 */
export function chunkNodesOf(records: Uint8Array, known?: KnownSubtree): ChunkNodes {
  const count = records.length / LEAF_HASH_RECORD;
  const lastSize = count === 0 ? 0 : new DataView(records.buffer, records.byteOffset).getUint32((count - 1) * LEAF_HASH_RECORD + 64, true);
  return { cover: coverOf({ bytes: records, count, stride: LEAF_HASH_RECORD }, known), lastSize };
}

function encodeRecord({ cover, lastSize }: ChunkNodes): Uint8Array {
  const nodes = [...cover.inner, ...cover.cache];
  const out = new Uint8Array(HEADER + nodes.length * NODE);
  const view = new DataView(out.buffer);
  view.setUint32(0, cover.leaves, true);
  view.setUint32(4, lastSize, true);
  if (cover.first && cover.last) {
    out.set(cover.first.keyHash, 8);
    out.set(cover.first.valueHash, 40);
    out.set(cover.last.keyHash, 72);
    out.set(cover.last.valueHash, 104);
  }
  view.setUint32(136, cover.inner.length, true);
  view.setUint32(140, cover.cache.length, true);
  nodes.forEach((n, i) => {
    const at = HEADER + i * NODE;
    view.setUint32(at, n.depth, true);
    view.setUint32(at + 4, n.count, true);
    out.set(n.key, at + 8);
    out.set(n.hash, at + 40);
  });
  return out;
}

/** The record of `entry` at `at` in `bytes`, or undefined unless it fits and agrees with the entry. */
function decodeRecord(bytes: Uint8Array, at: number, entry: ChunkEntry): ChunkNodes | undefined {
  if (at + HEADER > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, bytes.length - at);
  const innerCount = view.getUint32(136, true);
  const cacheCount = view.getUint32(140, true);
  if (view.getUint32(0, true) !== entry.leaves || innerCount > entry.leaves || cacheCount > entry.leaves) return undefined;
  const length = HEADER + (innerCount + cacheCount) * NODE;
  if (at + length > bytes.length) return undefined;
  const node = (i: number): CoverNode => {
    const p = HEADER + i * NODE;
    return { depth: view.getUint32(p, true), count: view.getUint32(p + 4, true), key: bytes.subarray(at + p + 8, at + p + 40), hash: bytes.subarray(at + p + 40, at + p + 72) };
  };
  const inner = Array.from({ length: innerCount }, (_, i) => node(i));
  const nodes = { lastSize: view.getUint32(4, true), record: bytes.subarray(at, at + length) };
  if (entry.leaves === 0) return innerCount + cacheCount === 0 ? { cover: { leaves: 0, inner, cache: [] }, ...nodes } : undefined;
  const leaf = (p: number) => ({ keyHash: bytes.subarray(at + p, at + p + 32), valueHash: bytes.subarray(at + p + 32, at + p + 64) });
  // Only a chunk a change falls in needs its cached subtrees: decoded on first use.
  let cache: CoverNode[] | undefined;
  const cover = {
    leaves: entry.leaves, first: leaf(8), last: leaf(72), inner,
    get cache() { return (cache ??= Array.from({ length: cacheCount }, (_, i) => node(innerCount + i))); },
  };
  return { cover, ...nodes };
}

async function trailer(checkpointId: string, body: Uint8Array): Promise<Uint8Array> {
  return sha256Whole(concatBytes([fromHex(checkpointId, 'checkpoint id'), body]));
}

/** The covers file of the checkpoint `id` whose chunks have these node records, in manifest order. */
export async function encodeCovers(id: string, nodes: readonly ChunkNodes[]): Promise<Uint8Array> {
  const body = concatBytes([MAGIC, ...nodes.map((n) => n.record ?? encodeRecord(n))]);
  return concatBytes([body, await trailer(id, body)]);
}

/** The records of a covers file, or undefined unless it is whole, this checkpoint's and agrees with its manifest. */
async function decodeCovers(bytes: Uint8Array, manifest: Manifest, id: string): Promise<ChunkNodes[] | undefined> {
  if (bytes.length < MAGIC.length + TRAILER || !equalBytes(bytes.subarray(0, MAGIC.length), MAGIC)) return undefined;
  const body = bytes.subarray(0, bytes.length - TRAILER);
  if (!equalBytes(await trailer(id, body), bytes.subarray(body.length))) return undefined;
  const out: ChunkNodes[] = [];
  let at = MAGIC.length;
  for (const entry of manifest.chunks) {
    const record = decodeRecord(body, at, entry);
    if (!record) return undefined;
    out.push(record);
    at += record.record!.length;
  }
  return at === body.length ? out : undefined;
}

/**
 * The node records of every chunk of the checkpoint `manifest` (id `id`): from its covers file
 * when sound, else computed from the chunks' leaf hashes and the file written, unless `readOnly`.
 */
export async function loadCovers(store: Store, manifest: Manifest, id: string, readOnly = false): Promise<ChunkNodes[]> {
  const bytes = await store.get(coversPath(id));
  const stored = bytes && await decodeCovers(bytes, manifest, id);
  if (stored) return stored;
  const out: ChunkNodes[] = [];
  for (const [i, entry] of manifest.chunks.entries()) out.push(chunkNodesOf(await loadLeafHashes(store, entry, i, readOnly)));
  if (!readOnly) await store.put([[coversPath(id), await encodeCovers(id, out)]]);
  return out;
}
