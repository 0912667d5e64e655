// Sorting a state given as pairs in any order by key hash, in bounded memory (an external
// merge sort): pairs are copied into a run's arena as records and hashed in batches as they
// stream in; each full run is sorted (later pair for a key wins inside it) and spilled to the
// store as pieces under tmp/sort-…/ (./sort-space.ts); the runs are then merged, the latest run
// winning for a key hash present in several, and deletes (null values) dropped. A state that
// fits in one run never touches the store. Memory: one run, plus one piece per run while merging
// and the next pieces of the first runs, read ahead (READ_AHEAD_BYTES in all).
//
// Records are word-aligned and move by words, and a piece holds whole records, so neither
// spilling nor merging makes an object per pair: the merge compares key hashes in the pieces
// and copies a kept leaf's hashes, key and value into its batch's buffers (./writer.ts LeafBatch).
import type { Store } from '../store/store.js';
import { assertKeyLength, MAX_KEY_LENGTH } from '../format/chunk.js';
import { StorageFailed } from '../errors.js';
import { PairHasher, type Pair } from '../tree/pairs.js';
import { sortedLatest } from '../tree/sort.js';
import type { LeafBatch } from './writer.js';
import { SortSpace, sweepStaleSorts } from './sort-space.js';
import { WriteWindow } from '../store/write-window.js';
import { nextTurn } from '../store/next-turn.js';

export interface SortOptions {
  /** Where runs are spilled (under tmp/sort-…/, deleted when the sort ends). */
  store: Store;
  /** Bytes gathered per run before it is sorted and spilled (default 32 MiB). */
  runBytes?: number;
  /** Bytes per spilled piece, what the merge holds of each run (default 512 KiB). */
  pieceBytes?: number;
}

const DEFAULT_RUN_BYTES = 32 << 20;
// Each piece costs a file's writes and reads and a merge step (~0.5 ms), so pieces are large;
// the merge holds one per run (a 2 GB state has ~40 runs).
const DEFAULT_PIECE_BYTES = 1 << 19;
/**
 * Bytes of pieces the merge reads ahead, in all: the next piece of as many runs as fit (read
 * one at a time when it is needed, a piece stalls the merge for the store's read).
 */
const READ_AHEAD_BYTES = 16 << 20;
/** Leaves per batch handed on (an await per leaf costs more than the leaf's own work). */
export const LEAF_BATCH = 1024;
/** Words of the buffer the keys and values of a batch of kept leaves are copied into. */
const BATCH_WORDS = 1 << 16;
/** Spilled pieces per store write (a store writes a batch in parallel). */
const PUT_BATCH = 4;
/** Piece buffers kept for reuse: as many as are cut or written at once (two batches in flight and one being cut). */
const SPARE_PIECES = 3 * PUT_BATCH;

// A record: keyHash (8 words) ‖ valueHash (8) ‖ pair index (lo, hi) ‖ key length ‖ value length
// (DELETED: a null value) ‖ key ‖ value ‖ zero padding to a word.
const HEADER_WORDS = 20;
const HEADER = 4 * HEADER_WORDS;
const INDEX = 16;
const KEY_LENGTH = 18;
const VALUE_LENGTH = 19;
const DELETED = 0xffffffff;

const recordWords = (keyLength: number, valueLength: number) => HEADER_WORDS + ((keyLength + valueLength + 3) >>> 2);

/** A run in key-hash order, being cut into pieces: `order[next]` is the next record. */
interface Sorted {
  order: Uint32Array;
  next: number;
}

/** The run being gathered: records in an arena reused from run to run. */
class Run {
  /**
   * Piece buffers whose writes are done, cut into again: a sort that allocated a fresh one per
   * piece left its whole spill as garbage between collections (a fifth of the peak), and paid a
   * page fault per 4 KiB of it.
   */
  private readonly spare: Uint32Array[] = [];
  private readonly pieceWords: number;
  private words: Uint32Array = new Uint32Array(1 << 14);
  private bytes: Uint8Array = new Uint8Array(this.words.buffer);
  private used = 0;
  private starts: Uint32Array = new Uint32Array(1 << 10);
  /**
   * Puts a batch's hashes into its records' headers as soon as they are computed, while those
   * records are still in cache: cutting in key-hash order then reads each record from one place
   * (memory latency, not arithmetic, bounds that random-order copy).
   */
  private readonly onHashed = (first: number, keyHashes: Uint8Array, valueHashes: Uint8Array) => {
    const keyWords = new Uint32Array(keyHashes.buffer, keyHashes.byteOffset, keyHashes.length >>> 2);
    const valueWords = new Uint32Array(valueHashes.buffer, valueHashes.byteOffset, valueHashes.length >>> 2);
    const { words, starts } = this;
    for (let j = 0; j < keyWords.length >>> 3; j++) {
      const at = starts[first + j];
      for (let w = 0; w < 8; w++) {
        words[at + w] = keyWords[8 * j + w];
        words[at + 8 + w] = valueWords[8 * j + w];
      }
    }
  };
  private hasher = new PairHasher(this.onHashed);
  count = 0;
  first = 0;

