// Buffers sorted leaves and feeds them to the core's root engine in large batches, with
// optional per-leaf watch flags whose sibling events are handed to a callback.
import { backend } from '../core/load.js';
import type { JmtRootStream, SiblingEvent } from '../core/jmt.js';
import { JMT_OUTSIDE_SUBTREE } from '../core/status.js';
import { UnsortedLeaves } from '../errors.js';

const BATCH = 4096;

export class LeafStream {
  private readonly stream: JmtRootStream;
  private readonly leaves = new Uint8Array(BATCH * 64);
  private readonly watch = new Uint8Array(BATCH);
  private buffered = 0;
  private anyWatched = false;
  private finished = false;
  /** Leaves accepted so far. */
  count = 0;

  constructor(baseDepth = 0, onEvents?: (events: SiblingEvent[]) => void) {
    this.stream = backend().jmt.rootStream(baseDepth, onEvents);
  }

  /** Adds one leaf; `watched` asks for its sibling events. Returns the leaf's index. */
  add(keyHash: Uint8Array, valueHash: Uint8Array, watched = false): number {
    if (this.finished) throw new Error('LeafStream: add() after finish()');
    // Flushing before (not after) adding keeps the newest leaf buffered, for watchLast().
    if (this.buffered === BATCH) this.flush();
    const at = this.buffered * 64;
    this.leaves.set(keyHash, at);
    this.leaves.set(valueHash, at + 32);
    this.watch[this.buffered] = watched ? 1 : 0;
    this.anyWatched ||= watched;
    this.buffered++;
    return this.count++;
  }

  /**
   * Adds leaves [from, to) of `leaves` (keyHash ‖ valueHash, 64 bytes each), none watched, as one
   * copy per batch (the newest stays buffered, for watchLast()).
   */
  addRange(leaves: Uint8Array, from: number, to: number): void {
    if (this.finished) throw new Error('LeafStream: add() after finish()');
    while (from < to) {
      if (this.buffered === BATCH) this.flush();
      const n = Math.min(to - from, BATCH - this.buffered);
      this.leaves.set(leaves.subarray(from * 64, (from + n) * 64), this.buffered * 64);
      this.watch.fill(0, this.buffered, this.buffered + n);
      this.buffered += n;
      this.count += n;
      from += n;
    }
  }

  /** Adds packed leaves (n × 64 bytes) without watching any. */
  addPacked(leaves: Uint8Array): void {
    this.flush();
    if (this.finished) throw new Error('LeafStream: add() after finish()');
    this.check(this.stream.feed(leaves));
    this.count += leaves.length >>> 6;
  }

  /** Marks an already added leaf as watched, if it is still buffered (the most recent one is). */
  watchLast(): void {
    if (this.buffered === 0) throw new Error('LeafStream: the last leaf was already flushed');
    this.watch[this.buffered - 1] = 1;
    this.anyWatched = true;
  }

  finish(): Uint8Array {
    this.flush();
    this.finished = true;
    return this.stream.finish();
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const n = this.buffered;
    this.buffered = 0;
    this.check(this.stream.feed(this.leaves.subarray(0, n * 64), this.anyWatched ? this.watch.subarray(0, n) : undefined));
    this.anyWatched = false;
  }

  private check(status: number): void {
    if (status === 0) return;
    this.finished = true;
    const index = this.stream.errorIndex;
    throw status === JMT_OUTSIDE_SUBTREE
      ? new UnsortedLeaves(index, 'lies outside the subtree being built')
      : new UnsortedLeaves(index);
  }
}
