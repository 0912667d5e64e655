// Hashing key/value pairs in batches: keys and values are packed into one buffer per batch so
// the core hashes many messages per crossing.
import { assertBytes } from '../assert.js';
import { backend } from '../core/load.js';
import { InvalidArgument } from '../errors.js';

/** A change to the state: `value: null` deletes the key. */
export interface Pair {
  key: Uint8Array;
  value: Uint8Array | null;
}

/** Hashed pairs in input order: key hashes and value hashes (n × 32), and delete flags. */
export interface HashedPairs {
  count: number;
  keyHashes: Uint8Array;
  valueHashes: Uint8Array;
  deleted: Uint8Array;
}

const BATCH_BYTES = 1 << 20;

export function hashPairs(pairs: Iterable<Pair>): HashedPairs {
  let cap = 1024;
  let keyHashes = new Uint8Array(cap * 32);
  let valueHashes = new Uint8Array(cap * 32);
  let deleted = new Uint8Array(cap);
  let count = 0;
  let pending: Pair[] = [];
  let pendingBytes = 0;

  const flush = () => {
    if (pending.length === 0) return;
    const messages: Uint8Array[] = [];
    for (const p of pending) {
      messages.push(p.key);
      if (p.value) messages.push(p.value);
    }
    const digests = hashMany(messages);
    while (count + pending.length > cap) cap *= 2;
    if (keyHashes.length < cap * 32) {
      keyHashes = grow(keyHashes, cap * 32);
      valueHashes = grow(valueHashes, cap * 32);
      deleted = grow(deleted, cap);
    }
    let d = 0;
    for (const p of pending) {
      keyHashes.set(digests.subarray(d * 32, d * 32 + 32), count * 32);
      d++;
      if (p.value) {
        valueHashes.set(digests.subarray(d * 32, d * 32 + 32), count * 32);
        d++;
      } else {
        deleted[count] = 1;
      }
      count++;
    }
    pending = [];
    pendingBytes = 0;
  };

  let i = 0;
  for (const p of pairs) {
    if (p === null || typeof p !== 'object') throw new InvalidArgument(`pairs[${i}] must be an object with key and value`);
    assertBytes(p.key, `pairs[${i}].key`);
    if (p.value !== null) assertBytes(p.value, `pairs[${i}].value`);
    pending.push(p);
    pendingBytes += p.key.length + (p.value?.length ?? 0);
    if (pendingBytes >= BATCH_BYTES || pending.length >= 8192) flush();
    i++;
  }
  flush();
  return {
    count,
    keyHashes: keyHashes.subarray(0, count * 32),
    valueHashes: valueHashes.subarray(0, count * 32),
    deleted: deleted.subarray(0, count),
  };
}

/** SHA-256 of each message, back to back, in one batch call. */
export function hashMany(messages: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const m of messages) total += m.length;
  const packed = new Uint8Array(total);
  const offsets = new Uint32Array(messages.length + 1);
  let pos = 0;
  messages.forEach((m, i) => {
    packed.set(m, pos);
    pos += m.length;
    offsets[i + 1] = pos;
  });
  return backend().sha256BatchVar(packed, offsets);
}

function grow<T extends Uint8Array>(a: T, size: number): T {
  const b = new Uint8Array(size);
  b.set(a);
  return b as T;
}
