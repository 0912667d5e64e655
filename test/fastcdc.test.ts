import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind, FastCdcParams } from '../src/core/backend.js';
import { fastcdc, fastcdcStream, FastCdcChunker, InvalidArgument, type CdcChunk, type CdcChunkData } from '../src/index.js';
import vectors from './vectors/fastcdc/v2020.json';
import ronomon from './vectors/fastcdc/ronomon.json';
import sekienUrl from './vectors/fastcdc/SekienAkashita.jpg?inline';
import { referenceFastcdc, referenceRonomon, ronomonTable } from './fastcdc-reference.js';
import { hex, oracleSha256, rng } from './helpers.js';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];
const EMPTY = new Uint8Array(0);
const sekien = new Uint8Array(await (await fetch(sekienUrl)).arrayBuffer());

type Vector = (typeof vectors.sekien)[number];
const paramsOf = (v: Vector | typeof vectors.allZeros): FastCdcParams =>
  ({ variant: 'v2020', minSize: v.minSize, avgSize: v.avgSize, maxSize: v.maxSize, level: v.level, seed: BigInt(v.seed) });
const ronomonParams = (v: { minSize: number; avgSize: number; maxSize: number }): FastCdcParams =>
  ({ variant: 'ronomon', minSize: v.minSize, avgSize: v.avgSize, maxSize: v.maxSize, level: 1, seed: 0n });
const expected = (v: { chunks: Array<{ offset: number; length: number; hash: string }> }) =>
  v.chunks.map((c) => ({ offset: c.offset, length: c.length, hash: BigInt(c.hash) }));
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const plain = (chunks: readonly CdcChunk[]) => chunks.map(({ offset, length, hash }) => ({ offset, length, hash }));

it('uses the fastcdc-rs fixture', async () => {
  expect(sekien.length).toBe(vectors.input.length);
  expect(hex(await oracleSha256(sekien))).toBe(vectors.input.sha256);
});

describe.each(kinds)('FastCDC on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind });

  it.each(vectors.sekien.map((v) => [v.name, v] as const))('reproduces fastcdc-rs %s', (_, v) => {
    expect(core.fastcdc(sekien, EMPTY, true, paramsOf(v), 0)).toEqual(expected(v));
  });

  it('reproduces fastcdc-rs test_cut_all_zeros', () => {
    const v = vectors.allZeros;
    expect(core.fastcdc(new Uint8Array(v.length), EMPTY, true, paramsOf(v), 0)).toEqual(expected(v));
  });

  it('equals the BigInt reference on random data, for every level, odd sizes and seeds', () => {
    const r = rng(23);
    const data = r.bytes(300_000);
    const cases: FastCdcParams[] = [
      { variant: 'v2020', minSize: 64, avgSize: 256, maxSize: 1024, level: 0, seed: 0n },
      { variant: 'v2020', minSize: 65, avgSize: 300, maxSize: 1025, level: 1, seed: 0n },
      { variant: 'v2020', minSize: 1001, avgSize: 1500, maxSize: 4097, level: 2, seed: 0xdeadbeefcafef00dn },
      { variant: 'v2020', minSize: 2048, avgSize: 8192, maxSize: 32768, level: 3, seed: 666n },
    ];
    for (const p of cases) {
      expect(plain(core.fastcdc(data, EMPTY, true, p, 0)), JSON.stringify({ ...p, seed: String(p.seed) }))
        .toEqual(referenceFastcdc(data, p));
    }
  });

  it('reproduces fastcdc-rs ronomon test_sekien_16k_chunks and test_all_zeros', () => {
    expect(core.fastcdc(sekien, EMPTY, true, ronomonParams(ronomon.sekien), 0)).toEqual(expected(ronomon.sekien));
    const z = ronomon.allZeros;
    expect(core.fastcdc(new Uint8Array(z.length), EMPTY, true, ronomonParams(z), 0)).toEqual(expected(z));
  });

  it('ronomon equals its reference on random data, including a switch point before minSize', async () => {
    const table = await ronomonTable();
    const data = rng(29).bytes(300_000);
    for (const p of [{ minSize: 64, avgSize: 256, maxSize: 1024 }, { minSize: 1001, avgSize: 4000, maxSize: 9000 },
      { minSize: 8192, avgSize: 16384, maxSize: 32768 }]) {
      expect(plain(core.fastcdc(data, EMPTY, true, ronomonParams(p), 0)), JSON.stringify(p)).toEqual(referenceRonomon(data, p, table));
    }
  });

  it('cuts a head and tail split like the whole, and leaves fewer than maxSize bytes without end', () => {
    const data = rng(5).bytes(3 << 20);
    const p: FastCdcParams = { variant: 'v2020', minSize: 16384, avgSize: 65536, maxSize: 262144, level: 1, seed: 0n };
    const whole = core.fastcdc(data, EMPTY, true, p, 0);
    expect(core.fastcdc(data.subarray(0, 123_457), data.subarray(123_457), true, p, 0)).toEqual(whole);
    const open = core.fastcdc(data, EMPTY, false, p, 0);
    const used = open.reduce((n, c) => n + c.length, 0);
    expect(data.length - used).toBeLessThan(p.maxSize);
    expect(open).toEqual(whole.slice(0, open.length));
  });
});

