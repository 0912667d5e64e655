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

/**
 * Accumulates pairs (in order) and hashes them in batches: keys and values are packed as they
 * come into one buffer per batch, hashed in one core call. Memory: 65 bytes per pair.
 */
export class PairHasher {
  private cap = 1024;
  private keyHashes = new Uint8Array(this.cap * 32);
  private valueHashes = new Uint8Array(this.cap * 32);
  private deleted = new Uint8Array(this.cap);
  private count = 0;
  // The batch being packed: message bytes, message offsets, one delete flag per pair.
  private pack = new Uint8Array(BATCH_BYTES);
  private readonly offsets = new Uint32Array(2 * BATCH_PAIRS + 1);
  private readonly batchDeleted = new Uint8Array(BATCH_PAIRS);
  private messages = 0;
  private pairs = 0;

  /**
   * `onHashed` (optional) sees each batch's hashes as soon as they are computed: pairs
   * [first, first + n) of this hasher, their key and value hashes (n × 32 bytes; a deleted
   * pair's value hash is zeros), views valid only during the call.
   */
  constructor(private readonly onHashed?: (first: number, keyHashes: Uint8Array, valueHashes: Uint8Array) => void) {}

  /** Throws InvalidArgument unless `p` is a pair; `i` is its index in the caller's input. */
  static check(p: unknown, i: number): asserts p is Pair {
    if (p === null || typeof p !== 'object') throw new InvalidArgument(`pairs[${i}] must be an object with key and value`);
    const { key, value } = p as Pair;
    assertBytes(key, `pairs[${i}].key`);
    if (value !== null) assertBytes(value, `pairs[${i}].value`);
  }

  /** Adds the next pair; `index` names it in errors (default: its position in this hasher). */
  add(p: Pair, index = this.count + this.pairs): void {
    PairHasher.check(p, index);
    this.addChecked(p);
  }

  /** Adds the next pair, already checked with PairHasher.check. */
  addChecked(p: Pair): void {
    const size = p.key.length + (p.value?.length ?? 0);
    if (this.offsets[this.messages] + size > this.pack.length) {
      this.flush();
      if (size > this.pack.length) this.pack = new Uint8Array(size);
    }
    this.put(p.key);
    if (p.value) this.put(p.value);
    this.batchDeleted[this.pairs++] = p.value ? 0 : 1;
    if (this.pairs === BATCH_PAIRS) this.flush();
  }

  result(): HashedPairs {
    this.flush();
    const n = this.count;
    return { count: n, keyHashes: this.keyHashes.subarray(0, n * 32), valueHashes: this.valueHashes.subarray(0, n * 32), deleted: this.deleted.subarray(0, n) };
  }

  private put(bytes: Uint8Array): void {
    const at = this.offsets[this.messages];
    this.pack.set(bytes, at);
    this.offsets[++this.messages] = at + bytes.length;
  }

  private flush(): void {
    if (this.pairs === 0) return;
    const digests = backend().sha256BatchVar(this.pack.subarray(0, this.offsets[this.messages]), this.offsets.subarray(0, this.messages + 1));
    this.reserve(this.count + this.pairs);
    // Word copies: every buffer here starts 32-byte aligned.
    const from = new Uint32Array(digests.buffer, digests.byteOffset, digests.length >>> 2);
    const keys = new Uint32Array(this.keyHashes.buffer);
    const values = new Uint32Array(this.valueHashes.buffer);
    let d = 0;
    for (let j = 0; j < this.pairs; j++, this.count++) {
      for (let w = 0; w < 8; w++) keys[this.count * 8 + w] = from[d * 8 + w];
      d++;
      if (this.batchDeleted[j]) {
        this.deleted[this.count] = 1;
        continue;
      }
      for (let w = 0; w < 8; w++) values[this.count * 8 + w] = from[d * 8 + w];
      d++;
    }
    if (this.onHashed) {
      const first = this.count - this.pairs;
      this.onHashed(first, this.keyHashes.subarray(first * 32, this.count * 32), this.valueHashes.subarray(first * 32, this.count * 32));
    }
    this.pairs = 0;
    this.messages = 0;
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

