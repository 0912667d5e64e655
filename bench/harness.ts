// Shared benchmark helpers: best-of-N timing and a table printer with ratios to peers.
// Benchmarks report; they never assert timings (the machines are noisy).

export interface Result {
  name: string;
  /** Seconds for one run (best of the repetitions). */
  seconds: number;
  /** Bytes processed in one run, for MB/s; 0 when not meaningful. */
  bytes: number;
  /** Items (messages, proofs, …) processed in one run, for items/s; 0 when not meaningful. */
  items: number;
}

/** Runs `fn` once to warm up, then `reps` times, and keeps the fastest run. */
export async function measure(name: string, work: { bytes?: number; items?: number },
  fn: () => unknown | Promise<unknown>, reps = 3): Promise<Result> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { name, seconds: best, bytes: work.bytes ?? 0, items: work.items ?? 0 };
}

/** Prints a table of results; `ratio` is each row's speed relative to the first row. */
export function report(title: string, results: Result[]): void {
  const base = results[0];
  console.log(`\n## ${title}\n`);
  console.log('| implementation | time | MB/s | items/s | speed vs first row |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const mbs = r.bytes ? (r.bytes / r.seconds / 1e6).toFixed(0) : '';
    const ips = r.items ? Math.round(r.items / r.seconds).toLocaleString('en-US') : '';
    const ratio = (base.seconds / r.seconds).toFixed(2) + '×';
    console.log(`| ${r.name} | ${(r.seconds * 1000).toFixed(1)} ms | ${mbs} | ${ips} | ${ratio} |`);
  }
}

/** Deterministic pseudo-random bytes (fast, not cryptographic). */
export function randomBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, n >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < n; i++) out[i] = i & 0xff;
  return out;
}