  /**
   * `limit`: the run's size, past which the arena does not grow ahead (only to fit a record);
   * `pieceBytes`: about how much of it a piece holds.
   */
  constructor(private readonly limit: number, pieceBytes: number) {
    this.pieceWords = Math.max(HEADER_WORDS, pieceBytes >>> 2);
  }

  /** Takes back a piece (a view of a buffer `piece` made) once nothing else holds it. */
  reuse(piece: Uint8Array): void {
    if (piece.buffer.byteLength === 4 * this.pieceWords && this.spare.length < SPARE_PIECES) this.spare.push(new Uint32Array(piece.buffer));
  }

  /** Bytes held (what a spill writes). */
  get size(): number {
    return 4 * this.used;
  }

  add(p: Pair): void {
    const index = this.first + this.count;
    PairHasher.check(p, index);
    const keyLength = p.key.length;
    const valueLength = p.value ? p.value.length : 0;
    const at = this.used;
    const end = at + recordWords(keyLength, valueLength);
    if (end > this.words.length) this.grow(end);
    if (this.count === this.starts.length) this.starts = grown(this.starts, 2 * this.count);
    const { words, bytes } = this;
    words[at + INDEX] = index >>> 0;
    words[at + INDEX + 1] = Math.floor(index / 2 ** 32);
    words[at + KEY_LENGTH] = keyLength;
    words[at + VALUE_LENGTH] = p.value ? valueLength : DELETED;
    words[end - 1] = 0; // padding
    bytes.set(p.key, 4 * at + HEADER);
    if (p.value) bytes.set(p.value, 4 * at + HEADER + keyLength);
    this.starts[this.count++] = at;
    this.used = end;
    this.hasher.addChecked(p); // last: it may hash this record's batch and call onHashed
  }

  /**
   * Sorts the run and cuts it into pieces of whole records, handed to `emit` in key-hash order;
   * then empties the run for the next one.
   */
  async spill(emit: (piece: Uint8Array) => Promise<void>): Promise<void> {
    const { keyHashes } = this.hasher.result();
    const sorted: Sorted = { order: sortedLatest(keyHashes), next: 0 };
    while (sorted.next < sorted.order.length) await emit(this.piece(sorted));
    this.first += this.count;
    this.count = 0;
    this.used = 0;
    this.hasher = new PairHasher(this.onHashed);
  }

  /**
   * The next piece: records from `sorted.next` on, as many as fit in a piece (at least one).
   * Synchronous, so the copy loop is plain optimized code (not an async function's).
   */
  private piece(sorted: Sorted): Uint8Array {
    const { words, starts } = this;
    const { order } = sorted;
    const recordAt = (from: number) => {
      const valueLength = words[from + VALUE_LENGTH];
      return recordWords(words[from + KEY_LENGTH], valueLength === DELETED ? 0 : valueLength);
    };
    const size = Math.max(this.pieceWords, recordAt(starts[order[sorted.next]]));
    const piece = size === this.pieceWords && this.spare.length > 0 ? this.spare.pop()! : new Uint32Array(size);
    let at = 0;
    let i = sorted.next;
    for (; i < order.length; i++) {
      const from = starts[order[i]];
      const n = recordAt(from);
      if (at + n > piece.length) break;
      piece.set(words.subarray(from, from + n), at);
      at += n;
    }
    sorted.next = i;
    return new Uint8Array(piece.buffer, 0, 4 * at);
  }

  private grow(need: number): void {
    const ahead = Math.min(2 * this.words.length, (this.limit >>> 2) + (1 << 16));
    this.words = grown(this.words, Math.max(need, ahead));
    this.bytes = new Uint8Array(this.words.buffer);
  }
}

