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
const BATCH_PAIRS = 8192;

/** Accumulates pairs (in order) and hashes them in batches; memory is 65 bytes per pair. */
export class PairHasher {
  private cap = 1024;
  private keyHashes = new Uint8Array(this.cap * 32);
  private valueHashes = new Uint8Array(this.cap * 32);
  private deleted = new Uint8Array(this.cap);
  private count = 0;
  private pending: Pair[] = [];
  private pendingBytes = 0;

  add(p: Pair): void {
    const i = this.count + this.pending.length;
    if (p === null || typeof p !== 'object') throw new InvalidArgument(`pairs[${i}] must be an object with key and value`);
    assertBytes(p.key, `pairs[${i}].key`);
    if (p.value !== null) assertBytes(p.value, `pairs[${i}].value`);
    this.pending.push(p);
    this.pendingBytes += p.key.length + (p.value?.length ?? 0);
    if (this.pendingBytes >= BATCH_BYTES || this.pending.length >= BATCH_PAIRS) this.flush();
  }

  result(): HashedPairs {
    this.flush();
    const n = this.count;
    return { count: n, keyHashes: this.keyHashes.subarray(0, n * 32), valueHashes: this.valueHashes.subarray(0, n * 32), deleted: this.deleted.subarray(0, n) };
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const messages: Uint8Array[] = [];
    for (const p of this.pending) {
      messages.push(p.key);
      if (p.value) messages.push(p.value);
    }
    const digests = hashMany(messages);
    this.reserve(this.count + this.pending.length);
    let d = 0;
    for (const p of this.pending) {
      this.keyHashes.set(digests.subarray(d * 32, ++d * 32), this.count * 32);
      if (p.value) this.valueHashes.set(digests.subarray(d * 32, ++d * 32), this.count * 32);
      else this.deleted[this.count] = 1;
      this.count++;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private reserve(n: number): void {
    if (n <= this.cap) return;
    while (this.cap < n) this.cap *= 2;
    const grow = (a: Uint8Array, size: number) => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    this.keyHashes = grow(this.keyHashes, this.cap * 32);
    this.valueHashes = grow(this.valueHashes, this.cap * 32);
    this.deleted = grow(this.deleted, this.cap);
  }
}

export function hashPairs(pairs: Iterable<Pair>): HashedPairs {
  const h = new PairHasher();
  for (const p of pairs) h.add(p);
  return h.result();
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
