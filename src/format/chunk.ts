// Chunk files (docs/FORMAT.md, "Chunk file"): the leaves of one key-hash interval, sorted by
// key hash. This module writes them; the core decodes them (src/core/chunk.ts), for
// verification and for queries alike.
import type { ChunkLayout } from '../core/chunk.js';
import { backend } from '../core/load.js';
import { layoutFailure } from '../core/status.js';
import { InvalidArgument } from '../errors.js';
import { assertArray, assertByteFields, assertBytes } from '../assert.js';

export const CHUNK_MAGIC = new Uint8Array([0x4c, 0x53, 0x43, 0x31]); // "LSC1"
/** Longest key a chunk may hold. */
export const MAX_KEY_LENGTH = 65_536;
/** Bytes a chunk spends per leaf besides its key and value. */
export const LEAF_OVERHEAD = 8;
export const CHUNK_HEADER = 8;

/** A key and its value, as a chunk stores them (their hashes make the tree's Leaf). */
export interface KeyValue {
  key: Uint8Array;
  value: Uint8Array;
}

/** Throws InvalidArgument unless a key's length is 1 to MAX_KEY_LENGTH; `what` names it. */
export function assertKeyLength(key: Uint8Array, what: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new InvalidArgument(`${what} has a ${key.length}-byte key; keys must be 1 to ${MAX_KEY_LENGTH} bytes`);
  }
}

export function encodeChunk(leaves: readonly KeyValue[]): Uint8Array {
  assertArray(leaves, 'leaves');
  leaves.forEach((l, i) => assertByteFields(l, `leaves[${i}]`, ['key', 'value']));
  let size = CHUNK_HEADER + leaves.length * LEAF_OVERHEAD;
  for (const l of leaves) size += l.key.length + l.value.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(CHUNK_MAGIC, 0);
  view.setUint32(4, leaves.length, true);
  let keyPos = CHUNK_HEADER + leaves.length * 8;
  let valuePos = keyPos;
  for (const l of leaves) valuePos += l.key.length;
  leaves.forEach((l, i) => {
    assertKeyLength(l.key, `leaf ${i} of the chunk`);
    view.setUint32(CHUNK_HEADER + i * 4, l.key.length, true);
    view.setUint32(CHUNK_HEADER + leaves.length * 4 + i * 4, l.value.length, true);
    out.set(l.key, keyPos);
    keyPos += l.key.length;
    out.set(l.value, valuePos);
    valuePos += l.value.length;
  });
  return out;
}

/**
 * Reads the leaves of a chunk, decoded by the core (the one chunk decoder, so it refuses exactly
 * what verification refuses); throws InvalidArgument naming the defect if it is malformed.
 */
export function decodeChunk(bytes: Uint8Array): KeyValue[] {
  assertBytes(bytes, 'bytes');
  const layout = backend().chunk.decode(bytes, { maxLeaves: bytes.length, maxKeyLength: MAX_KEY_LENGTH });
  if (typeof layout === 'number') throw new InvalidArgument(`malformed chunk: ${layoutFailure(layout) ?? `status ${layout}`}`);
  return entriesOf(bytes, layout);
}

/**
 * Keys and values packed in one buffer, no object per leaf (how the external sort hands leaves
 * to the writer): leaf i's key is data[keyAt[i], keyAt[i] + keyLength[i]) and its value the
 * valueLength[i] bytes right after it.
 */
export interface PackedKeyValues {
  data: Uint8Array;
  keyAt: Uint32Array;
  keyLength: Uint32Array;
  valueLength: Uint32Array;
}

/**
 * Leaves of a new chunk: one key and value, leaves [from, to) of a decoded chunk file, or leaves
 * [from, to) of packed keys and values.
 */
export type ChunkPiece = KeyValue | { bytes: Uint8Array; layout: ChunkLayout; from: number; to: number }
  | { packed: PackedKeyValues; from: number; to: number };

/**
 * The chunk file of `pieces` (`count` leaves, `leafBytes` bytes of keys and values in all), with a
 * run of another chunk's leaves copied as a run — its lengths, keys and values each lie back to
 * back there too — not leaf by leaf (applying a changeset rewrites chunks this way; creating a
 * checkpoint writes its chunks from packed leaves).
 */
export function spliceChunk(pieces: readonly ChunkPiece[], count: number, leafBytes: number): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER + count * LEAF_OVERHEAD + leafBytes);
  const view = new DataView(out.buffer);
  out.set(CHUNK_MAGIC, 0);
  view.setUint32(4, count, true);
  let leaf = 0;
  let keyAt = CHUNK_HEADER + count * LEAF_OVERHEAD;
  for (const p of pieces) {
    if ('key' in p) {
      view.setUint32(CHUNK_HEADER + leaf * 4, p.key.length, true);
      view.setUint32(CHUNK_HEADER + (count + leaf) * 4, p.value.length, true);
      out.set(p.key, keyAt);
      keyAt += p.key.length;
      leaf++;
    } else if ('packed' in p) {
      const { data, keyAt: at, keyLength, valueLength } = p.packed;
      for (let i = p.from; i < p.to; i++, leaf++) {
        view.setUint32(CHUNK_HEADER + leaf * 4, keyLength[i], true);
        view.setUint32(CHUNK_HEADER + (count + leaf) * 4, valueLength[i], true);
        out.set(data.subarray(at[i], at[i] + keyLength[i]), keyAt);
        keyAt += keyLength[i];
      }
    } else {
      const { bytes, layout, from, to } = p;
      out.set(bytes.subarray(CHUNK_HEADER + from * 4, CHUNK_HEADER + to * 4), CHUNK_HEADER + leaf * 4);
      out.set(bytes.subarray(CHUNK_HEADER + (layout.count + from) * 4, CHUNK_HEADER + (layout.count + to) * 4), CHUNK_HEADER + (count + leaf) * 4);
      out.set(bytes.subarray(layout.keys[from], layout.keys[to]), keyAt);
      keyAt += layout.keys[to] - layout.keys[from];
      leaf += to - from;
    }
  }
  let valueAt = keyAt;
  for (const p of pieces) {
    if ('packed' in p) {
      const { data, keyAt: at, keyLength, valueLength } = p.packed;
      for (let i = p.from; i < p.to; i++) {
        const from = at[i] + keyLength[i];
        out.set(data.subarray(from, from + valueLength[i]), valueAt);
        valueAt += valueLength[i];
      }
      continue;
    }
    const value = 'key' in p ? p.value : p.bytes.subarray(p.layout.values[p.from], p.layout.values[p.to]);
    out.set(value, valueAt);
    valueAt += value.length;
  }
  if (leaf !== count || valueAt !== out.length) throw new Error(`spliced ${leaf} leaves in ${valueAt} bytes, expected ${count} in ${out.length}`);
  return out;
}

/** The keys and values of a decoded chunk, as views of its bytes. */
export function entriesOf(bytes: Uint8Array, { count, keys, values }: ChunkLayout): KeyValue[] {
  const out: KeyValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = { key: bytes.subarray(keys[i], keys[i + 1]), value: bytes.subarray(values[i], values[i + 1]) };
  }
  return out;
}