function grown(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}

/** Reads a sorted run back, one piece at a time; `at` is the current record (a word offset). */
class RunReader {
  words: Uint32Array = new Uint32Array(0);
  bytes: Uint8Array = new Uint8Array(0);
  at = 0;
  /** The current record's key hash, first four bytes (big-endian): most comparisons end here. */
  prefix = 0;
  done = false;
  private next = 0;
  /** The next piece, read while this one is merged (if `readAhead`). */
  private ahead: Promise<Uint8Array> | undefined;

  constructor(private readonly load: (i: number) => Promise<Uint8Array>, private readonly pieces: number,
    readonly run: number, private readonly readAhead: boolean) {}

  /** Moves to the next record in the piece: false when the piece is used up (then `advance`). */
  step(): boolean {
    const { words } = this;
    this.at += recordWords(words[this.at + KEY_LENGTH], words[this.at + VALUE_LENGTH] === DELETED ? 0 : words[this.at + VALUE_LENGTH]);
    if (this.at === words.length) return false;
    this.check();
    return true;
  }

  /** Loads the next piece (or ends the run). */
  async advance(): Promise<void> {
    if (this.next === this.pieces) {
      this.done = true;
      return;
    }
    let bytes = await (this.ahead ?? this.load(this.next));
    this.next++;
    this.ahead = this.readAhead && this.next < this.pieces ? this.load(this.next) : undefined;
    this.ahead?.catch(() => {}); // reported when awaited
    if (bytes.length % 4 !== 0 || bytes.length === 0) throw this.corrupted();
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
    this.bytes = bytes;
    this.words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    this.at = 0;
    this.check();
  }

