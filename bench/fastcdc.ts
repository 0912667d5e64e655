// FastCDC throughput on 256 MiB of random data: the one-shot and streaming APIs, the chunk
// → SHA-256 pipeline, and the scalar and JavaScript cores. No FastCDC package on the npm
// registry list available here, so there is no peer row (BENCHMARKS.md says so).
import { measure, randomBytes, report, type Result } from './harness.js';
import { fastcdc, FastCdcChunker, fastcdcStream, sha256 } from '../src/index.js';
import { createBackend } from '../src/core/load.js';
import { availableParallelism, loadavg } from 'node:os';

const SIZE = 256 << 20;
/** The wasm2js core is an order of magnitude slower: measure it on less data (MB/s stays comparable). */
const JS_SIZE = 32 << 20;
const PIECE = 1 << 20;
const OPTS = { minSize: 4096, avgSize: 16384, maxSize: 65536 };
const EMPTY = new Uint8Array(0);

function pieces(data: Uint8Array): Uint8Array[] {
  const out = [];
  for (let p = 0; p < data.length; p += PIECE) out.push(data.subarray(p, p + PIECE));
  return out;
}

export async function run(): Promise<void> {
  const data = randomBytes(SIZE, 42);
  const bytes = { bytes: SIZE };
  const params = { ...OPTS, variant: 'v2020', level: 1, seed: 0n } as const;
  const scalar = await createBackend({ backend: 'wasm-scalar' });
  const js = await createBackend({ backend: 'js' });
  const results: Result[] = [
    await measure('lightsnap fastcdc() one-shot (wasm-simd core)', bytes, () => fastcdc(data, OPTS)),
    await measure('lightsnap FastCdcChunker, 1 MiB pushes', bytes, () => chunkInPieces(data)),
    await measure('lightsnap fastcdcStream, async 1 MiB pieces', bytes, async () => {
      for await (const _ of fastcdcStream(pieces(data), OPTS));
    }),
    await measure('lightsnap fastcdc() default sizes (avg 128 KiB)', bytes, () => fastcdc(data)),
    await measure('lightsnap fastcdc() ronomon variant', bytes, () => fastcdc(data, { ...OPTS, variant: 'ronomon' })),
    await measure('lightsnap fastcdcStream + sha256 of every chunk', bytes, async () => {
      for await (const c of fastcdcStream(pieces(data), OPTS)) sha256(c.bytes);
    }),
    await measure('wasm-scalar core, one-shot', bytes, () => scalar.fastcdc(data, EMPTY, true, params, 0)),
    await measure('js core (wasm2js), one-shot, 32 MiB', { bytes: JS_SIZE }, () =>
      js.fastcdc(data.subarray(0, JS_SIZE), EMPTY, true, params, 0), 1),
  ];
  const byCpu = {
    'fastcdc() one-shot': cpuThroughput(() => fastcdc(data, OPTS), SIZE),
    'FastCdcChunker, 1 MiB pushes': cpuThroughput(() => chunkInPieces(data), SIZE),
    'fastcdc() ronomon': cpuThroughput(() => fastcdc(data, { ...OPTS, variant: 'ronomon' }), SIZE),
  };
  report(`FastCDC v2020, ${SIZE >> 20} MiB random data, min/avg/max 4/16/64 KiB unless stated (target ≥ 1000 MB/s)`, results);
  // The machine is shared: CPU time of this process says what the core does when it has a core.
  console.log(`\nBy this process's CPU time (best of 3), load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs:`);
  for (const [name, mbs] of Object.entries(byCpu)) console.log(`- ${name}: ${mbs.toFixed(0)} MB/s`);
}

function chunkInPieces(data: Uint8Array): void {
  const chunker = new FastCdcChunker(OPTS);
  for (const piece of pieces(data)) chunker.push(piece);
  chunker.finish();
}

function cpuThroughput(fn: () => unknown, bytes: number): number {
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.max(best, bytes / ((used.user + used.system) / 1e6) / 1e6);
  }
  return best;
}
