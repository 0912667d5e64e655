// Chunk files (docs/FORMAT.md, "Chunk file"): the leaves of one key-hash interval, sorted by
// key hash. The core decodes and hashes them for verification (src/core/chunk.ts); this module
// writes them, and reads them back for queries on restored state.
import { equalBytes } from '../bytes.js';
import { InvalidArgument } from '../errors.js';

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

/** Reads the leaves of a chunk; throws InvalidArgument naming the defect if it is malformed. */
export function decodeChunk(bytes: Uint8Array): KeyValue[] {
  const fail = (why: string): never => { throw new InvalidArgument(`malformed chunk: ${why}`); };
  if (bytes.length < CHUNK_HEADER) fail('shorter than its header');
  if (!equalBytes(bytes.subarray(0, CHUNK_MAGIC.length), CHUNK_MAGIC)) fail('bad magic bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  if (n * LEAF_OVERHEAD > bytes.length - CHUNK_HEADER) fail(`${n} leaves cannot fit in ${bytes.length} bytes`);
  let keyPos = CHUNK_HEADER + n * 8;
  let total = keyPos;
  for (let i = 0; i < n; i++) {
    total += view.getUint32(CHUNK_HEADER + i * 4, true) + view.getUint32(CHUNK_HEADER + n * 4 + i * 4, true);
  }
  if (total !== bytes.length) fail(`lengths add up to ${total} bytes, the chunk has ${bytes.length}`);
  let valuePos = keyPos;
  for (let i = 0; i < n; i++) valuePos += view.getUint32(CHUNK_HEADER + i * 4, true);
  const leaves: KeyValue[] = [];
  for (let i = 0; i < n; i++) {
    const k = view.getUint32(CHUNK_HEADER + i * 4, true);
    const v = view.getUint32(CHUNK_HEADER + n * 4 + i * 4, true);
    leaves.push({ key: bytes.subarray(keyPos, keyPos + k), value: bytes.subarray(valuePos, valuePos + v) });
    keyPos += k;
    valuePos += v;
  }
  return leaves;
}
