// Fixed-size chunking over an async source: every chunk `size` bytes but the last, each in its
// own buffer (the caller may keep it), holding at most one chunk in between.
import { assertInteger } from '../assert.js';
import { pieces, type ByteSource } from './stream.js';

/** Largest fixed chunk: the bound every chunk file of lightsnap's formats stays under. */
export const MAX_FIXED_CHUNK_BYTES = 64 << 20;

/** Cuts a stream of bytes into chunks of `size` bytes (the last may be shorter; none is empty). */
export async function* fixedChunks(source: ByteSource, size: number): AsyncGenerator<Uint8Array, void, undefined> {
  assertInteger(size, 'size', 1, MAX_FIXED_CHUNK_BYTES);
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const piece of pieces(source)) {
    let pos = 0;
    while (pos < piece.length) {
      const take = Math.min(size - fill, piece.length - pos);
      buf.set(piece.subarray(pos, pos + take), fill);
      fill += take;
      pos += take;
      if (fill === size) {
        yield buf;
        buf = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}
