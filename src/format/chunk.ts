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

/** The keys and values of a decoded chunk, as views of its bytes. */
export function entriesOf(bytes: Uint8Array, { count, keys, values }: ChunkLayout): KeyValue[] {
  const out: KeyValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = { key: bytes.subarray(keys[i], keys[i + 1]), value: bytes.subarray(values[i], values[i + 1]) };
  }
  return out;
}
