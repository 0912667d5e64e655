// FastCDC over an async source (a Node stream, a fetch body, a File's stream()): yields each
// chunk with its bytes as soon as it is certain, holding at most `maxSize` bytes in between.
import { InvalidArgument } from '../errors.js';
import { assertBytes } from '../assert.js';
import { FastCdcChunker, type CdcChunkData } from './fastcdc.js';
import type { FastCdcOptions } from './options.js';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Chunks a stream of bytes; the chunks equal `fastcdc()` over the concatenated input. */
export function fastcdcStream(source: ByteSource, options?: FastCdcOptions): AsyncGenerator<CdcChunkData, void, undefined> {
  return chunked(source, new FastCdcChunker(options));
}

/**
 * `fastcdcStream` whose chunks' bytes are valid only until the next chunk is asked for: for a
 * caller that hashes and stores each chunk at once (the chunker then reuses its memory).
 */
export function fastcdcTransient(source: ByteSource, options?: FastCdcOptions): AsyncGenerator<CdcChunkData, void, undefined> {
  return chunked(source, new FastCdcChunker(options, true));
}

async function* chunked(source: ByteSource, chunker: FastCdcChunker): AsyncGenerator<CdcChunkData, void, undefined> {
  for await (const piece of pieces(source)) yield* chunker.push(piece);
  yield* chunker.finish();
}

/** The pieces of any byte source, as an async iterable (checking that it is one). */
export async function* pieces(source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    // Reader-based, since not every browser makes ReadableStream async-iterable.
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (typeof source === 'object' && source !== null && (Symbol.asyncIterator in source || Symbol.iterator in source)) {
    for await (const piece of source as AsyncIterable<Uint8Array>) {
      assertBytes(piece, 'each piece of the source');
      yield piece;
    }
    return;
  }
  throw new InvalidArgument('source must be a ReadableStream or an (async) iterable of Uint8Array');
}