describe('fastcdc() and the streaming chunker', () => {
  const v16k = vectors.sekien[0];
  const opts = { minSize: v16k.minSize, avgSize: v16k.avgSize, maxSize: v16k.maxSize };

  it('one-shot API reproduces the 16 KiB table with default level 1', () => {
    expect(fastcdc(sekien, opts)).toEqual(expected(v16k));
  });

  it('FastCdcChunker with random splits equals one-shot, and hands out the right bytes', () => {
    const r = rng(99);
    const data = r.bytes(2_500_000);
    const o = { minSize: 4096, avgSize: 16384, maxSize: 65536, level: 2 };
    const want = fastcdc(data, o);
    for (let round = 0; round < 12; round++) {
      const chunker = new FastCdcChunker(o);
      const got = [];
      let pos = 0;
      while (pos < data.length) {
        const kind = r.int(4);
        const step = kind === 0 ? r.int(16) : kind === 1 ? r.int(70_000) : kind === 2 ? r.int(300_000) : r.int(1_500_000);
        got.push(...chunker.push(data.subarray(pos, Math.min(data.length, pos + step))));
        pos += step;
      }
      got.push(...chunker.finish());
      expect(plain(got), `round ${round}`).toEqual(want);
      const wrong = got.filter((c) => !sameBytes(c.bytes, data.subarray(c.offset, c.offset + c.length)));
      expect(wrong.map((c) => c.offset)).toEqual([]);
    }
  });

  it('chunks stay right after the caller reuses its buffer; transient ones until the next push', () => {
    const r = rng(33);
    const data = r.bytes(3_000_000);
    const o = { minSize: 2048, avgSize: 8192, maxSize: 32768, level: 1 };
    const want = fastcdc(data, o);
    const reused = new Uint8Array(100_000);
    for (const transient of [false, true]) {
      const chunker = new FastCdcChunker(o, transient);
      const kept: CdcChunkData[] = [];
      const wrongAtOnce: number[] = [];
      const take = (chunks: CdcChunkData[]) => {
        for (const c of chunks) {
          if (!sameBytes(c.bytes, data.subarray(c.offset, c.offset + c.length))) wrongAtOnce.push(c.offset);
          kept.push(c);
        }
      };
      for (let pos = 0; pos < data.length;) {
        const step = Math.min(data.length - pos, 1 + r.int(reused.length));
        reused.set(data.subarray(pos, pos + step));
        take(chunker.push(reused.subarray(0, step)));
        reused.fill(0xee); // the caller's buffer, overwritten before the next push
        pos += step;
      }
      take(chunker.finish());
      expect(plain(kept)).toEqual(want);
      expect(wrongAtOnce, `transient ${transient}`).toEqual([]);
      // Kept chunks stay right, except views of the caller's buffer (documented as such).
      const wrongLater = kept.filter((c) => c.bytes.buffer !== reused.buffer && !sameBytes(c.bytes, data.subarray(c.offset, c.offset + c.length)));
      if (!transient) expect(wrongLater.map((c) => c.offset)).toEqual([]);
    }
  });

  it('one-shot input spanning several scratch windows equals small-piece streaming', () => {
    // The core sees at most max(4 MiB, 4 × maxSize) bytes per pass; 9 MiB crosses two windows,
    // while 50 KiB pushes never fill one.
    const data = rng(31).bytes(9 << 20);
    const o = { minSize: 1024, avgSize: 8192, maxSize: 65536, level: 1 };
    const chunker = new FastCdcChunker(o);
    const streamed = [];
    for (let pos = 0; pos < data.length; pos += 50_000) streamed.push(...chunker.push(data.subarray(pos, pos + 50_000)));
    streamed.push(...chunker.finish());
    expect(plain(fastcdc(data, o))).toEqual(plain(streamed));
  });

  it('fastcdcStream over a ReadableStream and an async iterable equals one-shot', async () => {
    const r = rng(4);
    const data = r.bytes(700_000);
    const want = fastcdc(data, opts);
    const pieces: Uint8Array[] = [];
    for (let pos = 0; pos < data.length;) {
      const step = r.int(40_000) + 1;
      pieces.push(data.slice(pos, pos + step));
      pos += step;
    }
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of pieces) controller.enqueue(p);
        controller.close();
      },
    });
    async function* gen() { yield* pieces; }
    for (const source of [stream, gen(), pieces]) {
      const got = [];
      for await (const c of fastcdcStream(source, opts)) got.push(c);
      expect(plain(got)).toEqual(want);
      expect(hex(await oracleSha256(got[3].bytes))).toBe(hex(await oracleSha256(data.subarray(want[3].offset, want[3].offset + want[3].length))));
    }
  });

  it('one-shot ronomon reproduces its table, and its chunker equals one-shot', () => {
    const o = { variant: 'ronomon', minSize: 8192, avgSize: 16384, maxSize: 32768 } as const;
    expect(fastcdc(sekien, o)).toEqual(expected(ronomon.sekien));
    const chunker = new FastCdcChunker(o);
    const got = [];
    for (let pos = 0; pos < sekien.length; pos += 5000) got.push(...chunker.push(sekien.subarray(pos, pos + 5000)));
    got.push(...chunker.finish());
    expect(plain(got)).toEqual(expected(ronomon.sekien));
  });

  it('handles empty input and input shorter than minSize', () => {
    expect(fastcdc(new Uint8Array(0), opts)).toEqual([]);
    expect(plain(fastcdc(new Uint8Array(100), opts))).toEqual([{ offset: 0, length: 100, hash: 0n }]);
    const chunker = new FastCdcChunker(opts);
    expect(chunker.push(new Uint8Array(0))).toEqual([]);
    expect(chunker.finish()).toEqual([]);
    expect(() => chunker.push(new Uint8Array(1))).toThrow(/after finish/);
  });

  it('property: chunks cover the input exactly, within [minSize, maxSize] except the last', () => {
    fc.assert(fc.property(
      fc.integer({ min: 64, max: 2048 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40_000 }),
      fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 0, max: 3 }),
      (minSize, avgExtra, length, seed, level) => {
        const avgSize = Math.max(256, minSize * (1 + avgExtra));
        const maxSize = Math.max(1024, avgSize * 2);
        const data = rng(seed).bytes(length);
        const chunks = fastcdc(data, { minSize, avgSize, maxSize, level });
        let pos = 0;
        chunks.forEach((c, i) => {
          expect(c.offset).toBe(pos);
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(maxSize);
          // fastcdc-rs starts hashing at byte pairs from floor(minSize / 2), so with an odd
          // minSize the earliest cut is minSize - 1.
          if (i < chunks.length - 1) expect(c.length).toBeGreaterThanOrEqual(minSize - (minSize % 2));
          pos += c.length;
        });
        expect(pos).toBe(length);
      }), { numRuns: 150 });
  });

  it('rejects bad options with InvalidArgument naming the option', () => {
    const bad: Array<[object, RegExp]> = [
      [{ minSize: 63, avgSize: 256, maxSize: 1024 }, /minSize/],
      [{ minSize: 1_048_577, avgSize: 4_194_304, maxSize: 16_777_216 }, /minSize/],
      [{ minSize: 64, avgSize: 255, maxSize: 1024 }, /avgSize/],
      [{ avgSize: 4_194_305 }, /avgSize/],
      [{ minSize: 64, avgSize: 256, maxSize: 1023 }, /maxSize/],
      [{ maxSize: 16_777_217 }, /maxSize/],
      [{ minSize: 4096, avgSize: 2048, maxSize: 8192 }, /minSize \(4096\) must not exceed avgSize/],
      [{ minSize: 1024, avgSize: 8192, maxSize: 4096 }, /avgSize \(8192\) must not exceed maxSize/],
      [{ level: 4 }, /level/],
      [{ level: -1 }, /level/],
      [{ level: 1.5 }, /level/],
      [{ avgSize: '16384' }, /avgSize/],
      [{ seed: -1 }, /seed/],
      [{ seed: 1n << 64n }, /seed/],
      [{ variant: 'v2016' }, /variant must be 'v2020' or 'ronomon'/],
      [{ variant: 'ronomon', level: 2 }, /variant 'ronomon' takes no level/],
      [{ variant: 'ronomon', seed: 5 }, /variant 'ronomon' takes no seed/],
    ];
    for (const [options, message] of bad) {
      expect(() => fastcdc(sekien, options as never), JSON.stringify(options, (_, v) => typeof v === 'bigint' ? String(v) : v))
        .toThrow(message);
      expect(() => new FastCdcChunker(options as never)).toThrow(InvalidArgument);
    }
    expect(() => fastcdc('bytes' as never)).toThrow(InvalidArgument);
  });

  it('defaults to fastcdc-rs example sizes: avgSize 131072, minSize avg/4, maxSize avg*4, level 1', () => {
    expect(new FastCdcChunker().params).toEqual({ variant: 'v2020', minSize: 32768, avgSize: 131072, maxSize: 524288, level: 1, seed: 0n });
    expect(new FastCdcChunker({ avgSize: 16384 }).params).toEqual({ variant: 'v2020', minSize: 4096, avgSize: 16384, maxSize: 65536, level: 1, seed: 0n });
  });
});
