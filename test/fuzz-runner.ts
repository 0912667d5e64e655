// The fuzz campaign (`npm run fuzz`; options by environment: FUZZ_SECONDS, FUZZ_SEED,
// FUZZ_BACKEND = wasm-simd | wasm-scalar | js, FUZZ_ONLY = a,b, FUZZ_REPLAY = TARGET:N).
// Throws mutated inputs at every decoder and verifier (test/fuzz-targets.ts) for a time budget
// shared equally by the targets, on the chosen core. Each input is generated from its own
// seed (the run's seed and its number), so any failure replays alone with --replay. Prints a
// line per target and a final JSON summary; exits 1 on any failure: an input a reference
// rejects but lightsnap accepts, an exception that is not a LightsnapError, a call slower than
// the target's bound, or the process's memory past MAX_RSS.
import { init } from '../src/core/load.js';
import { FuzzFailure, targets } from './fuzz-targets.js';
import { rng } from './helpers.js';

const MAX_RSS = 2 * 2 ** 30;

export interface FuzzOptions {
  seconds: number;
  seed: number;
  backend?: string;
  only?: string[];
  /** TARGET:N — run input N of TARGET alone. */
  replay?: string;
  /** Count a call over its target's time bound as a failure (the campaign does; a test slice must not time). */
  timeBounds?: boolean;
}

/** The options of `npm run fuzz`, from the environment. */
export function fuzzOptionsFromEnv(defaults: { seconds: number; seed?: number }): FuzzOptions {
  const env = process.env;
  return {
    seconds: Number(env.FUZZ_SECONDS ?? defaults.seconds),
    seed: Number(env.FUZZ_SEED ?? defaults.seed ?? Math.floor(Math.random() * 2 ** 31)),
    backend: env.FUZZ_BACKEND,
    only: env.FUZZ_ONLY?.split(','),
    replay: env.FUZZ_REPLAY,
    timeBounds: true,
  };
}

/** The generator of input `n` of a run: independent of every other input, so one replays alone. */
const inputRng = (seed: number, target: string, n: number) => {
  let h = seed >>> 0;
  for (const c of target) h = Math.imul(h ^ c.charCodeAt(0), 0x9e3779b1) >>> 0;
  return rng((Math.imul(h ^ n, 0x85ebca6b) ^ (n * 0x27d4eb2f)) >>> 0);
};

interface Tally { target: string; inputs: number; accepted: number; calls: number; slowestMs: number }

export async function runFuzz(opts: FuzzOptions): Promise<{ total: number; failures: number; tallies: Tally[] }> {
  const { seconds, seed, replay } = opts;
  const backend = await init({ backend: (opts.backend ?? 'auto') as 'auto' });
  const only = replay ? [replay.split(':')[0]] : opts.only;
  const chosen = targets.filter((t) => !only || only.includes(t.name));
  if (chosen.length === 0) throw new Error(`no target named ${only}; targets: ${targets.map((t) => t.name).join(', ')}`);
  console.log(`fuzz: seed ${seed}, core ${backend}, ${seconds} s over ${chosen.length} targets`);
  const tallies: Tally[] = [];
  let failures = 0;
  for (const target of chosen) {
    const one = await target.setup();
    const tally: Tally = { target: target.name, inputs: 0, accepted: 0, calls: 0, slowestMs: 0 };
    tallies.push(tally);
    const deadline = performance.now() + (seconds * 1000) / chosen.length;
    const first = replay ? Number(replay.split(':')[1]) : 0;
    for (let n = first; replay ? n === first : performance.now() < deadline; n++) {
      const started = performance.now();
      try {
        const result = one(inputRng(seed, target.name, n));
        if (typeof result === 'number') tally.inputs += result;
        else {
          tally.inputs++;
          if (result) tally.accepted++;
        }
      } catch (err) {
        failures++;
        const kind = err instanceof FuzzFailure ? 'wrong answer' : `unexpected ${(err as Error)?.constructor?.name ?? typeof err}`;
        console.error(`FAIL ${target.name}:${n} (${kind}): ${(err as Error)?.stack ?? err}\n  replay: ${replayCommand(backend, seed, target.name, n)}`);
        if (failures >= 10) break;
      }
      const ms = performance.now() - started;
      tally.calls++;
      tally.slowestMs = Math.max(tally.slowestMs, ms);
      if (opts.timeBounds && ms > target.boundMs) {
        failures++;
        console.error(`FAIL ${target.name}:${n} took ${ms.toFixed(0)} ms, over its bound of ${target.boundMs} ms\n  replay: ${replayCommand(backend, seed, target.name, n)}`);
      }
      if (tally.calls % 1000 === 0 && process.memoryUsage().rss > MAX_RSS) {
        failures++;
        console.error(`FAIL ${target.name}: memory ${process.memoryUsage().rss} bytes, over ${MAX_RSS}`);
        break;
      }
    }
    console.log(`${target.name.padEnd(20)} ${String(tally.inputs).padStart(10)} inputs  ${String(tally.accepted).padStart(8)} accepted  slowest ${tally.slowestMs.toFixed(1)} ms`);
  }
  const total = tallies.reduce((a, t) => a + t.inputs, 0);
  console.log(JSON.stringify({ date: new Date().toISOString(), seed, core: backend, seconds, total, failures, targets: tallies }));
  console.log(`fuzz: ${total} inputs, ${failures} failures`);
  return { total, failures, tallies };
}

const replayCommand = (backend: string, seed: number, target: string, n: number) =>
  `FUZZ_BACKEND=${backend} FUZZ_SEED=${seed} FUZZ_REPLAY=${target}:${n} npm run fuzz`;
