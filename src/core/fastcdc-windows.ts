// FastCDC over the core: input of any size is copied through scratch memory one bounded window
// at a time, and the core is asked for one cut point per chunk. A window always holds at least
// `maxSize` bytes (or the end of the stream), which is all a cut point can depend on.
import { FASTCDC_BAD_PARAMS, FASTCDC_NEED_MORE, Scratch, type CoreExports } from './abi.js';
import type { Backend, FastCdcChunk, FastCdcParams } from './backend.js';

/** Smallest window copied into scratch per pass; larger `maxSize` gets 4 × maxSize. */
const MIN_WINDOW = 4 << 20;
/** The gear hash is written here, in front of the window. */
const HASH_BYTES = 8;
const LOW32 = 0xffffffffn;

export function createFastCdc(core: CoreExports, scratch: Scratch): Backend['fastcdc'] {
  let loadedSeed = 0n;

  function useSeed(seed: bigint): void {
    if (seed === loadedSeed) return;
    core.fastcdcSeed(Number(seed & LOW32), Number((seed >> 32n) & LOW32));
    loadedSeed = seed;
  }

  /** Copies bytes [from, from + length) of `head ‖ tail` to `dest`. */
  function copyRange(head: Uint8Array, tail: Uint8Array, from: number, length: number, dest: Uint8Array): void {
    const fromHead = Math.max(0, Math.min(length, head.length - from));
    if (fromHead > 0) dest.set(head.subarray(from, from + fromHead));
    if (fromHead < length) {
      const start = from + fromHead - head.length;
      dest.set(tail.subarray(start, start + length - fromHead), fromHead);
    }
  }

  return function fastcdc(head, tail, end, params: FastCdcParams, offset): FastCdcChunk[] {
    useSeed(params.seed);
    const { minSize, avgSize, maxSize, level } = params;
    const cutAt = params.variant === 'ronomon'
      ? (at: number, length: number, eof: number, hashOut: number) => core.fastcdcCutRonomon(at, length, minSize, avgSize, maxSize, eof, hashOut)
      : (at: number, length: number, eof: number, hashOut: number) => core.fastcdcCut(at, length, minSize, avgSize, maxSize, level, eof, hashOut);
    const total = head.length + tail.length;
    const windowSize = Math.max(MIN_WINDOW, 4 * maxSize);
    const chunks: FastCdcChunk[] = [];
    let done = 0;
    while (total - done > 0 && (end || total - done >= maxSize)) {
      const length = Math.min(total - done, windowSize);
      const last = end && done + length === total;
      const base = scratch.ensure(HASH_BYTES + length);
      const window = base + HASH_BYTES;
      copyRange(head, tail, done, length, scratch.view(window, length));
      const memory = new DataView(core.memory.buffer);
      let at = 0;
      while (at < length) {
        const cut = cutAt(window + at, length - at, last ? 1 : 0, base);
        if (cut === FASTCDC_NEED_MORE) break;
        if (cut === FASTCDC_BAD_PARAMS || cut <= 0) throw new RangeError(`FastCDC core rejected ${JSON.stringify({ ...params, seed: String(params.seed) })}`);
        chunks.push({ offset: offset + done + at, length: cut, hash: memory.getBigUint64(base, true) });
        at += cut;
      }
      done += at;
    }
    return chunks;
  };
}