  /** Checks the current record lies within its piece, and reads its prefix. */
  private check(): void {
    const { words, at } = this;
    const keyLength = words[at + KEY_LENGTH];
    const valueLength = words[at + VALUE_LENGTH];
    if (at + HEADER_WORDS > words.length || at + recordWords(keyLength, valueLength === DELETED ? 0 : valueLength) > words.length) throw this.corrupted();
    const b = this.bytes;
    const p = 4 * at;
    this.prefix = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  private corrupted(): StorageFailed {
    return new StorageFailed(`piece ${this.next - 1} of sort run ${this.run} is corrupted`);
  }
}

/** Whether the key hashes at byte offsets `a` of `x` and `b` of `y` are equal from byte 4 on. */
function compareRest(x: Uint8Array, a: number, y: Uint8Array, b: number): number {
  for (let i = 4; i < 32; i++) {
    const d = x[a + i] - y[b + i];
    if (d !== 0) return d;
  }
  return 0;
}

/** Batches of hashed leaves of `pairs` in strictly increasing key-hash order (later pair wins, null deletes). */
export async function* sortPairs(pairs: AsyncIterable<Pair> | Iterable<Pair>, opts: SortOptions): AsyncGenerator<LeafBatch> {
  const { store } = opts;
  const runBytes = opts.runBytes ?? DEFAULT_RUN_BYTES;
  const pieceBytes = opts.pieceBytes ?? DEFAULT_PIECE_BYTES;
  const space = new SortSpace(store);
  // What crashed creates left is swept now, even if this sort never spills.
  await sweepStaleSorts(store);
  const spilled: number[] = []; // pieces per run
  let run: Run | undefined = new Run(runBytes, pieceBytes);
  // Pieces are written PUT_BATCH at a time while the next are cut (two batches in flight), and
  // go back to the run once written (a store keeps no view of the bytes it is given).
  const writes = new WriteWindow({
    put: async (entries, options) => {
      await store.put(entries, options);
      for (const [, piece] of entries) run?.reuse(piece);
    },
  }, 2, { scratch: true });
  try {
    let pending: Array<[string, Uint8Array]> = [];
    const toStore = async (piece: Uint8Array) => {
      const r = spilled.length - 1;
      pending.push([`${space.prefix}${r}/${spilled[r]++}`, piece]);
      if (pending.length === PUT_BATCH) {
        await writes.put(pending);
        pending = [];
      }
      await nextTurn(); // the writes in flight advance while the next pieces are cut
    };
    const spill = async () => {
      await space.claim();
      spilled.push(0);
      await run!.spill(toStore);
      if (pending.length) await writes.put(pending);
      pending = [];
    };
    for await (const p of pairs) {
      run.add(p);
      if (run.size >= runBytes) await spill();
    }
    let readers: RunReader[];
    if (spilled.length === 0) {
      const pieces: Uint8Array[] = [];
      await run.spill(async (piece) => { pieces.push(piece); });
      readers = [new RunReader(async (i) => pieces[i], pieces.length, 0, false)];
    } else {
      if (run.count > 0) await spill();
      await writes.drain();
      readers = spilled.map((n, r) => new RunReader(async (i) => {
        const key = `${space.prefix}${r}/${i}`;
        const piece = await store.get(key);
        if (!piece) throw new StorageFailed(`sort run piece ${key} is missing (was the store's tmp/ folder cleared during the create?)`);
        return piece;
      }, n, r, r < READ_AHEAD_BYTES / pieceBytes));
    }
    run = undefined; // its memory is free for the merge
    yield* merge(readers);
  } finally {
    await writes.drain().catch(() => {}); // nothing lands after the runs are deleted
    await space.release();
  }
}

/** K-way merge of sorted runs; for a key hash in several runs the latest run's record wins. */
async function* merge(readers: RunReader[]): AsyncGenerator<LeafBatch> {
  await Promise.all(readers.map((r) => r.advance()));
  // A binary min-heap of readers by (key hash, run); equal key hashes pop in run order.
  const heap = readers.filter((r) => !r.done);
  const less = (a: RunReader, b: RunReader) => {
    if (a.prefix !== b.prefix) return a.prefix < b.prefix;
    const c = compareRest(a.bytes, 4 * a.at, b.bytes, 4 * b.at);
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
  // Kept records are copied into the batch's own buffers, so a piece is released as soon as
  // its run moves past it (views of pieces held by the writer's chunk would keep a piece of
  // every run alive, and a state of many runs would hold several times the merge's memory).
  let batch = newBatch(BATCH_WORDS);
  let hashes = new Uint32Array(batch.hashes.buffer);
  let data = new Uint32Array(batch.data.buffer);
  let used = 0; // words of `data`
  while (heap.length > 0) {
    // Pop every record with the smallest key hash; the last popped (latest run) wins.
    let words: Uint32Array;
    let bytes: Uint8Array;
    let at: number;
    let prefix: number;
    for (;;) {
      const top = heap[0];
      ({ words, bytes, at, prefix } = top);
      if (!top.step()) await top.advance();
      if (top.done) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      if (heap.length) down(0);
      if (!heap.length || heap[0].prefix !== prefix || compareRest(heap[0].bytes, 4 * heap[0].at, bytes, 4 * at) !== 0) break;
    }
    const valueLength = words[at + VALUE_LENGTH];
    if (valueLength === DELETED) continue;
    const keyLength = words[at + KEY_LENGTH];
    if (keyLength === 0 || keyLength > MAX_KEY_LENGTH) {
      assertKeyLength(bytes.subarray(4 * at + HEADER, 4 * at + HEADER + keyLength), `pair ${words[at + INDEX] + words[at + INDEX + 1] * 2 ** 32}`);
    }
    const n = (keyLength + valueLength + 3) >>> 2;
    if (batch.count === LEAF_BATCH || used + n > data.length) {
      if (batch.count) {
        await nextTurn(); // the pieces read ahead (and the writer's files) advance
        yield batch;
      }
      batch = newBatch(Math.max(BATCH_WORDS, n));
      hashes = new Uint32Array(batch.hashes.buffer);
      data = new Uint32Array(batch.data.buffer);
      used = 0;
    }
    const i = batch.count++;
    for (let w = 0; w < 16; w++) hashes[16 * i + w] = words[at + w];
    const from = at + HEADER_WORDS;
    for (let w = 0; w < n; w++) data[used + w] = words[from + w];
    batch.keyAt[i] = 4 * used;
    batch.keyLength[i] = keyLength;
    batch.valueLength[i] = valueLength;
    used += n;
  }
  if (batch.count) yield batch;
}

/** An empty batch of up to LEAF_BATCH leaves whose keys and values take up to `words` words. */
function newBatch(words: number): LeafBatch {
  return {
    count: 0, hashes: new Uint8Array(64 * LEAF_BATCH), data: new Uint8Array(4 * words),
    keyAt: new Uint32Array(LEAF_BATCH), keyLength: new Uint32Array(LEAF_BATCH), valueLength: new Uint32Array(LEAF_BATCH),
  };
}
