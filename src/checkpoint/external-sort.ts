// Sorting a state given as pairs in any order by key hash, in bounded memory (an external
// merge sort): pairs are copied into a run's arena and hashed in batches as they stream in;
// each full run is sorted (later pair for a key wins inside it) and spilled to the store as
// pieces under tmp/; the runs are then merged, the latest run winning for a key hash present in
// several, and deletes (null values) dropped. A state that fits in one run never touches the
// store. Memory: one run, plus one piece per run while merging.
import type { Store } from '../store/store.js';
import { compareBytes } from '../bytes.js';
import { assertKeyLength, type KeyValue } from '../format/chunk.js';
import type { Leaf } from '../tree/hash.js';
import { PairHasher, type Pair } from '../tree/pairs.js';
import { sortedLatest } from '../tree/sort.js';

/** A key and value with their hashes. */
export type HashedLeaf = KeyValue & Leaf;

export interface SortOptions {
  /** Where runs are spilled (under tmp/sort-…/, deleted when the sort ends). */
  store: Store;
  /** Bytes gathered per run before it is sorted and spilled (default 32 MiB). */
  runBytes?: number;
  /** Bytes per spilled piece, what the merge holds of each run (default 1 MiB). */
  pieceBytes?: number;
}

const DEFAULT_RUN_BYTES = 32 << 20;
const DEFAULT_PIECE_BYTES = 1 << 20;
/** Per-record header in a run: keyHash, valueHash, pair index (f64), key length, value length. */
const HEADER = 80;
/** Value length meaning "deleted". */
const DELETED = 0xffffffff;

/** A pair with its hashes and its index in the input (which names it in errors). */
interface Rec {
  keyHash: Uint8Array;
  valueHash: Uint8Array;
  index: number;
  key: Uint8Array;
  value: Uint8Array | null;
}

/** One run in key-hash order: record i of the order. */
interface SortedRun {
  size: number;
  record(i: number): Rec;
}

/**
 * The run being gathered: keys and values copied into one arena (so the caller's objects are
 * released at once), hashed in batches as they come.
 */
class Run {
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  /** Per pair: where its key starts in the arena, key length, value length (DELETED: null). */
  private meta = new Uint32Array(3 * 1024);
  private readonly hasher = new PairHasher();
  count = 0;

  constructor(readonly first: number) {}

  /** What the run holds, counting a spilled record's header. */
  get bytes(): number {
    return this.used + HEADER * this.count;
  }

  add(p: Pair): void {
    this.hasher.add(p, this.first + this.count);
    const size = p.key.length + (p.value?.length ?? 0);
    if (this.used + size > this.arena.length) this.arena = grow(this.arena, this.used + size);
    if (3 * (this.count + 1) > this.meta.length) this.meta = grow(this.meta, 3 * (this.count + 1));
    const m = 3 * this.count;
    this.meta[m] = this.used;
    this.meta[m + 1] = p.key.length;
    this.meta[m + 2] = p.value ? p.value.length : DELETED;
    this.arena.set(p.key, this.used);
    if (p.value) this.arena.set(p.value, this.used + p.key.length);
    this.used += size;
    this.count++;
  }

  /** The run in key-hash order, the latest pair of each key hash kept. */
  sort(): SortedRun {
    const hashed = this.hasher.result();
    const order = sortedLatest(hashed.keyHashes);
    const { arena, meta, first } = this;
    return {
      size: order.length,
      record: (i) => {
        const j = order[i];
        const at = meta[3 * j];
        const keyEnd = at + meta[3 * j + 1];
        const valueLen = meta[3 * j + 2];
        return {
          keyHash: hashed.keyHashes.subarray(j * 32, j * 32 + 32), valueHash: hashed.valueHashes.subarray(j * 32, j * 32 + 32),
          index: first + j, key: arena.subarray(at, keyEnd),
          value: valueLen === DELETED ? null : arena.subarray(keyEnd, keyEnd + valueLen),
        };
      },
    };
  }
}

