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
   * until you overwrite that buffer), otherwise a copy.
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
 * whatever the split, and memory stays bounded by `maxSize` plus the piece being pushed.
 */
export class FastCdcChunker {
  /** The options in effect, with defaults filled in. */
  readonly params: FastCdcParams;
  /** Bytes after the last chunk returned: always fewer than `maxSize`. */
  private carry = EMPTY;
  private carryLength = 0;
  /** Stream offset of carry[0]. */
  private offset = 0;
  private finished = false;

  constructor(options?: FastCdcOptions) {
    this.params = resolveFastCdcOptions(options);
  }

  /** Adds the next bytes of the stream; returns the chunks they complete. */
  push(data: Uint8Array): CdcChunkData[] {
    assertBytes(data, 'data');
    this.assertOpen();
    if (this.carryLength + data.length < this.params.maxSize) {
      this.keep(this.carryLength, data);
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
    if (used < head.length) {
      this.carry.copyWithin(0, used, head.length);
      this.keep(head.length - used, data);
    } else {
      this.keep(0, data.subarray(used - head.length));
    }
    this.offset += used;
    return chunks;
  }

  /** Makes the carry `carry[0, kept) ‖ more`. */
  private keep(kept: number, more: Uint8Array): void {
    if (this.carry.length < this.params.maxSize && more.length > 0) {
      const grown = new Uint8Array(this.params.maxSize);
      grown.set(this.carry.subarray(0, kept));
      this.carry = grown;
    }
    this.carry.set(more, kept);
    this.carryLength = kept + more.length;
  }
}

/** Bytes [from, from + length) of `head ‖ tail`: a view into `tail` when possible (head is reused). */
function bytesOf(head: Uint8Array, tail: Uint8Array, from: number, length: number): Uint8Array {
  if (from >= head.length) return tail.subarray(from - head.length, from - head.length + length);
  const out = new Uint8Array(length);
  const fromHead = Math.min(length, head.length - from);
  out.set(head.subarray(from, from + fromHead));
  out.set(tail.subarray(0, length - fromHead), fromHead);
  return out;
}
