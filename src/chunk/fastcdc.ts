// FastCDC content-defined chunking (fastcdc-rs 4.0.1 cut points, v2020 or ronomon): one-shot over a buffer,
// and an incremental chunker that holds at most `maxSize` bytes between pushes.
import { assertBytes } from '../assert.js';
import { backend } from '../core/load.js';
import type { FastCdcChunk, FastCdcParams } from '../core/backend.js';
import { resolveFastCdcOptions, type FastCdcOptions } from './options.js';

/** A chunk: `offset` and `length` in the input, and fastcdc-rs's 64-bit gear hash at its end. */
export type CdcChunk = FastCdcChunk;

/** A chunk with its bytes, ready to hash or store. */
export interface CdcChunkData extends CdcChunk {
  /**
   * The chunk's bytes: a view into the buffer you pushed when the chunk lies inside it (valid
   * until you overwrite that buffer), otherwise a view of the chunker's own buffer, which it
   * never writes again (or a copy): yours to keep.
   */
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Splits `data` into FastCDC chunks covering it exactly, in order. */
export function fastcdc(data: Uint8Array, options?: FastCdcOptions): CdcChunk[] {
  assertBytes(data, 'data');
  return backend().fastcdc(data, EMPTY, true, resolveFastCdcOptions(options), 0);
}

/**
 * Incremental FastCDC: `push` bytes in pieces of any size and get back the chunks that are
 * now certain, then `finish` for the rest. The chunks equal `fastcdc()` over the whole input,
 * whatever the split, and memory stays bounded by 4 × `maxSize` plus the piece being pushed.
 */
export class FastCdcChunker {
  /** The options in effect, with defaults filled in. */
  readonly params: FastCdcParams;
  /**
   * Bytes after the last chunk returned. They gather to GATHER × maxSize before a cut, so one
   * pass through the core cuts several chunks (a pass per piece would copy the bytes held,
   * up to maxSize, into the core again for every piece); after a cut the rest moves to a new
   * buffer, since the chunks returned may be views of this one.
   */
  private carry = EMPTY;
  private carryLength = 0;
  private readonly gather: number;
  /** Transient chunks: the buffer the carry moved out of, reused for the next carry. */
  private spare = EMPTY;
  /** Stream offset of carry[0]. */
  private offset = 0;
  private finished = false;

  /**
   * `transient`: the chunks' bytes are valid only until the next `push` or `finish` (the
   * chunker reuses its two buffers instead of taking fresh memory for every cut): for a
   * caller that hashes or stores each chunk at once.
   */
  constructor(options?: FastCdcOptions, private readonly transient = false) {
    this.params = resolveFastCdcOptions(options);
    this.gather = GATHER * this.params.maxSize;
  }

  /** Adds the next bytes of the stream; returns the chunks they complete. */
  push(data: Uint8Array): CdcChunkData[] {
    assertBytes(data, 'data');
    this.assertOpen();
    if (this.carryLength + data.length < this.gather) {
      this.append(data);
      return [];
    }
    return this.cut(data, false);
  }

  /** Ends the stream; returns the remaining chunks (the last may be shorter than `minSize`). */
  finish(): CdcChunkData[] {
    this.assertOpen();
    this.finished = true;
    return this.cut(EMPTY, true);
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('FastCdcChunker: used after finish()');
  }

  private cut(data: Uint8Array, end: boolean): CdcChunkData[] {
    const head = this.carry.subarray(0, this.carryLength);
    const chunks = backend().fastcdc(head, data, end, this.params, this.offset) as CdcChunkData[];
    let used = 0;
    for (const chunk of chunks) {
      chunk.bytes = bytesOf(head, data, used, chunk.length);
      used += chunk.length;
    }
    [this.carry, this.spare] = this.transient ? [this.spare, this.carry] : [EMPTY, EMPTY];
    this.carryLength = 0;
    if (used < head.length) this.append(head.subarray(used));
    this.append(data.subarray(Math.max(0, used - head.length)));
    this.offset += used;
    return chunks;
  }

  /** Appends to the carry (a new buffer, of `gather` bytes, when there is none). */
  private append(more: Uint8Array): void {
    if (more.length === 0) return;
    if (this.carry.length === 0) this.carry = new Uint8Array(this.gather);
    this.carry.set(more, this.carryLength);
    this.carryLength += more.length;
  }
}

/** Chunks' worth of maxSize gathered per cut. */
const GATHER = 4;

/** Bytes [from, from + length) of `head ‖ tail`: a view of either when it lies inside one. */
function bytesOf(head: Uint8Array, tail: Uint8Array, from: number, length: number): Uint8Array {
  if (from >= head.length) return tail.subarray(from - head.length, from - head.length + length);
  if (from + length <= head.length) return head.subarray(from, from + length);
  const out = new Uint8Array(length);
  out.set(head.subarray(from));
  out.set(tail.subarray(0, length - (head.length - from)), head.length - from);
  return out;
}