function grow<T extends Uint8Array | Uint32Array>(a: T, need: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Writes a sorted run as pieces `prefix/<n>`; returns how many. */
async function spill(store: Store, prefix: string, run: SortedRun, pieceBytes: number): Promise<number> {
  let piece = new Uint8Array(pieceBytes);
  let at = 0;
  let pieces = 0;
  const full: Array<[string, Uint8Array]> = [];
  // A record may straddle pieces: bytes are written through, the reader joins them.
  const write = (bytes: Uint8Array) => {
    for (let done = 0; done < bytes.length;) {
      if (at === piece.length) {
        full.push([`${prefix}/${pieces++}`, piece]);
        piece = new Uint8Array(pieceBytes);
        at = 0;
      }
      const n = Math.min(bytes.length - done, piece.length - at);
      piece.set(bytes.subarray(done, done + n), at);
      at += n;
      done += n;
    }
  };
  const header = new Uint8Array(HEADER);
  const view = new DataView(header.buffer);
  for (let i = 0; i < run.size; i++) {
    const r = run.record(i);
    header.set(r.keyHash, 0);
    header.set(r.valueHash, 32);
    view.setFloat64(64, r.index, true);
    view.setUint32(72, r.key.length, true);
    view.setUint32(76, r.value ? r.value.length : DELETED, true);
    write(header);
    write(r.key);
    if (r.value) write(r.value);
    if (full.length) await store.put(full.splice(0));
  }
  if (at > 0) full.push([`${prefix}/${pieces++}`, piece.subarray(0, at)]);
  if (full.length) await store.put(full);
  return pieces;
}

/** Reads a spilled run back record by record, one piece at a time. */
class RunReader {
  private buffer = new Uint8Array(0);
  private at = 0;
  private next = 0;
  current: Rec | null = null;

  constructor(private readonly store: Store, private readonly prefix: string, private readonly pieces: number,
    readonly run: number) {}

  /** Advances to the next record (null at the end). */
  async advance(): Promise<void> {
    while (!this.advanceBuffered()) {
      if (this.next === this.pieces) {
        if (this.at !== this.buffer.length) throw new Error(`sort run ${this.prefix} is truncated`);
        this.current = null;
        return;
      }
      await this.load();
    }
  }

  /** Advances if the next record is wholly buffered (the common case: no await). */
  advanceBuffered(): boolean {
    const left = this.buffer.length - this.at;
    if (left < HEADER) return false;
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + this.at, HEADER);
    const keyLen = view.getUint32(72, true);
    const valueLen = view.getUint32(76, true);
    const total = HEADER + keyLen + (valueLen === DELETED ? 0 : valueLen);
    if (left < total) return false;
    const b = this.buffer.subarray(this.at, this.at + total);
    this.at += total;
    this.current = {
      keyHash: b.subarray(0, 32), valueHash: b.subarray(32, 64), index: view.getFloat64(64, true),
      key: b.subarray(HEADER, HEADER + keyLen), value: valueLen === DELETED ? null : b.subarray(HEADER + keyLen),
    };
    return true;
  }

  /** Appends the next piece to the unread bytes. */
  private async load(): Promise<void> {
    const piece = await this.store.get(`${this.prefix}/${this.next++}`);
    if (!piece) throw new Error(`sort run piece ${this.prefix}/${this.next - 1} is missing`);
    const rest = this.buffer.subarray(this.at);
    const joined = new Uint8Array(rest.length + piece.length);
    joined.set(rest);
    joined.set(piece, rest.length);
    this.buffer = joined;
    this.at = 0;
  }
}

/** A kept record as a leaf: checks its key's length (the pair's index names it). */
function leafOf(r: Rec): HashedLeaf {
  assertKeyLength(r.key, `pair ${r.index}`);
  return { key: r.key, value: r.value!, keyHash: r.keyHash, valueHash: r.valueHash };
}

/** Hashed leaves of `pairs` in strictly increasing key-hash order (later pair wins, null deletes). */
export async function* sortPairs(pairs: AsyncIterable<Pair> | Iterable<Pair>, opts: SortOptions): AsyncGenerator<HashedLeaf> {
  const runBytes = opts.runBytes ?? DEFAULT_RUN_BYTES;
  const pieceBytes = opts.pieceBytes ?? DEFAULT_PIECE_BYTES;
  const prefix = `tmp/sort-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const spilled: Array<{ prefix: string; pieces: number }> = [];
  let run = new Run(0);
  let count = 0;
  try {
    for await (const p of pairs) {
      run.add(p);
      count++;
      if (run.bytes >= runBytes) {
        const at = `${prefix}/${spilled.length}`;
        spilled.push({ prefix: at, pieces: await spill(opts.store, at, run.sort(), pieceBytes) });
        run = new Run(count);
      }
    }
    if (spilled.length === 0) {
      const sorted = run.sort();
      for (let i = 0; i < sorted.size; i++) {
        const r = sorted.record(i);
        if (r.value) yield leafOf(r);
      }
      return;
    }
    if (run.count > 0) {
      const at = `${prefix}/${spilled.length}`;
      spilled.push({ prefix: at, pieces: await spill(opts.store, at, run.sort(), pieceBytes) });
    }
    run = new Run(count); // the last run's memory is free for the merge
    yield* merge(opts.store, spilled);
  } finally {
    const keys = await opts.store.keys(`${prefix}/`);
    if (keys.length) await opts.store.delete(keys);
  }
}

/** K-way merge of sorted runs; for a key hash in several runs the latest run's record wins. */
async function* merge(store: Store, runs: Array<{ prefix: string; pieces: number }>): AsyncGenerator<HashedLeaf> {
  const readers = runs.map((r, i) => new RunReader(store, r.prefix, r.pieces, i));
  await Promise.all(readers.map((r) => r.advance()));
  // A binary min-heap of readers by (key hash, run); equal key hashes pop in run order.
  const heap = readers.filter((r) => r.current);
  const less = (a: RunReader, b: RunReader) => {
    const c = compareBytes(a.current!.keyHash, b.current!.keyHash);
    return c < 0 || (c === 0 && a.run < b.run);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    // Pop every record with the smallest key hash; the last popped (latest run) wins.
    let winner: Rec;
    for (;;) {
      const top = heap[0];
      winner = top.current!;
      if (!top.advanceBuffered()) await top.advance();
      if (!top.current) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      if (heap.length) down(0);
      if (!heap.length || compareBytes(heap[0].current!.keyHash, winner.keyHash) !== 0) break;
    }
    if (winner.value) yield leafOf(winner);
  }
}
